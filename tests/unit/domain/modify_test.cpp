#include "domain/modify.hpp"

#include <gtest/gtest.h>

#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

using testing::repeat;

ModificationMode expected_mode(Status s) {
  const auto name = to_string(s);
  if (name == "DRAFT") return ModificationMode::free;
  if (name == "SUBMITTED" || name == "MATCHING_IN_PROGRESS" || name == "MATCHES_FOUND")
    return ModificationMode::with_reason;
  return ModificationMode::forbidden;
}

struct ReasonCase {
  std::string name;
  std::optional<std::string> reason;
  bool valid;  // 1..500 code points after trimming
};

const std::vector<ReasonCase>& reason_cases() {
  static const std::vector<ReasonCase> cases{
      {"none", std::nullopt, false},
      {"empty", std::string(""), false},
      {"blank", std::string("  \n"), false},
      {"one", std::string("x"), true},
      {"emoji_500", repeat("\xF0\x9F\x98\x80", 500), true},
      {"emoji_501", repeat("\xF0\x9F\x98\x80", 501), false},
      {"invalid_utf8", std::string("fix \xFF"), false},
  };
  return cases;
}

class ModificationRule : public ::testing::TestWithParam<std::tuple<Status, std::size_t>> {};

TEST_P(ModificationRule, PerStatusWithAndWithoutReasons) {
  // Not a structured binding: clang 14 cannot capture one in the lambdas below (C++20 P1381).
  const Status status = std::get<0>(GetParam());
  const std::size_t index = std::get<1>(GetParam());
  const ReasonCase& c = reason_cases()[index];
  const ModificationMode mode = expected_mode(status);
  EXPECT_EQ(modification_mode(status), mode);
  switch (mode) {
    case ModificationMode::free:
      EXPECT_FALSE(check_modification(status, c.reason)) << c.name;  // no reason needed, no change records
      break;
    case ModificationMode::with_reason:
      if (c.valid) {
        EXPECT_TRUE(check_modification(status, c.reason)) << c.name;
      } else {
        const auto e =
            testing::expect_error(ErrorCode::validation_error, [&] { check_modification(status, c.reason); });
        ASSERT_EQ(e.errors().size(), 1u);
        EXPECT_EQ(e.errors()[0].field, "reason");
      }
      break;
    case ModificationMode::forbidden:
      testing::expect_error(ErrorCode::modification_not_allowed, [&] { check_modification(status, c.reason); });
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(AllStatuses, ModificationRule,
                         ::testing::Combine(::testing::ValuesIn(testing::k_all_statuses),
                                            ::testing::Range<std::size_t>(0, reason_cases().size())),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) + "_" +
                                  reason_cases()[std::get<1>(info.param)].name;
                         });

}  // namespace
}  // namespace oms::domain
