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
constexpr const char* k_create_route = "POST /customers";
constexpr const char* k_list_spec = "customers";

[[noreturn]] void throw_customer_not_found() { throw DomainError(ErrorCode::not_found, "Customer not found."); }
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
    auto prior_id = co_await detail::find_replayed_resource(uow, *idem, k_create_route);
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
  if (idem) co_await detail::record_idempotency_key(uow, *idem, k_create_route, c.id);
  co_await uow.commit();
  co_return Created<domain::Customer>{std::move(c), false};
}

awaitable<Page<domain::Customer>> Customers::list(const Ctx& ctx, std::optional<std::string> name_query,
                                                  PageRequest page_request) {
  detail::check_page_limit(page_request.limit);
  std::optional<std::pair<std::string, std::string>> after;
  if (page_request.cursor) after = detail::name_and_uuid_position(*page_request.cursor, k_list_spec);
  if (name_query && name_query->empty()) name_query.reset();
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto rows = co_await storage::CustomerRepository::list(*session, name_query, after, page_request.limit + 1);
  co_await session->commit();
  auto page = detail::page_by_name(std::move(rows), page_request.limit, k_list_spec);
  for (const auto& c : page.items)
    if (c.primary_contact) audit_personal_read(ports_, ctx, "customer", c.id);
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

}  // namespace oms::app
