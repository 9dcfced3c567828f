// Use case of the story "set the timeline": put the timeline requirement.
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/modify.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/opportunity_repository.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::Modification;
using storage::OpportunityRepository;

namespace {

json::value opt_json(const std::optional<json::object>& o) { return o ? json::value(*o) : json::value(nullptr); }

}  // namespace

awaitable<domain::Opportunity> Opportunities::put_timeline(const Ctx& ctx, const std::string& id,
                                                           domain::Timeline timeline, std::optional<std::string> reason,
                                                           ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.timeline.put", before, reason);
  domain::Validator v;
  domain::check_timeline(v, timeline);
  v.throw_if_failed();

  domain::Opportunity after = before;
  after.timeline = std::move(timeline);
  co_await OpportunityRepository::upsert_timeline(uow.session(), after.id, *after.timeline);
  std::optional<json::object> old_json, new_json = timeline_json(*after.timeline);
  if (before.timeline) old_json = timeline_json(*before.timeline);
  m.changes.push_back({"timeline", opt_json(old_json), opt_json(new_json)});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
