// The opportunity lifecycle: DRAFT -> ... -> COMPLETED, cancel and reactivate, with their status
// records and outbox events.
#include <boost/json.hpp>

#include "app_fixture.hpp"
#include "storage/repositories/outbox_repository.hpp"

namespace oms::testing {
namespace {

using domain::ErrorCode;
using domain::Status;

class StatusTest : public AppTest {
 protected:
  std::vector<storage::OutboxEvent> events(const std::string& id) {
    auto work = [](storage::Database& db, std::string id) -> app::awaitable<std::vector<storage::OutboxEvent>> {
      auto s = co_await db.begin(storage::Access::read_only);
      auto r = co_await storage::OutboxRepository::for_aggregate(*s, id);
      co_await s->commit();
      co_return r;
    };
    return run(work(raw_db(), id));
  }
  std::vector<std::string> event_types(const std::string& id) {
    std::vector<std::string> out;
    for (const auto& e : events(id)) out.push_back(e.event_type);
    return out;
  }
  std::vector<domain::StatusRecord> history(const domain::Principal& who, const std::string& id) {
    auto c = ctx(who);
    return run(svc().opportunities.status_history(c, id, app::PageRequest{100, std::nullopt})).items;
  }
  domain::Opportunity step(const std::string& id, Status to, std::optional<std::string> architect = std::nullopt) {
    auto c = ctx(service_);
    app::SystemTransition t{to, "by matching", std::move(architect)};
    return run(svc().opportunities.transition(c, id, t, std::nullopt));
  }
};

TEST_P(StatusTest, FullLifecycleWritesStatusRecordsAndEvents) {
  auto o = create(sm1_);
  EXPECT_EQ(o.status, Status::draft);
  EXPECT_EQ(o.version, 1);
  EXPECT_EQ(o.sales_manager_id, "sm-1");

  // An incomplete draft cannot be submitted, and every unmet rule is listed.
  auto c = ctx(sm1_);
  auto e =
      expect_error(ErrorCode::submission_incomplete, [&] { run(svc().opportunities.submit(c, o.id, std::nullopt)); });
  EXPECT_GE(e.errors().size(), 3u);

  o = complete(sm1_, o.id);
  EXPECT_EQ(o.version, 4);
  clock().advance(std::chrono::minutes(5));
  o = run(svc().opportunities.submit(c, o.id, std::int64_t{4}));
  EXPECT_EQ(o.status, Status::submitted);
  EXPECT_TRUE(o.submitted_at.has_value());

  // Only SERVICE or ADMIN drive the system transitions; an SA may look but not touch.
  auto sa = ctx(sa_);
  app::SystemTransition t{Status::matching_in_progress, std::nullopt, std::nullopt};
  expect_error(ErrorCode::forbidden, [&] { run(svc().opportunities.transition(sa, o.id, t, std::nullopt)); });
  expect_error(ErrorCode::invalid_transition, [&] { step(o.id, Status::completed); });

  o = step(o.id, Status::matching_in_progress);
  o = step(o.id, Status::matches_found);
  expect_error(ErrorCode::validation_error, [&] { step(o.id, Status::architect_selected); });
  o = step(o.id, Status::architect_selected, "sa-42");
  EXPECT_EQ(o.selected_architect_id, "sa-42");
  o = step(o.id, Status::completed);
  EXPECT_EQ(o.status, Status::completed);
  EXPECT_TRUE(o.completed_at.has_value());
  EXPECT_EQ(o.version, 9);

  auto stored = run(svc().opportunities.get(c, o.id));
  EXPECT_EQ(stored.status, Status::completed);
  EXPECT_EQ(stored.version, 9);
  EXPECT_EQ(stored.selected_architect_id, "sa-42");
  ASSERT_EQ(stored.skill_requirements.size(), 1u);
  EXPECT_EQ(stored.skill_requirements[0].skill_name, "Kubernetes");
  EXPECT_EQ(stored.skill_requirements[0].skill_type, domain::SkillCategory::technical);
  ASSERT_TRUE(stored.problem_statement.has_value());
  ASSERT_TRUE(stored.timeline.has_value());

  auto records = history(sa_, o.id);
  std::vector<std::pair<std::optional<Status>, Status>> steps;
  steps.reserve(records.size());
  for (const auto& r : records) steps.emplace_back(r.from_status, r.to_status);
  std::vector<std::pair<std::optional<Status>, Status>> expected{{std::nullopt, Status::draft},
                                                                 {Status::draft, Status::submitted},
                                                                 {Status::submitted, Status::matching_in_progress},
                                                                 {Status::matching_in_progress, Status::matches_found},
                                                                 {Status::matches_found, Status::architect_selected},
                                                                 {Status::architect_selected, Status::completed}};
  EXPECT_EQ(steps, expected);
  EXPECT_EQ(records.back().changed_by, "svc-matching");
  EXPECT_EQ(records.back().reason, "by matching");

  EXPECT_EQ(event_types(o.id),
            (std::vector<std::string>{"opportunity.created", "opportunity.updated", "opportunity.updated",
                                      "opportunity.updated", "opportunity.submitted", "opportunity.status_changed",
                                      "opportunity.status_changed", "opportunity.status_changed",
                                      "opportunity.status_changed"}));
  auto all = events(o.id);
  auto payload = boost::json::parse(all.back().payload).as_object();
  EXPECT_EQ(payload.at("from").as_string(), "ARCHITECT_SELECTED");
  EXPECT_EQ(payload.at("to").as_string(), "COMPLETED");
  EXPECT_EQ(payload.at("version").as_int64(), 9);
  EXPECT_EQ(payload.at("opportunity_id").as_string(), o.id);
  EXPECT_EQ(payload.at("actor_id").as_string(), "svc-matching");
  EXPECT_EQ(payload.at("event_id").as_string(), all.back().id);
  auto submitted = boost::json::parse(all[4].payload).as_object();
  EXPECT_EQ(submitted.at("opportunity").at("status").as_string(), "SUBMITTED");

  // COMPLETED is terminal.
  expect_error(ErrorCode::invalid_transition,
               [&] { run(svc().opportunities.cancel(c, o.id, "too late", std::nullopt)); });
}

TEST_P(StatusTest, CancelAndReactivateWithinNinetyDays) {
  auto o = create(sm1_);
  complete(sm1_, o.id);
  auto c = ctx(sm1_);
  o = run(svc().opportunities.submit(c, o.id, std::nullopt));
  o = step(o.id, Status::matching_in_progress);

  expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.cancel(c, o.id, "", std::nullopt)); });
  expect_error(ErrorCode::not_found, [&] {
    auto c2 = ctx(sm2_);
    run(svc().opportunities.cancel(c2, o.id, "not mine", std::nullopt));
  });

  o = run(svc().opportunities.cancel(c, o.id, "Budget frozen", std::nullopt));
  EXPECT_EQ(o.status, Status::cancelled);
  EXPECT_EQ(o.status_before_cancellation, Status::matching_in_progress);
  EXPECT_EQ(o.cancellation_reason, "Budget frozen");
  ASSERT_TRUE(o.cancelled_at.has_value());

  clock().advance(std::chrono::days(30));
  o = run(svc().opportunities.reactivate(c, o.id, o.version));
  EXPECT_EQ(o.status, Status::matching_in_progress);
  EXPECT_FALSE(o.status_before_cancellation.has_value());
  expect_error(ErrorCode::invalid_transition, [&] { run(svc().opportunities.reactivate(c, o.id, std::nullopt)); });

  o = run(svc().opportunities.cancel(c, o.id, "Customer went quiet", std::nullopt));
  clock().advance(std::chrono::days(91));
  expect_error(ErrorCode::reactivation_window_expired,
               [&] { run(svc().opportunities.reactivate(c, o.id, std::nullopt)); });

  auto records = history(sm1_, o.id);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[3].to_status, Status::cancelled);
  EXPECT_EQ(records[3].reason, "Budget frozen");
  EXPECT_EQ(records[4].from_status, Status::cancelled);
  EXPECT_EQ(records[4].to_status, Status::matching_in_progress);

  auto types = event_types(o.id);
  ASSERT_GE(types.size(), 3u);
  EXPECT_EQ(types[types.size() - 3], "opportunity.cancelled");
  EXPECT_EQ(types[types.size() - 2], "opportunity.reactivated");
  EXPECT_EQ(types.back(), "opportunity.cancelled");
  auto cancelled = boost::json::parse(events(o.id).back().payload).as_object();
  EXPECT_EQ(cancelled.at("reason").as_string(), "Customer went quiet");
  EXPECT_EQ(cancelled.at("previous_status").as_string(), "MATCHING_IN_PROGRESS");
}

