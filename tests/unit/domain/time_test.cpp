#include "util/time.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>

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

// The text as snprintf writes it (what format_timestamp wrote before it was written by hand).
std::string reference_text(Timestamp t) {
  const auto day_point = floor<days>(t);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{t - day_point};
  char buf[128];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02lld.%06lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()), static_cast<long long>(hms.subseconds().count()));
  return buf;
}

TEST(FormatTimestamp, WritesWhatSnprintfWroteAcrossYears0000To9999) {
  const auto first = at(0, 1, 1, 0, 0, 0).time_since_epoch().count();
  const auto last = at(9999, 12, 31, 23, 59, 59, 999999).time_since_epoch().count();
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;  // a fixed sequence: the same cases every run
  const auto span = static_cast<std::uint64_t>(last - first) + 1;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const Timestamp t{microseconds{first + static_cast<long long>((state >> 11) % span)}};
    const std::string text = format_timestamp(t);
    ASSERT_EQ(text, reference_text(t));
    ASSERT_EQ(parse_timestamp(text), t) << text;
  }
  for (const auto t : {at(0, 1, 1, 0, 0, 0), at(9999, 12, 31, 23, 59, 59, 999999), at(1969, 12, 31, 23, 59, 59, 1),
                       at(2000, 2, 29, 12, 0, 0, 100000)}) {
    EXPECT_EQ(format_timestamp(t), reference_text(t));
  }
  // Years oms never writes (parse_timestamp refuses them) still come out as before.
  EXPECT_EQ(format_timestamp(at(10000, 1, 1, 0, 0, 0)), "10000-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_timestamp(at(-1, 12, 31, 23, 59, 59)), "-001-12-31T23:59:59.000000Z");
  EXPECT_EQ(format_date(date(10000, 1, 2)), "10000-01-02");
  EXPECT_EQ(format_date(date(0, 3, 4)), "0000-03-04");
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
