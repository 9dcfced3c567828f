#pragma once
// Use cases of the Opportunity aggregate. Each public function is one use case and one database
// transaction that writes the change, its status/change records, a hash-chained audit entry and
// the outbox events together (see src/app/unit_of_work.hpp). Errors are domain::DomainError.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/customers.hpp"

namespace oms::storage {
struct OpportunityFilter;
}

namespace oms::app {

struct GeographicPatch {
  std::optional<std::string> region;
  std::optional<bool> requires_physical_presence;
  std::optional<bool> allows_remote_work;
};

struct CreateOpportunity {
  std::string title;
  std::string description;
  std::string customer_id;                // or, instead:
  std::optional<CustomerInput> customer;  // created in the same transaction (domain.md: an SM may)
  domain::Priority priority{};
  std::int64_t arr_cents = 0;
  std::string currency = "USD";
  domain::GeographicRequirements geographic_requirements;
};

struct OpportunityPatch {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> customer_id;
  std::optional<domain::Priority> priority;
  std::optional<std::int64_t> arr_cents;
  std::optional<std::string> currency;
  std::optional<GeographicPatch> geographic_requirements;
  std::optional<std::string> reason;  // required outside DRAFT
};

// Optimistic concurrency: the version a client read (from If-Match), if it sent one.
using ExpectedVersion = std::optional<std::int64_t>;

struct SkillRequirementInput {
  std::string skill_id;
  domain::Importance importance{};
  domain::Proficiency minimum_proficiency{};
};

struct SkillRequirementPatch {
  std::optional<domain::Importance> importance;
  std::optional<domain::Proficiency> minimum_proficiency;
};

struct SystemTransition {
  domain::Status status{};
  std::optional<std::string> note;
  std::optional<std::string> selected_architect_id;  // required for ARCHITECT_SELECTED
};

struct OpportunityQuery {
  std::vector<domain::Status> statuses;
  std::optional<domain::Priority> priority;
  std::optional<std::string> customer_id;
  std::optional<std::string> sales_manager_id;
  std::optional<std::string> text;  // full-text over title and description
  std::optional<domain::Timestamp> created_from;
  std::optional<domain::Timestamp> created_to;
  bool needs_attention = false;
  domain::OpportunitySort sort = domain::OpportunitySort::created_at;
  bool descending = true;
  PageRequest page;
};

// Reads and writes return the whole aggregate (with parts) at its new version.
class Opportunities {
 public:
  explicit Opportunities(Ports ports) : ports_(ports) {}

  awaitable<Created<domain::Opportunity>> create(const Ctx&, CreateOpportunity, std::optional<IdempotencyKey>);
  awaitable<domain::Opportunity> get(const Ctx&, const std::string& id);
  awaitable<Page<domain::Opportunity>> list(const Ctx&, const OpportunityQuery&);  // without parts
  // For exports (app/exports.cpp): list with pages of up to k_batch_max rows, and the number of
  // rows a query selects; the same filters and visibility as list().
  static constexpr int k_batch_max = 1000;
  awaitable<Page<domain::Opportunity>> batch(const Ctx&, const OpportunityQuery&);
  awaitable<std::int64_t> count(const Ctx&, const OpportunityQuery&);
  awaitable<domain::Opportunity> update(const Ctx&, const std::string& id, OpportunityPatch, ExpectedVersion);

  awaitable<domain::Opportunity> put_problem_statement(const Ctx&, const std::string& id, std::string content,
                                                       std::optional<std::string> reason, ExpectedVersion);
  awaitable<domain::SkillRequirement> add_skill_requirement(const Ctx&, const std::string& id, SkillRequirementInput,
                                                            std::optional<std::string> reason, ExpectedVersion);
  awaitable<domain::SkillRequirement> update_skill_requirement(const Ctx&, const std::string& id,
                                                               const std::string& requirement_id, SkillRequirementPatch,
                                                               std::optional<std::string> reason, ExpectedVersion);
  awaitable<void> remove_skill_requirement(const Ctx&, const std::string& id, const std::string& requirement_id,
                                           std::optional<std::string> reason, ExpectedVersion);
  awaitable<domain::Opportunity> put_timeline(const Ctx&, const std::string& id, domain::Timeline,
                                              std::optional<std::string> reason, ExpectedVersion);

  awaitable<domain::Opportunity> submit(const Ctx&, const std::string& id, ExpectedVersion);
  awaitable<domain::Opportunity> cancel(const Ctx&, const std::string& id, std::string reason, ExpectedVersion);
  awaitable<domain::Opportunity> reactivate(const Ctx&, const std::string& id, ExpectedVersion);
  awaitable<domain::Opportunity> transition(const Ctx&, const std::string& id, SystemTransition, ExpectedVersion);

  awaitable<Page<domain::StatusRecord>> status_history(const Ctx&, const std::string& id, PageRequest);
  awaitable<Page<domain::ChangeRecord>> changes(const Ctx&, const std::string& id, PageRequest);

 private:
  storage::OpportunityFilter filter_of(const Ctx&, const OpportunityQuery&) const;
  awaitable<Page<domain::Opportunity>> page_of(const Ctx&, const OpportunityQuery&);

  Ports ports_;
};

}  // namespace oms::app
