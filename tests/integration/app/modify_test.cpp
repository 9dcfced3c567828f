// Modification rules: free in DRAFT, with a reason and change records while matching, never
// after an architect is selected; optimistic concurrency; skill requirement rules.
#include <boost/json.hpp>

#include "app_fixture.hpp"

namespace oms::testing {
namespace {

using domain::ErrorCode;
using domain::Status;

class ModifyTest : public AppTest {
 protected:
  std::vector<domain::ChangeRecord> changes(const std::string& id) {
    auto c = ctx(sm1_);
    return run(svc().opportunities.changes(c, id, app::PageRequest{100, std::nullopt})).items;
  }
};

TEST_P(ModifyTest, DraftChangesFreelyWithoutChangeRecords) {
  auto o = create(sm1_);
  auto c = ctx(sm1_);
  app::OpportunityPatch patch;
  patch.title = "Payments replatforming";
  patch.geographic_requirements = app::GeographicPatch{"DACH", true, std::nullopt};
  auto updated = run(svc().opportunities.update(c, o.id, patch, std::int64_t{1}));
  EXPECT_EQ(updated.title, "Payments replatforming");
  EXPECT_EQ(updated.geographic_requirements.region, "DACH");
  EXPECT_TRUE(updated.geographic_requirements.requires_physical_presence);
  EXPECT_TRUE(updated.geographic_requirements.allows_remote_work);
  EXPECT_EQ(updated.version, 2);
  EXPECT_TRUE(changes(o.id).empty());
  // A stale If-Match is refused, and nothing changes.
  app::OpportunityPatch again;
  again.title = "Stale";
  expect_error(ErrorCode::precondition_failed,
               [&] { run(svc().opportunities.update(c, o.id, again, std::int64_t{1})); });
  EXPECT_EQ(run(svc().opportunities.get(c, o.id)).title, "Payments replatforming");
}

TEST_P(ModifyTest, ValidationReportsEveryProblem) {
  auto c = ctx(sm1_);
  auto in = sample_input("");
  in.description = "";
  in.arr_cents = -1;
  in.currency = "usd";
  in.geographic_requirements.region = "";
  in.customer_id = "00000000-0000-4000-8000-000000000000";
  auto e = expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.create(c, in, std::nullopt)); });
  for (const char* f : {"title", "description", "annual_recurring_revenue", "currency",
                        "geographic_requirements.region", "customer_id"})
    EXPECT_TRUE(has_field_error(e, f)) << f;
  EXPECT_EQ(count("opportunities"), 0);
}

TEST_P(ModifyTest, OutsideDraftEveryChangeNeedsAReasonAndIsRecorded) {
  auto o = create(sm1_);
  complete(sm1_, o.id);
  auto c = ctx(sm1_);
  o = run(svc().opportunities.submit(c, o.id, std::nullopt));

  app::OpportunityPatch patch;
  patch.title = "Payments replatforming";
  patch.priority = domain::Priority::critical;
  patch.arr_cents = 20'000'000;
  auto e =
      expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.update(c, o.id, patch, std::nullopt)); });
  EXPECT_TRUE(has_field_error(e, "reason"));

  patch.reason = "Customer raised the budget";
  clock().advance(std::chrono::hours(1));
  o = run(svc().opportunities.update(c, o.id, patch, o.version));
  EXPECT_EQ(o.priority, domain::Priority::critical);
  auto recs = changes(o.id);
  ASSERT_EQ(recs.size(), 3u);
  std::map<std::string, domain::ChangeRecord> by_field;
  for (const auto& r : recs) by_field[r.field] = r;
  ASSERT_TRUE(by_field.count("title"));
  EXPECT_EQ(boost::json::parse(*by_field["title"].old_value), boost::json::value("Core banking migration"));
  EXPECT_EQ(boost::json::parse(*by_field["title"].new_value), boost::json::value("Payments replatforming"));
  EXPECT_EQ(by_field["title"].reason, "Customer raised the budget");
  EXPECT_EQ(by_field["title"].changed_by, "sm-1");
  EXPECT_EQ(boost::json::parse(*by_field["priority"].old_value), boost::json::value("HIGH"));
  EXPECT_EQ(boost::json::parse(*by_field["annual_recurring_revenue"].new_value), boost::json::value("200000.00"));

  // Parts: a new requirement with a reason gets its own record.
  app::SkillRequirementInput req{skill_id("German"), domain::Importance::nice_to_have, domain::Proficiency::fluent};
  expect_error(ErrorCode::validation_error,
               [&] { run(svc().opportunities.add_skill_requirement(c, o.id, req, std::nullopt, std::nullopt)); });
  auto added = run(svc().opportunities.add_skill_requirement(c, o.id, req, "Team in Munich", std::nullopt));
  EXPECT_EQ(added.skill_name, "German");
  recs = changes(o.id);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs.back().field, "skill_requirements");
  EXPECT_EQ(recs.back().reason, "Team in Munich");
  EXPECT_EQ(boost::json::parse(*recs.back().new_value).at("skill_name"), boost::json::value("German"));
  EXPECT_EQ(boost::json::parse(*recs.back().old_value), boost::json::value(nullptr));

  // The outbox tells matching what changed.
  auto ev = exec(
      "SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND event_type = 'opportunity.updated' "
      "ORDER BY version DESC",
      {o.id});
  ASSERT_FALSE(ev.empty());
  auto payload = boost::json::parse(ev.rows.front().str(0)).as_object();
  EXPECT_EQ(payload.at("reason").as_string(), "Team in Munich");
  EXPECT_EQ(payload.at("fields").as_array().size(), 1u);

  // Change history pages oldest first without gaps.
  std::vector<std::string> paged;
  app::PageRequest page{1, std::nullopt};
  for (int guard = 0; guard < 10; ++guard) {
    auto p = run(svc().opportunities.changes(c, o.id, page));
    for (const auto& r : p.items) paged.push_back(r.id);
    if (!p.next_cursor) break;
    page.cursor = p.next_cursor;
  }
  std::vector<std::string> all;
  for (const auto& r : changes(o.id)) all.push_back(r.id);
  EXPECT_EQ(paged, all);
}

