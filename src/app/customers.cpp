// Use cases of customers: Sales Managers and admins create, list and read them.
#include "app/customers.hpp"

#include <boost/json.hpp>

#include "app/idempotency.hpp"
#include "app/json_views.hpp"
#include "app/paging.hpp"
#include "app/read_audit.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/customer_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;

namespace {
constexpr const char* k_customer_create_route = "POST /customers";
constexpr const char* k_customer_cursor_spec = "customers";

[[noreturn]] void throw_customer_not_found() { throw DomainError(ErrorCode::not_found, "Customer not found."); }

// api.md: admin, or the Sales Manager who created it while no other Sales Manager's opportunity
// uses it (domain.md is silent on who edits customers). Customers are visible to every Sales
// Manager, so a refusal is FORBIDDEN, not NOT_FOUND.
awaitable<void> require_may_change(UnitOfWork& uow, const Ctx& ctx, const domain::Customer& c) {
  if (ctx.actor.role != domain::Role::admin) {
    if (c.created_by != ctx.actor.user_id)
      throw DomainError(ErrorCode::forbidden,
                        "Only the Sales Manager who created this customer, or an admin, may change it.");
    // Bound to a local, not awaited inside the condition (g++ 12 coroutine bug, toolchain.md).
    const bool used_by_another =
        co_await storage::CustomerRepository::referenced_by_other_owner(uow.session(), c.id, ctx.actor.user_id);
    if (used_by_another)
      throw DomainError(ErrorCode::forbidden,
                        "Another Sales Manager's opportunity uses this customer: only an admin may change it now.");
  }
}

// The names of the fields that differ (the event says what changed; the audit entry has both).
json::array changed_fields(const domain::Customer& before, const domain::Customer& after) {
  json::array out;
  if (before.name != after.name) out.emplace_back("name");
  if (before.industry != after.industry) out.emplace_back("industry");
  if (before.website != after.website) out.emplace_back("website");
  if (before.description != after.description) out.emplace_back("description");
  if (before.primary_contact != after.primary_contact) out.emplace_back("primary_contact");
  if (before.is_active != after.is_active) out.emplace_back("is_active");
  return out;
}
}  // namespace

namespace detail {

domain::Customer new_customer(UnitOfWork& uow, const Ctx& ctx, CustomerInput in, domain::Validator& v,
                              std::string_view field_prefix) {
  domain::Customer c;
  c.id = uow.new_id();
  c.name = std::move(in.name);
  c.industry = std::move(in.industry);
  c.website = std::move(in.website);
  c.description = std::move(in.description);
  c.primary_contact = std::move(in.primary_contact);
  c.is_active = true;
  c.created_by = ctx.actor.user_id;
  c.created_at = uow.now();
  c.updated_at = uow.now();
  domain::Validator rules;
  domain::check_customer(rules, c);
  for (const auto& e : rules.errors()) v.add(std::string(field_prefix) + e.field, e.message);
  return c;
}

awaitable<void> insert_customer(UnitOfWork& uow, const domain::Customer& c, std::string_view field_prefix) {
  try {
    co_await storage::CustomerRepository::insert(uow.session(), c);
  } catch (const storage::UniqueViolation&) {
    const std::string field = std::string(field_prefix) + "name";
    throw DomainError(ErrorCode::duplicate, "A customer with this name already exists.",
                      {{field, "already used by another customer (names are case-insensitive)"}});
  }
  const AuditSpec audit{"customer.create", "customer", c.id, std::nullopt, json::serialize(customer_json(c))};
  co_await uow.audit(audit);
}

}  // namespace detail

awaitable<Created<domain::Customer>> Customers::create(const Ctx& ctx, CustomerInput in,
                                                       std::optional<IdempotencyKey> idem) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  if (idem) {
    auto prior_id = co_await detail::find_replayed_resource(uow, *idem, k_customer_create_route);
    if (prior_id) {
      auto existing = co_await storage::CustomerRepository::find(uow.session(), *prior_id);
      if (!existing) detail::throw_replayed_resource_removed();
      co_return Created<domain::Customer>{std::move(*existing), true};
    }
  }
  domain::Validator v;
  domain::Customer c = detail::new_customer(uow, ctx, std::move(in), v, "");
  v.throw_if_failed();
  co_await detail::insert_customer(uow, c, "");
  if (idem) co_await detail::record_idempotency_key(uow, *idem, k_customer_create_route, c.id);
  co_await uow.commit();
  co_return Created<domain::Customer>{std::move(c), false};
}

