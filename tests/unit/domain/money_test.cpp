#include <gtest/gtest.h>

#include <vector>

#include "domain/validation.hpp"

namespace oms::domain {
namespace {

TEST(ParseMoney, AcceptsCanonicalDecimals) {
  EXPECT_EQ(parse_money("125000.00"), 12'500'000);
  EXPECT_EQ(parse_money("0"), 0);
  EXPECT_EQ(parse_money("0.00"), 0);
  EXPECT_EQ(parse_money("0.5"), 50);
  EXPECT_EQ(parse_money("0.05"), 5);
  EXPECT_EQ(parse_money("12"), 1200);
  EXPECT_EQ(parse_money("12.5"), 1250);
  EXPECT_EQ(parse_money("1000000000000"), k_money_max_cents);
  EXPECT_EQ(parse_money("1000000000000.00"), k_money_max_cents);
}

TEST(ParseMoney, RejectsEverythingElse) {
  for (const char* text : {"-1", "+1", "1e3", "1E3", " 1", "1 ", "1.234", "", ".5", "5.", "abc", "1,000.00", "1.2.3",
                           "0x10", "01", "00.50", "1.-5", "1.a", "١٢"})
    EXPECT_FALSE(parse_money(text)) << '"' << text << '"';
}

TEST(ParseMoney, RejectsValuesAboveTheMaximumWithoutOverflow) {
  EXPECT_FALSE(parse_money("1000000000000.01"));
  EXPECT_FALSE(parse_money("9999999999999"));
  EXPECT_FALSE(parse_money("99999999999999999999999999"));
  EXPECT_FALSE(parse_money("9223372036854775808"));
}

TEST(FormatMoney, AlwaysTwoDecimals) {
  EXPECT_EQ(format_money(12'500'000), "125000.00");
  EXPECT_EQ(format_money(0), "0.00");
  EXPECT_EQ(format_money(5), "0.05");
  EXPECT_EQ(format_money(50), "0.50");
  EXPECT_EQ(format_money(-150), "-1.50");
  EXPECT_EQ(format_money(k_money_max_cents), "1000000000000.00");
}

TEST(FormatMoney, RoundTripsThroughParse) {
  for (const std::int64_t cents : std::vector<std::int64_t>{0, 1, 99, 100, 12'345, 12'500'000, k_money_max_cents})
    EXPECT_EQ(parse_money(format_money(cents)), cents);
}

TEST(CurrencyCode, ThreeUpperCaseLetters) {
  EXPECT_TRUE(is_currency_code("USD"));
  EXPECT_TRUE(is_currency_code("EUR"));
  EXPECT_FALSE(is_currency_code("usd"));
  EXPECT_FALSE(is_currency_code("US"));
  EXPECT_FALSE(is_currency_code("USDT"));
  EXPECT_FALSE(is_currency_code("U5D"));
  EXPECT_FALSE(is_currency_code(""));
}

}  // namespace
}  // namespace oms::domain
