// Use cases of the story "cancel and reactivate" (reactivation within 90 days).
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/kpis.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/cancel.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::StatusChange;

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

}  // namespace oms::app
