// Use cases that move an opportunity through the state machine: submit, cancel, reactivate and
// the system transitions of the matching and selection services.
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

awaitable<domain::Opportunity> Opportunities::cancel(const Ctx& ctx, const std::string& id, std::string reason,
                                                     ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity before =
      co_await detail::load_for_write(uow, ctx, id, expected, detail::WriteAccess::owner_or_admin);
  const std::optional<std::string> why = reason;
  domain::check_cancel(before, why);
  domain::Opportunity after = before;
  after.status_before_cancellation = before.status;
  after.status = domain::Status::cancelled;
  after.cancelled_at = uow.now();
  after.cancellation_reason = reason;
  StatusChange change{"opportunity.cancel", reason, EventSpec{"opportunity.cancelled", {}, 0, {}}};
  change.event.data["reason"] = reason;
  change.event.data["previous_status"] = domain::to_string(before.status);
  co_await detail::save_status_change(uow, before, after, change);
  co_await uow.commit();
  kpis().add(Kpi::cancelled);
  co_return after;
}

awaitable<domain::Opportunity> Opportunities::reactivate(const Ctx& ctx, const std::string& id,
                                                         ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity before =
      co_await detail::load_for_write(uow, ctx, id, expected, detail::WriteAccess::owner_or_admin);
  const domain::Status back_to = domain::check_reactivate(before, uow.now());
  domain::Opportunity after = before;
  after.status = back_to;
  after.status_before_cancellation.reset();
  after.cancelled_at.reset();
  after.cancellation_reason.reset();
  StatusChange change{"opportunity.reactivate", std::nullopt, EventSpec{"opportunity.reactivated", {}, 0, {}}};
  change.event.data["status"] = domain::to_string(back_to);
  co_await detail::save_status_change(uow, before, after, change);
  co_await uow.commit();
  kpis().add(Kpi::reactivated);
  co_return after;
}

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
