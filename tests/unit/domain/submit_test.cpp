#include "domain/submit.hpp"

#include <gtest/gtest.h>

#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

using testing::complete_opportunity;
using testing::has_field;
using testing::repeat;

TEST(Submission, CompleteDraftMaySubmit) {
  EXPECT_TRUE(submission_problems(complete_opportunity()).empty());
  EXPECT_NO_THROW(check_submit(complete_opportunity()));
}

TEST(Submission, OnlyFromDraft) {
  for (auto s : testing::k_all_statuses) {
    if (s == Status::draft) continue;
    testing::expect_error(ErrorCode::invalid_transition, [&] { check_submit(complete_opportunity(s)); });
  }
}

TEST(Submission, InvalidTransitionTakesPrecedenceOverMissingParts) {
  Opportunity o;  // empty and not a draft
  o.status = Status::submitted;
  testing::expect_error(ErrorCode::invalid_transition, [&] { check_submit(o); });
}

// Each unmet rule on its own: exactly one problem, on the expected field.
struct Unmet {
  std::string name;
  std::function<void(Opportunity&)> spoil;
  std::string field;
};

std::vector<Unmet> unmet_rules() {
  return {
      {"no_problem_statement", [](Opportunity& o) { o.problem_statement.reset(); }, "problem_statement"},
      {"problem_statement_139", [](Opportunity& o) { o.problem_statement->content = repeat("\xC3\xA9", 139); },
       "problem_statement"},
      {"problem_statement_5001", [](Opportunity& o) { o.problem_statement->content = repeat("\xE6\x97\xA5", 5001); },
       "problem_statement"},
      {"problem_statement_139_after_trim",
       [](Opportunity& o) { o.problem_statement->content = "   " + repeat("a", 139) + "\n\n"; }, "problem_statement"},
      {"no_skills", [](Opportunity& o) { o.skill_requirements.clear(); }, "skill_requirements"},
      {"no_must_have",
       [](Opportunity& o) {
         o.skill_requirements[0].importance = Importance::nice_to_have;
         o.skill_requirements.push_back(o.skill_requirements[0]);
         o.skill_requirements[1].skill_id = "s2";
       },
       "skill_requirements"},
      {"no_timeline", [](Opportunity& o) { o.timeline.reset(); }, "timeline"},
      {"timeline_start_equals_end",
       [](Opportunity& o) { o.timeline->expected_end_date = o.timeline->expected_start_date; }, "timeline"},
      {"timeline_day_outside",
       [](Opportunity& o) {
         o.timeline->specific_required_days = {o.timeline->expected_end_date + std::chrono::days(1)};
       },
       "timeline"},
      {"empty_title", [](Opportunity& o) { o.title = ""; }, "title"},
      {"blank_title", [](Opportunity& o) { o.title = " \t "; }, "title"},
      {"empty_description", [](Opportunity& o) { o.description = ""; }, "description"},
      {"no_customer", [](Opportunity& o) { o.customer_id = ""; }, "customer_id"},
      {"empty_region", [](Opportunity& o) { o.geographic_requirements.region = ""; }, "geographic_requirements.region"},
      {"negative_revenue", [](Opportunity& o) { o.annual_recurring_revenue.cents = -1; }, "annual_recurring_revenue"},
      {"bad_currency", [](Opportunity& o) { o.annual_recurring_revenue.currency = "usd"; }, "currency"},
  };
}

class SubmissionRule : public ::testing::TestWithParam<Unmet> {};

TEST_P(SubmissionRule, IsListedWhenUnmet) {
  Opportunity o = complete_opportunity();
  GetParam().spoil(o);
  const auto problems = submission_problems(o);
  ASSERT_EQ(problems.size(), 1u) << GetParam().name;
  EXPECT_EQ(problems[0].field, GetParam().field);
  EXPECT_FALSE(problems[0].message.empty());
  const auto e = testing::expect_error(ErrorCode::submission_incomplete, [&] { check_submit(o); });
  EXPECT_EQ(e.errors(), problems);
}

INSTANTIATE_TEST_SUITE_P(Rules, SubmissionRule, ::testing::ValuesIn(unmet_rules()),
                         [](const auto& info) { return info.param.name; });

TEST(Submission, ProblemStatementBoundariesInCodePoints) {
  for (std::string_view unit : {"a", "\xC3\xA9", "\xF0\x9F\x98\x80"}) {
    Opportunity o = complete_opportunity();
    o.problem_statement->content = repeat(unit, 140);
    EXPECT_TRUE(submission_problems(o).empty());
    o.problem_statement->content = repeat(unit, 5000);
    EXPECT_TRUE(submission_problems(o).empty());
  }
}

TEST(Submission, ListsEveryUnmetRuleAtOnce) {
  Opportunity o;  // a bare draft: nothing filled in
  o.annual_recurring_revenue.currency = "";
  const auto e = testing::expect_error(ErrorCode::submission_incomplete, [&] { check_submit(o); });
  for (const char* field : {"title", "description", "customer_id", "geographic_requirements.region", "currency",
                            "problem_statement", "skill_requirements", "timeline"})
    EXPECT_TRUE(has_field(e.errors(), field)) << field;
  EXPECT_EQ(e.errors().size(), 8u);
}

TEST(Submission, ListsTheFourCoreRulesTogether) {
  Opportunity o = complete_opportunity();
  o.problem_statement->content = "too short";
  o.skill_requirements[0].importance = Importance::nice_to_have;
  o.timeline->expected_start_date = o.timeline->expected_end_date;
  o.title = "";
  const auto problems = submission_problems(o);
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_TRUE(has_field(problems, "problem_statement"));
  EXPECT_TRUE(has_field(problems, "skill_requirements"));
  EXPECT_TRUE(has_field(problems, "timeline"));
  EXPECT_TRUE(has_field(problems, "title"));
}

}  // namespace
}  // namespace oms::domain
