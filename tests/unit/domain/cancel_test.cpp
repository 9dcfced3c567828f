#include "domain/cancel.hpp"

#include <gtest/gtest.h>

#include "domain/clock.hpp"
#include "unit/domain/test_support.hpp"
#include "util/time.hpp"

namespace oms::domain {
namespace {

using namespace std::chrono;

Opportunity cancelled_from(Status before, Timestamp cancelled_at) {
  Opportunity o = testing::complete_opportunity(Status::cancelled);
  o.status_before_cancellation = before;
  o.cancelled_at = cancelled_at;
  o.cancellation_reason = "budget frozen";
  return o;
}

const Timestamp k_cancelled_at = *util::parse_timestamp("2026-01-10T08:30:00.250000Z");

TEST(Reactivation, DeadlineIsNinetyDaysAfterCancellation) {
  EXPECT_EQ(util::format_timestamp(reactivation_deadline(k_cancelled_at)), "2026-04-10T08:30:00.250000Z");
}

TEST(Reactivation, WindowWithAManualClock) {
  const Opportunity o = cancelled_from(Status::matches_found, k_cancelled_at);
  ManualClock clock{k_cancelled_at};
  EXPECT_EQ(check_reactivate(o, clock.now()), Status::matches_found);

  clock.set(reactivation_deadline(k_cancelled_at) - microseconds{1});
  EXPECT_EQ(check_reactivate(o, clock.now()), Status::matches_found);

  clock.advance(microseconds{1});  // exactly at the deadline: still inside (inclusive)
  EXPECT_EQ(check_reactivate(o, clock.now()), Status::matches_found);

  clock.advance(microseconds{1});  // one microsecond late
  testing::expect_error(ErrorCode::reactivation_window_expired, [&] { check_reactivate(o, clock.now()); });

  clock.advance(days{365});
  testing::expect_error(ErrorCode::reactivation_window_expired, [&] { check_reactivate(o, clock.now()); });
}

TEST(Reactivation, ReturnsTheStatusBeforeCancellation) {
  for (auto before : {Status::draft, Status::submitted, Status::matching_in_progress, Status::matches_found,
                      Status::architect_selected})
    EXPECT_EQ(check_reactivate(cancelled_from(before, k_cancelled_at), k_cancelled_at + days{1}), before);
}

TEST(Reactivation, OnlyCancelledOpportunities) {
  for (auto s : testing::k_all_statuses) {
    if (s == Status::cancelled) continue;
    Opportunity o = testing::complete_opportunity(s);
    o.cancelled_at = k_cancelled_at;
    o.status_before_cancellation = Status::draft;
    testing::expect_error(ErrorCode::invalid_transition, [&] { check_reactivate(o, k_cancelled_at); });
  }
}

TEST(Reactivation, MissingCancellationRecordIsAnInternalError) {
  Opportunity o = cancelled_from(Status::draft, k_cancelled_at);
  o.cancelled_at.reset();
  testing::expect_error(ErrorCode::internal, [&] { check_reactivate(o, k_cancelled_at); });
}

}  // namespace
}  // namespace oms::domain
