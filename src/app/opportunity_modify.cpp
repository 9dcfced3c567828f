// Use case of the story "modify": change an opportunity's fields (DRAFT freely; SUBMITTED..MATCHES_FOUND
// with a reason and change records; later never).
#include <algorithm>
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/modify.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/skill_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::FieldChange;
using detail::Modification;
using domain::DomainError;
using domain::ErrorCode;
using storage::OpportunityRepository;

namespace {

template <class T>
void track(std::vector<FieldChange>& out, std::string field, const T& old_value, const T& new_value) {
  if (old_value == new_value) return;
  out.push_back({std::move(field), json::value_from(old_value), json::value_from(new_value)});
}

}  // namespace

awaitable<domain::Opportunity> Opportunities::update(const Ctx& ctx, const std::string& id, OpportunityPatch patch,
                                                     ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.update", before, patch.reason);

  domain::Opportunity after = before;
  if (patch.title) after.title = *patch.title;
  if (patch.description) after.description = *patch.description;
  if (patch.customer_id)
    after.customer_id =
        util::is_uuid(*patch.customer_id) ? util::to_lower_ascii(*patch.customer_id) : *patch.customer_id;
  if (patch.priority) after.priority = *patch.priority;
  if (patch.arr_cents) after.annual_recurring_revenue.cents = *patch.arr_cents;
  if (patch.currency) after.annual_recurring_revenue.currency = *patch.currency;
  if (patch.geographic_requirements) {
    const auto& g = *patch.geographic_requirements;
    if (g.region) after.geographic_requirements.region = *g.region;
    if (g.requires_physical_presence)
      after.geographic_requirements.requires_physical_presence = *g.requires_physical_presence;
    if (g.allows_remote_work) after.geographic_requirements.allows_remote_work = *g.allows_remote_work;
  }

  domain::Validator v;
  domain::check_opportunity(v, after);
  if (after.customer_id != before.customer_id)
    co_await detail::check_customer_reference(uow.session(), v, after.customer_id);
  v.throw_if_failed();

  track(m.changes, "title", before.title, after.title);
  track(m.changes, "description", before.description, after.description);
  track(m.changes, "customer_id", before.customer_id, after.customer_id);
  track(m.changes, "priority", std::string(domain::to_string(before.priority)),
        std::string(domain::to_string(after.priority)));
  track(m.changes, "annual_recurring_revenue", domain::format_money(before.annual_recurring_revenue.cents),
        domain::format_money(after.annual_recurring_revenue.cents));
  track(m.changes, "currency", before.annual_recurring_revenue.currency, after.annual_recurring_revenue.currency);
  track(m.changes, "geographic_requirements.region", before.geographic_requirements.region,
        after.geographic_requirements.region);
  track(m.changes, "geographic_requirements.requires_physical_presence",
        before.geographic_requirements.requires_physical_presence,
        after.geographic_requirements.requires_physical_presence);
  track(m.changes, "geographic_requirements.allows_remote_work", before.geographic_requirements.allows_remote_work,
        after.geographic_requirements.allows_remote_work);
  if (m.changes.empty()) co_return before;  // nothing to change: no new version

  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
