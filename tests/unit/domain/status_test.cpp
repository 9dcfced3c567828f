// Every (from, to) pair of the 7 statuses, allowed or refused, through the operation that would
// produce `to`: cancel for CANCELLED, reactivate out of CANCELLED, submit for SUBMITTED, and the
// system transition otherwise.
#include "domain/status.hpp"

#include <gtest/gtest.h>

#include <set>

#include "domain/cancel.hpp"
#include "domain/submit.hpp"
#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

using testing::complete_opportunity;
using Pair = std::pair<Status, Status>;

const std::set<Pair>& allowed_pairs() {
  static const std::set<Pair> pairs{
      {Status::draft, Status::submitted},
      {Status::submitted, Status::matching_in_progress},
      {Status::matching_in_progress, Status::matches_found},
      {Status::matches_found, Status::architect_selected},
      {Status::architect_selected, Status::completed},
      {Status::draft, Status::cancelled},
      {Status::submitted, Status::cancelled},
      {Status::matching_in_progress, Status::cancelled},
      {Status::matches_found, Status::cancelled},
      {Status::architect_selected, Status::cancelled},
      {Status::cancelled, Status::draft},
      {Status::cancelled, Status::submitted},
      {Status::cancelled, Status::matching_in_progress},
      {Status::cancelled, Status::matches_found},
      {Status::cancelled, Status::architect_selected},
  };
  return pairs;
}

// Attempts the transition; returns the status the domain says to move to.
Status attempt(Status from, Status to) {
  Opportunity o = complete_opportunity(from);
  if (from == Status::cancelled && to != Status::completed && to != Status::cancelled) {
    o.cancelled_at = Timestamp{std::chrono::seconds{1'000'000}};
    o.status_before_cancellation = to;
    return check_reactivate(o, *o.cancelled_at);
  }
  if (to == Status::cancelled) {
    check_cancel(o, std::string("customer withdrew"));
    return Status::cancelled;
  }
  if (to == Status::submitted) {
    check_submit(o);
    return Status::submitted;
  }
  check_system_transition(o, to, std::string("architect-1"));
  return to;
}

class TransitionPair : public ::testing::TestWithParam<std::tuple<Status, Status>> {};

TEST_P(TransitionPair, AllowedOrRefusedWithInvalidTransition) {
  // Not a structured binding: clang 14 cannot capture one in the lambda below (C++20 P1381).
  const Status from = std::get<0>(GetParam());
  const Status to = std::get<1>(GetParam());
  if (allowed_pairs().contains({from, to})) {
    EXPECT_EQ(attempt(from, to), to);
  } else {
    testing::expect_error(ErrorCode::invalid_transition, [&] { attempt(from, to); });
  }
}

INSTANTIATE_TEST_SUITE_P(AllPairs, TransitionPair,
                         ::testing::Combine(::testing::ValuesIn(testing::k_all_statuses),
                                            ::testing::ValuesIn(testing::k_all_statuses)),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) + "_to_" +
                                  std::string(to_string(std::get<1>(info.param)));
                         });

TEST(SystemTransition, OnlyTheFourForwardSteps) {
  int allowed = 0;
  for (auto from : testing::k_all_statuses)
    for (auto to : testing::k_all_statuses) allowed += is_system_transition(from, to) ? 1 : 0;
  EXPECT_EQ(allowed, 4);
  EXPECT_TRUE(is_system_transition(Status::submitted, Status::matching_in_progress));
  EXPECT_FALSE(is_system_transition(Status::submitted, Status::matches_found));             // no skipping
  EXPECT_FALSE(is_system_transition(Status::matches_found, Status::matching_in_progress));  // no going back
}

TEST(SystemTransition, ArchitectSelectedNeedsTheArchitect) {
  const Opportunity o = complete_opportunity(Status::matches_found);
  auto e = testing::expect_error(ErrorCode::validation_error,
                                 [&] { check_system_transition(o, Status::architect_selected, std::nullopt); });
  EXPECT_TRUE(testing::has_field(e.errors(), "selected_architect_id"));
  e = testing::expect_error(ErrorCode::validation_error,
                            [&] { check_system_transition(o, Status::architect_selected, std::string("")); });
  EXPECT_TRUE(testing::has_field(e.errors(), "selected_architect_id"));
  EXPECT_NO_THROW(check_system_transition(o, Status::architect_selected, std::string("sa-7")));
}

TEST(SystemTransition, OtherStepsNeedNoArchitect) {
  EXPECT_NO_THROW(
      check_system_transition(complete_opportunity(Status::submitted), Status::matching_in_progress, std::nullopt));
  EXPECT_NO_THROW(
      check_system_transition(complete_opportunity(Status::architect_selected), Status::completed, std::nullopt));
}

TEST(Cancel, NeedsAReasonOfOneTo500CodePoints) {
  const Opportunity o = complete_opportunity(Status::submitted);
  auto e = testing::expect_error(ErrorCode::validation_error, [&] { check_cancel(o, std::nullopt); });
  EXPECT_TRUE(testing::has_field(e.errors(), "reason"));
  testing::expect_error(ErrorCode::validation_error, [&] { check_cancel(o, std::string("   ")); });
  testing::expect_error(ErrorCode::validation_error,
                        [&] { check_cancel(o, testing::repeat("\xF0\x9F\x98\x80", 501)); });
  EXPECT_NO_THROW(check_cancel(o, testing::repeat("\xF0\x9F\x98\x80", 500)));
  EXPECT_NO_THROW(check_cancel(o, std::string("x")));
}

TEST(Cancel, TerminalStatusesAreRefusedBeforeTheReasonIsChecked) {
  testing::expect_error(ErrorCode::invalid_transition,
                        [&] { check_cancel(complete_opportunity(Status::completed), std::nullopt); });
  testing::expect_error(ErrorCode::invalid_transition,
                        [&] { check_cancel(complete_opportunity(Status::cancelled), std::string("again")); });
}

}  // namespace
}  // namespace oms::domain
