#pragma once
// SQL for the Opportunity aggregate: the root row, its parts, and its status/change records.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::storage {

// A list query, already translated from the API: filters, visibility and keyset position.
struct OpportunityFilter {
  std::vector<domain::Status> statuses;
  std::optional<domain::Priority> priority;
  std::optional<std::string> customer_id;
  std::optional<std::string> sales_manager_id;
  std::optional<std::string> text;  // full text over title and description (index-backed)
  std::optional<domain::Timestamp> created_from;
  std::optional<domain::Timestamp> created_to;
  // needs_attention: DRAFT untouched since before `draft_stale_before`, or in the matching
  // phase with a timeline starting on or before `start_by`.
  bool needs_attention = false;
  domain::Timestamp draft_stale_before{};
  domain::Date start_by{};
  // Visibility.
  std::optional<std::string> only_sales_manager;  // SM: their own
  bool exclude_drafts = false;                    // SA: past DRAFT only
  domain::OpportunitySort sort = domain::OpportunitySort::created_at;
  bool descending = true;
  // Keyset: rows strictly after (sort key, id) in the sort order.
  std::optional<std::pair<std::string, std::string>> after;
  int limit = 20;
};

struct OpportunityListRow {
  domain::Opportunity opportunity;  // without parts
  std::string sort_key;             // the sort column's value, for the next cursor
};

class OpportunityRepository {
 public:
  // The whole aggregate (problem statement, skill requirements, timeline, attachments) in three
  // queries; `lock` takes the row lock in PostgreSQL (SQLite writers are already serialised).
  static awaitable<std::optional<domain::Opportunity>> load(Session& s, const std::string& id, bool lock);
  static awaitable<void> insert(Session& s, const domain::Opportunity& o);
  // Writes every root column of `o` (including its new version) if the stored version is still
  // `expected_version`; false when another writer got there first.
  static awaitable<bool> update(Session& s, const domain::Opportunity& o, std::int64_t expected_version);

  static awaitable<void> upsert_problem_statement(Session& s, const std::string& opportunity_id,
                                                  const domain::ProblemStatement& p);
  static awaitable<void> upsert_timeline(Session& s, const std::string& opportunity_id, const domain::Timeline& t);
  static awaitable<void> insert_skill_requirement(Session& s, const std::string& opportunity_id,
                                                  const domain::SkillRequirement& r);
  static awaitable<void> update_skill_requirement(Session& s, const domain::SkillRequirement& r);
  static awaitable<void> delete_skill_requirement(Session& s, const std::string& requirement_id);

  static awaitable<void> insert_status_record(Session& s, const domain::StatusRecord& r, std::int64_t version);
  static awaitable<void> insert_change_record(Session& s, const domain::ChangeRecord& r, std::int64_t version);

  static awaitable<std::vector<OpportunityListRow>> list(Session& s, const OpportunityFilter& f);
  // How many rows the filters and visibility of `f` select (its keyset and limit are ignored).
  static awaitable<std::int64_t> count(Session& s, const OpportunityFilter& f);

  // Oldest first, keyset on (version, id); `after` is the last (version, id) seen.
  static awaitable<std::vector<std::pair<domain::StatusRecord, std::int64_t>>> status_records(
      Session& s, const std::string& opportunity_id, std::optional<std::pair<std::int64_t, std::string>> after,
      int limit);
  static awaitable<std::vector<std::pair<domain::ChangeRecord, std::int64_t>>> change_records(
      Session& s, const std::string& opportunity_id, std::optional<std::pair<std::int64_t, std::string>> after,
      int limit);
};

}  // namespace oms::storage
