#include <gtest/gtest.h>

#include "domain/validation.hpp"
#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

using testing::date;

Timeline timeline(Date start, Date end, std::vector<Date> days = {}) {
  return Timeline{start, end, std::move(days), false};
}

TEST(Timeline, StartBeforeEndIsValid) {
  Validator v;
  check_timeline(v, timeline(date(2026, 3, 1), date(2026, 3, 2)));
  EXPECT_TRUE(v.ok());
}

TEST(Timeline, StartEqualToEndIsRefused) {
  Validator v;
  check_timeline(v, timeline(date(2026, 3, 1), date(2026, 3, 1)));
  ASSERT_EQ(v.errors().size(), 1u);
  EXPECT_EQ(v.errors()[0].field, "expected_end_date");
}

TEST(Timeline, StartAfterEndIsRefused) {
  Validator v;
  check_timeline(v, timeline(date(2026, 3, 2), date(2026, 3, 1)));
  ASSERT_EQ(v.errors().size(), 1u);
  EXPECT_EQ(v.errors()[0].field, "expected_end_date");
}

TEST(Timeline, DaysOnTheBoundariesAreInside) {
  Validator v;
  check_timeline(
      v, timeline(date(2026, 3, 1), date(2026, 3, 31), {date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 31)}));
  EXPECT_TRUE(v.ok());
}

TEST(Timeline, DaysOutsideTheRangeAreNamedByIndex) {
  Validator v;
  check_timeline(
      v, timeline(date(2026, 3, 1), date(2026, 3, 31), {date(2026, 3, 10), date(2026, 2, 28), date(2026, 4, 1)}));
  ASSERT_EQ(v.errors().size(), 2u);
  EXPECT_EQ(v.errors()[0].field, "specific_required_days[1]");
  EXPECT_EQ(v.errors()[1].field, "specific_required_days[2]");
}

TEST(Timeline, DuplicateDaysAreRefused) {
  Validator v;
  check_timeline(
      v, timeline(date(2026, 3, 1), date(2026, 3, 31), {date(2026, 3, 10), date(2026, 3, 11), date(2026, 3, 10)}));
  ASSERT_EQ(v.errors().size(), 1u);
  EXPECT_EQ(v.errors()[0].field, "specific_required_days[2]");
}

TEST(Timeline, ReportsEveryProblemAtOnce) {
  Validator v;
  check_timeline(v, timeline(date(2026, 3, 31), date(2026, 3, 1), {date(2026, 5, 1), date(2026, 5, 1)}));
  // end before start; both days outside; the second also a duplicate
  EXPECT_EQ(v.errors().size(), 4u);
  EXPECT_TRUE(testing::has_field(v.errors(), "expected_end_date"));
  EXPECT_TRUE(testing::has_field(v.errors(), "specific_required_days[0]"));
  EXPECT_TRUE(testing::has_field(v.errors(), "specific_required_days[1]"));
}

}  // namespace
}  // namespace oms::domain