awaitable<Page<domain::Customer>> Customers::list(const Ctx& ctx, std::optional<std::string> name_query,
                                                  PageRequest page_request) {
  detail::check_page_limit(page_request.limit);
  std::optional<std::pair<std::string, std::string>> after;
  if (page_request.cursor) after = detail::name_and_uuid_position(*page_request.cursor, k_customer_cursor_spec);
  if (name_query && name_query->empty()) name_query.reset();
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto rows = co_await storage::CustomerRepository::list(*session, name_query, after, page_request.limit + 1);
  co_await session->commit();
  auto page = detail::page_by_name(std::move(rows), page_request.limit, k_customer_cursor_spec);
  std::vector<std::string> shown;  // the customers whose contact (personal data) the page shows
  for (const auto& c : page.items)
    if (c.primary_contact) shown.push_back(c.id);
  audit_personal_list_read(ports_, ctx, "customer", std::move(shown));
  co_return page;
}

awaitable<domain::Customer> Customers::get(const Ctx& ctx, const std::string& id) {
  if (!util::is_uuid(id)) throw_customer_not_found();
  const std::string key = util::to_lower_ascii(id);
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto found = co_await storage::CustomerRepository::find(*session, key);
  co_await session->commit();
  if (!found) throw_customer_not_found();
  if (found->primary_contact) audit_personal_read(ports_, ctx, "customer", found->id);
  co_return std::move(*found);
}

awaitable<domain::Customer> Customers::update(const Ctx& ctx, const std::string& id, CustomerPatch patch,
                                              std::optional<std::int64_t> expected_version) {
  if (!util::is_uuid(id)) throw_customer_not_found();
  const std::string key = util::to_lower_ascii(id);
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  auto found = co_await storage::CustomerRepository::find_for_update(uow.session(), key);
  if (!found) throw_customer_not_found();
  const domain::Customer before = std::move(*found);
  co_await require_may_change(uow, ctx, before);
  if (expected_version && *expected_version != before.version)
    throw DomainError(ErrorCode::precondition_failed, "The customer is at version " + std::to_string(before.version) +
                                                          ", not " + std::to_string(*expected_version) + ".");

  domain::Customer after = before;
  if (patch.name) after.name = std::move(*patch.name);
  if (patch.industry) after.industry = std::move(*patch.industry);
  if (patch.website) after.website = std::move(*patch.website);
  if (patch.description) after.description = std::move(*patch.description);
  if (patch.primary_contact) after.primary_contact = std::move(*patch.primary_contact);
  if (patch.is_active) after.is_active = *patch.is_active;
  domain::Validator v;
  domain::check_customer(v, after);
  v.throw_if_failed();
  json::array fields = changed_fields(before, after);
  if (fields.empty()) co_return before;  // nothing to change: no new version

  after.version = before.version + 1;
  after.updated_at = uow.now();
  bool written = false;
  try {
    written = co_await storage::CustomerRepository::update(uow.session(), after, before.version);
  } catch (const storage::UniqueViolation&) {
    throw DomainError(ErrorCode::duplicate, "A customer with this name already exists.",
                      {{"name", "already used by another customer (names are case-insensitive)"}});
  }
  if (!written) throw DomainError(ErrorCode::precondition_failed, "The customer was changed concurrently.");
  // No cached representation embeds a customer (opportunities carry only customer_id; see
  // app/cached_reads.hpp), so there is no cache key to invalidate.
  const bool deactivated = before.is_active && !after.is_active;
  const AuditSpec audit{deactivated ? "customer.deactivate" : "customer.update", "customer", after.id,
                        json::serialize(customer_json(before)), json::serialize(customer_json(after))};
  co_await uow.audit(audit);
  json::object data{{"fields", std::move(fields)}, {"customer", customer_json(after)}};
  EventSpec event{deactivated ? "customer.deactivated" : "customer.updated", after.id, after.version, std::move(data)};
  event.aggregate_field = "customer_id";
  co_await uow.event(event);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