TEST_P(ModifyTest, NothingChangesOnceAnArchitectIsSelected) {
  auto o = create(sm1_);
  complete(sm1_, o.id);
  auto c = ctx(sm1_);
  run(svc().opportunities.submit(c, o.id, std::nullopt));
  auto svc_ctx = ctx(service_);
  for (auto [to, who] : {std::pair{Status::matching_in_progress, std::optional<std::string>{}},
                         std::pair{Status::matches_found, std::optional<std::string>{}},
                         std::pair{Status::architect_selected, std::optional<std::string>{"sa-7"}}}) {
    app::SystemTransition t{to, std::nullopt, who};
    run(svc().opportunities.transition(svc_ctx, o.id, t, std::nullopt));
  }
  app::OpportunityPatch patch;
  patch.title = "Too late";
  patch.reason = "Trying anyway";
  expect_error(ErrorCode::modification_not_allowed,
               [&] { run(svc().opportunities.update(c, o.id, patch, std::nullopt)); });
  expect_error(ErrorCode::modification_not_allowed, [&] {
    run(svc().opportunities.put_problem_statement(c, o.id, long_text(), "Trying anyway", std::nullopt));
  });
}

TEST_P(ModifyTest, SkillRequirementRules) {
  auto o = create(sm1_);
  auto c = ctx(sm1_);
  app::SkillRequirementInput k8s{skill_id("Kubernetes"), domain::Importance::must_have, domain::Proficiency::expert};
  auto req = run(svc().opportunities.add_skill_requirement(c, o.id, k8s, std::nullopt, std::nullopt));
  EXPECT_EQ(req.skill_type, domain::SkillCategory::technical);
  expect_error(ErrorCode::duplicate,
               [&] { run(svc().opportunities.add_skill_requirement(c, o.id, k8s, std::nullopt, std::nullopt)); });

  app::SkillRequirementInput bad_scale{skill_id("Japanese"), domain::Importance::must_have,
                                       domain::Proficiency::expert};
  auto e = expect_error(ErrorCode::validation_error, [&] {
    run(svc().opportunities.add_skill_requirement(c, o.id, bad_scale, std::nullopt, std::nullopt));
  });
  EXPECT_TRUE(has_field_error(e, "minimum_proficiency"));

  app::SkillRequirementInput unknown{"00000000-0000-4000-8000-000000000000", domain::Importance::must_have,
                                     domain::Proficiency::expert};
  e = expect_error(ErrorCode::validation_error, [&] {
    run(svc().opportunities.add_skill_requirement(c, o.id, unknown, std::nullopt, std::nullopt));
  });
  EXPECT_TRUE(has_field_error(e, "skill_id"));

  // Deactivated skills block new requirements but keep existing ones.
  auto admin = ctx(admin_);
  app::SkillPatch deactivate;
  deactivate.is_active = false;
  run(svc().skills.update(admin, skill_id("Kubernetes"), deactivate));
  run(svc().skills.update(admin, skill_id("Docker"), deactivate));
  app::SkillRequirementInput docker{skill_id("Docker"), domain::Importance::must_have, domain::Proficiency::expert};
  e = expect_error(ErrorCode::validation_error, [&] {
    run(svc().opportunities.add_skill_requirement(c, o.id, docker, std::nullopt, std::nullopt));
  });
  EXPECT_TRUE(has_field_error(e, "skill_id"));
  EXPECT_EQ(run(svc().opportunities.get(c, o.id)).skill_requirements.size(), 1u);

  app::SkillRequirementPatch p;
  p.importance = domain::Importance::nice_to_have;
  auto changed = run(svc().opportunities.update_skill_requirement(c, o.id, req.id, p, std::nullopt, std::nullopt));
  EXPECT_EQ(changed.importance, domain::Importance::nice_to_have);
  run(svc().opportunities.remove_skill_requirement(c, o.id, req.id, std::nullopt, std::nullopt));
  auto after = run(svc().opportunities.get(c, o.id));
  EXPECT_TRUE(after.skill_requirements.empty());
  expect_error(ErrorCode::not_found,
               [&] { run(svc().opportunities.remove_skill_requirement(c, o.id, req.id, std::nullopt, std::nullopt)); });
}

INSTANTIATE_TEST_SUITE_P(Stores, ModifyTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
