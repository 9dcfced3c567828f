// Use case of the story "submit": DRAFT -> SUBMITTED once every prerequisite is met.
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/kpis.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/submit.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::StatusChange;

awaitable<domain::Opportunity> Opportunities::submit(const Ctx& ctx, const std::string& id, ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity before =
      co_await detail::load_for_write(uow, ctx, id, expected, detail::WriteAccess::owner_or_admin);
  domain::check_submit(before);
  domain::Opportunity after = before;
  after.status = domain::Status::submitted;
  after.submitted_at = uow.now();
  // The matching trigger carries the whole aggregate (as of the new version).
  StatusChange change{"opportunity.submit", std::nullopt, EventSpec{"opportunity.submitted", {}, 0, {}}};
  after.version = before.version + 1;
  after.updated_at = uow.now();
  change.event.data["opportunity"] = opportunity_json(after, true);
  co_await detail::save_status_change(uow, before, after, change);
  co_await uow.commit();
  kpis().add(Kpi::submitted);
  co_return after;
}

}  // namespace oms::app
