// Use case: create an opportunity (DRAFT), honouring an Idempotency-Key.
#include <boost/json.hpp>

#include "app/customers.hpp"
#include "app/idempotency.hpp"
#include "app/json_views.hpp"
#include "app/kpis.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/customer_repository.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;

namespace {
constexpr const char* k_opportunity_create_route = "POST /opportunities";

}  // namespace

namespace detail {
// Shared with update: the customer must exist and be active.
awaitable<void> check_customer_reference(storage::Session& s, domain::Validator& v, const std::string& customer_id) {
  if (!util::is_uuid(customer_id)) {
    v.add("customer_id", "must be the id (UUID) of an existing customer");
    co_return;
  }
  const std::string id = util::to_lower_ascii(customer_id);
  auto customer = co_await storage::CustomerRepository::find(s, id);
  if (!customer)
    v.add("customer_id", "no such customer");
  else if (!customer->is_active)
    v.add("customer_id", "the customer is deactivated");
}
}  // namespace detail

awaitable<Created<domain::Opportunity>> Opportunities::create(const Ctx& ctx, CreateOpportunity in,
                                                              std::optional<IdempotencyKey> idem) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  auto& s = uow.session();

  if (idem) {
    auto prior_id = co_await detail::find_replayed_resource(uow, *idem, k_opportunity_create_route);
    if (prior_id) {
      auto existing = co_await storage::OpportunityRepository::load(s, *prior_id, false);
      if (!existing) detail::throw_replayed_resource_removed();
      co_return Created<domain::Opportunity>{std::move(*existing), true};
    }
  }

  domain::Opportunity o;
  o.id = uow.new_id();
  o.title = std::move(in.title);
  o.description = std::move(in.description);
  o.customer_id = util::is_uuid(in.customer_id) ? util::to_lower_ascii(in.customer_id) : in.customer_id;
  o.sales_manager_id = ctx.actor.user_id;
  o.priority = in.priority;
  o.annual_recurring_revenue = domain::Money{in.arr_cents, std::move(in.currency)};
  o.geographic_requirements = std::move(in.geographic_requirements);
  o.status = domain::Status::draft;
  o.created_at = uow.now();
  o.updated_at = uow.now();
  o.version = 1;

  domain::Validator v;
  std::optional<domain::Customer> new_customer;
  if (in.customer) {
    new_customer = detail::new_customer(uow, ctx, std::move(*in.customer), v, "customer.");
    o.customer_id = new_customer->id;
  }
  domain::check_opportunity(v, o);
  if (!new_customer) co_await detail::check_customer_reference(s, v, o.customer_id);
  v.throw_if_failed();
  if (new_customer) co_await detail::insert_customer(uow, *new_customer, "customer.");

  co_await storage::OpportunityRepository::insert(s, o);
  domain::StatusRecord record;
  record.id = uow.new_id();
  record.opportunity_id = o.id;
  record.to_status = domain::Status::draft;
  record.changed_at = uow.now();
  record.changed_by = ctx.actor.user_id;
  co_await storage::OpportunityRepository::insert_status_record(s, record, o.version);

  AuditSpec audit{"opportunity.create", "opportunity", o.id, std::nullopt, detail::snapshot(o)};
  co_await uow.audit(audit);
  EventSpec event{"opportunity.created", o.id, o.version, json::object{{"opportunity", opportunity_json(o, true)}}};
  co_await uow.event(event);
  if (idem) co_await detail::record_idempotency_key(uow, *idem, k_opportunity_create_route, o.id);
  co_await uow.commit();
  kpis().add(Kpi::created);
  co_return Created<domain::Opportunity>{std::move(o), false};
}

}  // namespace oms::app
