// Length rules count Unicode code points, after trimming; multibyte characters count once.
#include <gtest/gtest.h>

#include "domain/validation.hpp"
#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

using testing::repeat;

constexpr std::string_view k_e_acute = "\xC3\xA9";        // 2 bytes
constexpr std::string_view k_cjk = "\xE6\x97\xA5";        // 3 bytes
constexpr std::string_view k_emoji = "\xF0\x9F\x98\x80";  // 4 bytes

struct LengthCase {
  std::string name;
  std::function<void(Validator&, std::string_view)> check;
  std::string field;
  std::size_t min;
  std::size_t max;
};

std::vector<LengthCase> length_cases() {
  return {
      {"title", [](Validator& v, std::string_view s) { check_title(v, s); }, "title", 1, 200},
      {"description", [](Validator& v, std::string_view s) { check_description(v, s); }, "description", 1, 2000},
      {"region", [](Validator& v, std::string_view s) { check_region(v, "geographic_requirements.region", s); },
       "geographic_requirements.region", 1, 100},
      {"reason", [](Validator& v, std::string_view s) { check_reason(v, "reason", std::string(s), true); }, "reason", 1,
       500},
      {"problem_statement", [](Validator& v, std::string_view s) { check_problem_statement(v, "content", s); },
       "content", 140, 5000},
  };
}

class LengthRule : public ::testing::TestWithParam<LengthCase> {};

TEST_P(LengthRule, MultibyteAtTheBoundaries) {
  const auto& c = GetParam();
  for (std::string_view unit : {std::string_view("a"), k_e_acute, k_cjk, k_emoji}) {
    Validator at_max;
    c.check(at_max, repeat(unit, c.max));
    EXPECT_TRUE(at_max.ok()) << c.name << " with " << c.max << " x " << unit;

    Validator above_max;
    c.check(above_max, repeat(unit, c.max + 1));
    ASSERT_EQ(above_max.errors().size(), 1u) << c.name;
    EXPECT_EQ(above_max.errors()[0].field, c.field);

    Validator at_min;
    c.check(at_min, repeat(unit, c.min));
    EXPECT_TRUE(at_min.ok()) << c.name;

    if (c.min > 1) {
      Validator below_min;
      c.check(below_min, repeat(unit, c.min - 1));
      ASSERT_EQ(below_min.errors().size(), 1u) << c.name;
      EXPECT_EQ(below_min.errors()[0].field, c.field);
    }
  }
}

TEST_P(LengthRule, EmptyAndBlankAreRefused) {
  const auto& c = GetParam();
  for (std::string_view blank : {"", "   ", "\t\n", "\xC2\xA0\xE3\x80\x80"}) {
    Validator v;
    c.check(v, blank);
    ASSERT_EQ(v.errors().size(), 1u) << c.name;
    EXPECT_EQ(v.errors()[0].field, c.field);
  }
}

TEST_P(LengthRule, SurroundingWhiteSpaceDoesNotCount) {
  const auto& c = GetParam();
  Validator padded_max;
  c.check(padded_max, "  " + repeat(k_emoji, c.max) + "\xC2\xA0\n");
  EXPECT_TRUE(padded_max.ok()) << c.name;
  if (c.min > 1) {
    Validator padded_short;
    c.check(padded_short, repeat(" ", 10) + repeat("a", c.min - 1) + repeat(" ", 10));
    EXPECT_FALSE(padded_short.ok()) << c.name;
  }
}

TEST_P(LengthRule, InvalidUtf8IsRefused) {
  const auto& c = GetParam();
  Validator v;
  c.check(v, repeat("a", c.min) + "\xC0\xAF");
  ASSERT_EQ(v.errors().size(), 1u) << c.name;
  EXPECT_EQ(v.errors()[0].field, c.field);
  EXPECT_NE(v.errors()[0].message.find("UTF-8"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Fields, LengthRule, ::testing::ValuesIn(length_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(CheckText, UntrimmedCountsWhiteSpace) {
  Validator v;
  check_text(v, "x", "  ab  ", 1, 4, false);
  ASSERT_EQ(v.errors().size(), 1u);
  Validator w;
  check_text(w, "x", "  ab  ", 1, 4, true);
  EXPECT_TRUE(w.ok());
}

TEST(CheckReason, OptionalUnlessRequired) {
  Validator absent_optional;
  check_reason(absent_optional, "reason", std::nullopt, false);
  EXPECT_TRUE(absent_optional.ok());

  Validator absent_required;
  check_reason(absent_required, "reason", std::nullopt, true);
  ASSERT_EQ(absent_required.errors().size(), 1u);
  EXPECT_EQ(absent_required.errors()[0], (FieldError{"reason", "is required"}));

  Validator empty_optional;  // given but empty is still wrong
  check_reason(empty_optional, "reason", std::string(""), false);
  EXPECT_FALSE(empty_optional.ok());
}

TEST(Validator, CollectsEveryProblemBeforeThrowing) {
  Validator v;
  check_title(v, "");
  check_description(v, "");
  check_region(v, "geographic_requirements.region", repeat("a", 101));
  ASSERT_EQ(v.errors().size(), 3u);
  const auto e = testing::expect_error(ErrorCode::validation_error, [&] { v.throw_if_failed(); });
  EXPECT_EQ(e.errors().size(), 3u);
  EXPECT_TRUE(testing::has_field(e.errors(), "title"));
  EXPECT_TRUE(testing::has_field(e.errors(), "description"));
  EXPECT_TRUE(testing::has_field(e.errors(), "geographic_requirements.region"));
}

}  // namespace
}  // namespace oms::domain
