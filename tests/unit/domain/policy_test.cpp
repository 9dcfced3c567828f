// Authorization for every role x ownership x status.
#include "domain/policy.hpp"

#include <gtest/gtest.h>

#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

enum class Outcome { allowed, not_found, forbidden };

struct Expected {
  Outcome view, change, changes, system;
};

// The table of domain.md, written out independently of the implementation.
Expected expected(Role role, bool own, Status status) {
  constexpr auto ok = Outcome::allowed;
  constexpr auto hidden = Outcome::not_found;
  constexpr auto no = Outcome::forbidden;
  switch (role) {
    case Role::admin:
      return {ok, ok, ok, ok};
    case Role::sales_manager:
      return own ? Expected{ok, ok, ok, no} : Expected{hidden, hidden, hidden, hidden};
    case Role::solution_architect:
      return status == Status::draft ? Expected{hidden, hidden, hidden, hidden} : Expected{ok, no, no, no};
    case Role::service:
      return {ok, no, no, ok};
  }
  return {hidden, hidden, hidden, hidden};
}

void expect_outcome(Outcome outcome, const std::function<void()>& f, const char* what) {
  SCOPED_TRACE(what);
  switch (outcome) {
    case Outcome::allowed:
      EXPECT_NO_THROW(f());
      break;
    case Outcome::not_found:
      testing::expect_error(ErrorCode::not_found, f);
      break;
    case Outcome::forbidden:
      testing::expect_error(ErrorCode::forbidden, f);
      break;
  }
}

class PolicyCase : public ::testing::TestWithParam<std::tuple<Role, bool, Status>> {};

TEST_P(PolicyCase, MatchesTheRoleTable) {
  const auto [role, own, status] = GetParam();
  // "own" means the opportunity's sales_manager_id is the caller's id, whatever the role.
  const Principal p = testing::principal(role, own ? testing::k_owner_id : "someone-else");
  const Opportunity o = testing::complete_opportunity(status);
  const Expected e = expected(role, own, status);

  EXPECT_EQ(can_view(p, o), e.view == Outcome::allowed);
  expect_outcome(
      e.view, [&] { require_view(p, o); }, "require_view");
  expect_outcome(
      e.change, [&] { require_owner_or_admin(p, o); }, "require_owner_or_admin");
  expect_outcome(
      e.changes, [&] { require_view_changes(p, o); }, "require_view_changes");
  expect_outcome(
      e.system, [&] { require_system(p, o); }, "require_system");
}

INSTANTIATE_TEST_SUITE_P(AllCombinations, PolicyCase,
                         ::testing::Combine(::testing::ValuesIn(testing::k_all_roles), ::testing::Bool(),
                                            ::testing::ValuesIn(testing::k_all_statuses)),
                         [](const auto& info) {
                           return std::string(to_string(std::get<0>(info.param))) +
                                  (std::get<1>(info.param) ? "_own_" : "_other_") +
                                  std::string(to_string(std::get<2>(info.param)));
                         });

TEST(Policy, AnEmptyUserIdOwnsNothing) {
  const Principal p = testing::principal(Role::sales_manager, "");
  Opportunity o = testing::complete_opportunity();
  o.sales_manager_id = "";
  EXPECT_FALSE(can_view(p, o));
}

TEST(RequireRole, ForbiddenUnlessListed) {
  const Principal sa = testing::principal(Role::solution_architect, "sa-1");
  EXPECT_NO_THROW(require_role(sa, {Role::solution_architect}));
  EXPECT_NO_THROW(require_role(sa, {Role::admin, Role::solution_architect}));
  testing::expect_error(ErrorCode::forbidden, [&] { require_role(sa, {Role::sales_manager, Role::admin}); });
  testing::expect_error(ErrorCode::forbidden, [&] { require_role(sa, {}); });
}

}  // namespace
}  // namespace oms::domain
