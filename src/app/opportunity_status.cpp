// Use case of the story "track": the system transitions of the matching and selection services.
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/kpis.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/status.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::StatusChange;

namespace {

json::value opt_text(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

}  // namespace

awaitable<domain::Opportunity> Opportunities::transition(const Ctx& ctx, const std::string& id, SystemTransition t,
                                                         ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity before =
      co_await detail::load_for_write(uow, ctx, id, expected, detail::WriteAccess::system);
  domain::check_system_transition(before, t.status, t.selected_architect_id);
  domain::Opportunity after = before;
  after.status = t.status;
  if (t.status == domain::Status::architect_selected) after.selected_architect_id = t.selected_architect_id;
  if (t.status == domain::Status::completed) after.completed_at = uow.now();
  StatusChange change{"opportunity.status_change", t.note, EventSpec{"opportunity.status_changed", {}, 0, {}}};
  change.event.data["from"] = domain::to_string(before.status);
  change.event.data["to"] = domain::to_string(after.status);
  change.event.data["note"] = opt_text(t.note);
  change.event.data["selected_architect_id"] = opt_text(after.selected_architect_id);
  co_await detail::save_status_change(uow, before, after, change);
  co_await uow.commit();
  if (after.status == domain::Status::completed) kpis().add(Kpi::completed);
  co_return after;
}

}  // namespace oms::app
