// Use case of the story "describe the problem": put the problem statement (a part of the aggregate).
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

awaitable<domain::Opportunity> Opportunities::put_problem_statement(const Ctx& ctx, const std::string& id,
                                                                    std::string content,
                                                                    std::optional<std::string> reason,
                                                                    ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.problem_statement.put", before, reason);
  domain::Validator v;
  domain::check_problem_statement(v, "content", content);
  v.throw_if_failed();

  domain::Opportunity after = before;
  after.problem_statement = domain::ProblemStatement{std::move(content), uow.now()};
  co_await OpportunityRepository::upsert_problem_statement(uow.session(), after.id, *after.problem_statement);
  m.changes.push_back({"problem_statement",
                       before.problem_statement ? json::value(before.problem_statement->content) : json::value(nullptr),
                       json::value(after.problem_statement->content)});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
