#include "util/time.hpp"

#include <gtest/gtest.h>

#include "unit/domain/test_support.hpp"

namespace oms::util {
namespace {

using namespace std::chrono;
using domain::Timestamp;
using domain::testing::date;

Timestamp at(int y, unsigned mo, unsigned d, int h, int mi, int s, long long us = 0) {
  return Timestamp{date(y, mo, d) + hours{h} + minutes{mi} + seconds{s} + microseconds{us}};
}

TEST(FormatTimestamp, AlwaysMicrosecondsAndZ) {
  EXPECT_EQ(format_timestamp(at(2026, 11, 25, 17, 59, 40, 123456)), "2026-11-25T17:59:40.123456Z");
  EXPECT_EQ(format_timestamp(at(2026, 1, 2, 3, 4, 5)), "2026-01-02T03:04:05.000000Z");
  EXPECT_EQ(format_timestamp(Timestamp{}), "1970-01-01T00:00:00.000000Z");
}

TEST(ParseTimestamp, AcceptsRfc3339Shapes) {
  const auto expected = at(2026, 11, 25, 17, 59, 40, 123456);
  EXPECT_EQ(parse_timestamp("2026-11-25T17:59:40.123456Z"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-25 17:59:40.123456Z"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-25t17:59:40.123456z"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-25T17:59:40.123456+00"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-25T17:59:40.123456+00:00"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-25 17:59:40.123456-00:00"), expected);
  EXPECT_EQ(parse_timestamp("2026-11-25T17:59:40Z"), at(2026, 11, 25, 17, 59, 40));
}

TEST(ParseTimestamp, FractionsOfOneToNineDigits) {
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.1Z"), at(2026, 1, 1, 0, 0, 0, 100000));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.12Z"), at(2026, 1, 1, 0, 0, 0, 120000));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.000001Z"), at(2026, 1, 1, 0, 0, 0, 1));
  EXPECT_EQ(parse_timestamp("2026-01-01T00:00:00.123456789Z"), at(2026, 1, 1, 0, 0, 0, 123456));  // truncated
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00.1234567890Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00.Z"));
}

// Found by tests/fuzz/cursor_fuzz: the result must be writable by format_timestamp again.
TEST(ParseTimestamp, RefusesOffsetsThatLeaveYears0000To9999) {
  EXPECT_FALSE(parse_timestamp("0000-01-01T00:30:00+01:00"));
  EXPECT_FALSE(parse_timestamp("9999-12-31T23:30:00-01:00"));
  EXPECT_EQ(parse_timestamp("0000-01-01T01:00:00+01:00"), at(0, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse_timestamp("9999-12-31T22:59:59.999999-01:00"), at(9999, 12, 31, 23, 59, 59, 999999));
  EXPECT_EQ(format_timestamp(*parse_timestamp("9999-12-31T22:59:59.999999-01:00")), "9999-12-31T23:59:59.999999Z");
}

TEST(ParseTimestamp, ConvertsOffsetsToUtc) {
  EXPECT_EQ(parse_timestamp("2026-03-01T01:30:00+02:00"), at(2026, 2, 28, 23, 30, 0));
  EXPECT_EQ(parse_timestamp("2026-12-31T22:00:00-05:30"), at(2027, 1, 1, 3, 30, 0));
  EXPECT_EQ(parse_timestamp("2026-06-01T12:00:00+05"), at(2026, 6, 1, 7, 0, 0));
}

TEST(ParseTimestamp, RejectsInvalidCalendarAndClock) {
  EXPECT_FALSE(parse_timestamp("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2025-02-29T00:00:00Z"));
  EXPECT_TRUE(parse_timestamp("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-00-10T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-04-31T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T23:60:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T23:59:60Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00+24:00"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00+01:60"));
}

TEST(ParseTimestamp, RejectsOtherShapes) {
  EXPECT_FALSE(parse_timestamp(""));
  EXPECT_FALSE(parse_timestamp("2026-01-01"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00"));  // no offset
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-1-01T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01X00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00Z "));
  EXPECT_FALSE(parse_timestamp(" 2026-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00+0100"));
  EXPECT_FALSE(parse_timestamp("2026-01-01T00:00:00+1"));
  EXPECT_FALSE(parse_timestamp("1767225600"));
}

TEST(ParseTimestamp, RoundTripsFormattedValues) {
  for (const auto t : {at(2026, 11, 25, 17, 59, 40, 123456), at(1999, 12, 31, 23, 59, 59, 999999),
                       at(2024, 2, 29, 0, 0, 0, 1), Timestamp{}}) {
    const auto text = format_timestamp(t);
    EXPECT_EQ(parse_timestamp(text), t) << text;
  }
}

TEST(Dates, FormatAndParseRoundTrip) {
  EXPECT_EQ(format_date(date(2026, 3, 7)), "2026-03-07");
  EXPECT_EQ(parse_date("2026-03-07"), date(2026, 3, 7));
  EXPECT_EQ(parse_date("2024-02-29"), date(2024, 2, 29));
  for (const auto d : {date(2026, 1, 1), date(2026, 12, 31), date(2000, 2, 29), date(1970, 1, 1)})
    EXPECT_EQ(parse_date(format_date(d)), d);
}

TEST(Dates, RejectsInvalidDatesAndShapes) {
  EXPECT_FALSE(parse_date("2026-02-30"));
  EXPECT_FALSE(parse_date("2026-02-29"));
  EXPECT_FALSE(parse_date("1900-02-29"));
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("2026-06-31"));
  EXPECT_FALSE(parse_date("2026-06-00"));
  EXPECT_FALSE(parse_date("2026-6-01"));
  EXPECT_FALSE(parse_date("26-06-01"));
  EXPECT_FALSE(parse_date("2026/06/01"));
  EXPECT_FALSE(parse_date("2026-06-01T00:00:00Z"));
  EXPECT_FALSE(parse_date("2026-06-01 "));
  EXPECT_FALSE(parse_date(""));
}

}  // namespace
}  // namespace oms::util