TEST_P(StatusTest, VisibilityFollowsThePolicy) {
  auto o = create(sm1_);
  auto sm2 = ctx(sm2_);
  auto sa = ctx(sa_);
  auto admin = ctx(admin_);
  expect_error(ErrorCode::not_found, [&] { run(svc().opportunities.get(sm2, o.id)); });
  expect_error(ErrorCode::not_found, [&] { run(svc().opportunities.get(sa, o.id)); });
  EXPECT_EQ(run(svc().opportunities.get(admin, o.id)).id, o.id);
  expect_error(ErrorCode::not_found,
               [&] { run(svc().opportunities.get(admin, "00000000-0000-4000-8000-000000000000")); });
  complete(sm1_, o.id);
  auto c = ctx(sm1_);
  run(svc().opportunities.submit(c, o.id, std::nullopt));
  EXPECT_EQ(run(svc().opportunities.get(sa, o.id)).status, Status::submitted);
  expect_error(ErrorCode::forbidden, [&] { run(svc().opportunities.changes(sa, o.id, app::PageRequest{})); });
  expect_error(ErrorCode::forbidden, [&] { run(svc().opportunities.cancel(sa, o.id, "not allowed", std::nullopt)); });
}

INSTANTIATE_TEST_SUITE_P(Stores, StatusTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
