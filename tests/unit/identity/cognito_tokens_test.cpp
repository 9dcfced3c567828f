// Amazon Cognito's three token shapes, signed here with the claims of AWS's documented example
// payloads (Cognito developer guide: "Understanding the access token", "Understanding the
// identity (ID) token", and the client-credentials access token of "Scopes, M2M, and resource
// servers"); only iss, times and the groups naming our roles are adapted.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/error.hpp"
#include "identity/cognito_claims.hpp"
#include "identity/jwks.hpp"
#include "identity/jwt.hpp"

namespace oms::identity {
namespace {

using namespace std::chrono_literals;
using domain::DomainError;
using domain::ErrorCode;
using domain::Role;

const std::chrono::sys_seconds k_cognito_now{std::chrono::seconds(1'676'313'900)};
constexpr const char* k_issuer = "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example";
constexpr const char* k_client = "xxxxxxxxxxxxexample";
constexpr const char* k_scope = "oms/service";

const RsaKey& key() {
  static const RsaKey k = RsaKey::generate();
  return k;
}

VerifyOptions cognito_options(std::string service_scope = k_scope) { return {k_issuer, k_client, 60s, service_scope}; }

VerifiedToken verify(const boost::json::object& claims, const VerifyOptions& o = cognito_options()) {
  KeySet set = parse_jwks(jwks_document(key(), key().kid()));
  return verify_token(sign_token(claims, key(), key().kid()), set, o, k_cognito_now);
}

void expect_rejected(const boost::json::object& claims, const std::string& fragment,
                     const VerifyOptions& o = cognito_options()) {
  try {
    verify(claims, o);
    FAIL() << "accepted a token that should fail with: " << fragment;
  } catch (const DomainError& e) {
    EXPECT_EQ(e.code(), ErrorCode::unauthenticated);
    EXPECT_NE(e.detail().find(fragment), std::string::npos) << e.detail();
  }
}

// AWS's access token example (a user signed in through the app client).
boost::json::object access_token() {
  return boost::json::parse(R"({
    "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "device_key": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "cognito:groups": ["SALES_MANAGER"],
    "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
    "version": 2,
    "client_id": "xxxxxxxxxxxxexample",
    "origin_jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "event_id": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "token_use": "access",
    "scope": "phone openid profile resourceserver.1/appclient2 email",
    "auth_time": 1676313851,
    "exp": 1676317451,
    "iat": 1676313851,
    "jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "username": "my-test-user"
  })")
      .as_object();
}

// AWS's ID token example.
boost::json::object id_token() {
  return boost::json::parse(R"({
    "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "cognito:groups": ["test-group-a", "ADMIN", "test-group-c"],
    "email_verified": true,
    "cognito:preferred_role": "arn:aws:iam::111122223333:role/my-test-role",
    "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
    "cognito:username": "my-test-user",
    "middle_name": "Jane",
    "nonce": "abcdefg",
    "origin_jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "cognito:roles": ["arn:aws:iam::111122223333:role/my-test-role"],
    "aud": "xxxxxxxxxxxxexample",
    "identities": [{"providerName": "SignInWithApple", "providerType": "SignInWithApple", "primary": "false",
                    "dateCreated": "1642699117273", "userId": "111111.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.1111",
                    "issuer": null}],
    "event_id": "64f513be-32db-42b0-b78e-b02127b4f463",
    "token_use": "id",
    "auth_time": 1676312777,
    "exp": 1676316377,
    "iat": 1676312777,
    "jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "email": "my-test-user@example.com"
  })")
      .as_object();
}

// AWS's client-credentials (machine-to-machine) access token example, with our scope.
boost::json::object client_credentials_token() {
  return boost::json::parse(R"({
    "sub": "1example23456789",
    "token_use": "access",
    "scope": "oms/read oms/service",
    "auth_time": 1676313851,
    "iss": "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example",
    "exp": 1676317451,
    "iat": 1676313851,
    "version": 2,
    "jti": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
    "client_id": "1example23456789"
  })")
      .as_object();
}

TEST(CognitoAccessToken, NamesTheUserAndTakesTheRoleFromGroupsWithoutAProfile) {
  auto v = verify(access_token());
  EXPECT_EQ(v.principal.user_id, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  EXPECT_EQ(v.principal.role, Role::sales_manager);
  EXPECT_EQ(v.principal.name, "my-test-user");
  EXPECT_EQ(v.principal.email, "");
  EXPECT_FALSE(v.principal.profile_from_token);
  EXPECT_EQ(v.expires_at, std::chrono::sys_seconds(std::chrono::seconds(1676317451)));
}

TEST(CognitoAccessToken, IsRefusedForAnotherAppClientOrWithoutOne) {
  auto c = access_token();
  c["client_id"] = "someotherclient";
  expect_rejected(c, "client_id is not the configured app client");
  c.erase("client_id");
  expect_rejected(c, "no client_id");
  // An access token has no `aud`: adding the right one changes nothing.
  c["aud"] = k_client;
  expect_rejected(c, "no client_id");
}

TEST(CognitoAccessToken, NeedsAGroupNamingARole) {
  auto c = access_token();
  c["cognito:groups"] = boost::json::array{"testgroup"};  // as in AWS's example
  expect_rejected(c, "None of the token's cognito:groups (testgroup)");
  c["cognito:groups"] = "ADMIN";
  expect_rejected(c, "not an array");
  c.erase("cognito:groups");
  expect_rejected(c, "no cognito:groups");
  // A user's token that happens to carry the service scope is still a user's token.
  c["scope"] = "openid oms/service";
  expect_rejected(c, "no cognito:groups");
  // custom:role is an ID-token attribute; an access token cannot name its role with it.
  c["custom:role"] = "ADMIN";
  expect_rejected(c, "no cognito:groups");
}

TEST(CognitoAccessToken, TakesTheFirstGroupThatIsARole) {
  auto c = access_token();
  c["cognito:groups"] = boost::json::array{"testgroup", "SOLUTION_ARCHITECT", "ADMIN"};
  EXPECT_EQ(verify(c).principal.role, Role::solution_architect);
}

TEST(CognitoIdToken, NamesTheUserWithTheProfileOfItsClaims) {
  auto v = verify(id_token());
  EXPECT_EQ(v.principal.user_id, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  EXPECT_EQ(v.principal.role, Role::admin);
  EXPECT_EQ(v.principal.name, "my-test-user");  // no name claim: the username stands in
  EXPECT_EQ(v.principal.email, "my-test-user@example.com");
  EXPECT_TRUE(v.principal.profile_from_token);

  auto c = id_token();
  c["given_name"] = "Jane";
  c["family_name"] = "Doe";
  EXPECT_EQ(verify(c).principal.name, "Jane Doe");
  c["name"] = "Jane M. Doe";
  c["custom:role"] = "SALES_MANAGER";  // custom:role wins over the groups
  c["custom:employee_id"] = "E-17";
  c["custom:department"] = "Sales";
  auto p = verify(c).principal;
  EXPECT_EQ(p.name, "Jane M. Doe");
  EXPECT_EQ(p.role, Role::sales_manager);
  EXPECT_EQ(p.employee_id, std::optional<std::string>("E-17"));
  EXPECT_EQ(p.department, std::optional<std::string>("Sales"));
}

TEST(CognitoIdToken, IsRefusedForAnotherAudienceOrWithoutARole) {
  auto c = id_token();
  c["aud"] = "someotherclient";
  expect_rejected(c, "ID token's audience (aud) is not the configured app client");
  c.erase("aud");
  c["client_id"] = k_client;  // an ID token is checked by aud, not client_id
  expect_rejected(c, "audience");
  c = id_token();
  c["cognito:groups"] = boost::json::array{"test-group-a", "test-group-b"};  // AWS's example groups
  expect_rejected(c, "None of the token's cognito:groups (test-group-a, test-group-b)");
  c.erase("cognito:groups");
  expect_rejected(c, "no role claim");
  c["custom:role"] = "SUPERUSER";
  expect_rejected(c, "\"SUPERUSER\" is not a role");
}

TEST(CognitoClientCredentials, TheServiceScopeMakesTheClientTheServiceRole) {
  auto v = verify(client_credentials_token());
  EXPECT_EQ(v.principal.user_id, "1example23456789");
  EXPECT_EQ(v.principal.role, Role::service);
  EXPECT_EQ(v.principal.name, "1example23456789");
  EXPECT_EQ(v.principal.email, "");
  EXPECT_FALSE(v.principal.profile_from_token);
}

TEST(CognitoClientCredentials, IsRefusedWithoutTheConfiguredScope) {
  auto c = client_credentials_token();
  c["scope"] = "oms/read";
  expect_rejected(c, "scope does not include \"oms/service\"");
  c["scope"] = "oms/service-admin oms/servic";  // whole scope names only
  expect_rejected(c, "scope does not include");
  c.erase("scope");
  expect_rejected(c, "has no scope");
  expect_rejected(client_credentials_token(), "no service scope is configured", cognito_options(""));
  c = client_credentials_token();
  c.erase("client_id");
  expect_rejected(c, "no client_id");
}

TEST(CognitoTokens, AnythingButAnIdOrAccessTokenIsRefused) {
  auto c = id_token();
  c.erase("token_use");
  expect_rejected(c, "no token_use claim");
  c["token_use"] = "refresh";
  expect_rejected(c, "token_use is not accepted");
  c["token_use"] = 1;
  expect_rejected(c, "token_use is not accepted");
  // Issuer and lifetime are checked as for every token.
  c = access_token();
  c["iss"] = "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_other";
  expect_rejected(c, "issuer");
  c = client_credentials_token();
  c["exp"] = 1676313000;
  expect_rejected(c, "expired");
}

TEST(CognitoClaims, MapsWithoutASignatureForTheCallerThatAlreadyVerified) {
  const ClaimRules rules{k_client, k_scope};
  EXPECT_EQ(map_cognito_claims(access_token(), rules).kind, TokenKind::access);
  EXPECT_EQ(map_cognito_claims(id_token(), rules).kind, TokenKind::id);
  EXPECT_EQ(map_cognito_claims(client_credentials_token(), rules).kind, TokenKind::client_credentials);
}

}  // namespace
}  // namespace oms::identity
