// The users table under Cognito's token kinds: an ID token brings the profile, an access token
// (no name, no email) records the user without requiring them and never blanks what is known.
#include "app_fixture.hpp"

namespace oms::testing {
namespace {

class UsersFromTokensTest : public AppTest {};

domain::Principal from_access_token(std::string sub, std::string username, domain::Role role) {
  domain::Principal p;
  p.user_id = std::move(sub);
  p.role = role;
  p.name = std::move(username);
  p.profile_from_token = false;
  return p;
}

TEST_P(UsersFromTokensTest, AnAccessTokenFirstRecordsTheUsernameThenAnIdTokenTheProfile) {
  const auto audit = count("audit_log");
  auto access = from_access_token("sub-a1", "my-test-user", domain::Role::sales_manager);
  auto u = run(svc().users.touch(access));
  EXPECT_EQ(u.name, "my-test-user");
  EXPECT_EQ(u.email, "");
  EXPECT_EQ(count("audit_log"), audit + 1);

  domain::Principal id = principal("sub-a1", domain::Role::sales_manager);
  id.name = "Jane Doe";
  id.email = "jane@example.com";
  id.department = "Sales";
  u = run(svc().users.touch(id));
  EXPECT_EQ(u.name, "Jane Doe");
  EXPECT_EQ(u.email, "jane@example.com");
  EXPECT_EQ(count("audit_log"), audit + 2);

  // Later access tokens keep the profile and write nothing while the role is unchanged.
  u = run(svc().users.touch(access));
  EXPECT_EQ(u.name, "Jane Doe");
  EXPECT_EQ(u.email, "jane@example.com");
  EXPECT_EQ(u.department, std::optional<std::string>("Sales"));
  EXPECT_EQ(count("audit_log"), audit + 2);
  auto row = exec("SELECT name, email FROM users WHERE id = $1", {std::string("sub-a1")});
  ASSERT_EQ(row.rows.size(), 1u);
  EXPECT_EQ(row.rows[0].text(0), std::optional<std::string>("Jane Doe"));
  EXPECT_EQ(row.rows[0].text(1), std::optional<std::string>("jane@example.com"));

  // A role change carried by an access token (cognito:groups) is recorded and audited.
  access.role = domain::Role::admin;
  u = run(svc().users.touch(access));
  EXPECT_EQ(u.role, domain::Role::admin);
  EXPECT_EQ(u.name, "Jane Doe");
  EXPECT_EQ(count("audit_log"), audit + 3);
}

INSTANTIATE_TEST_SUITE_P(Stores, UsersFromTokensTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
