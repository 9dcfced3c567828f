// RS256 verification: every way a token can be wrong must be UNAUTHENTICATED.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json.hpp>

#include "domain/error.hpp"
#include "identity/jwks.hpp"
#include "identity/jwt.hpp"
#include "util/encoding.hpp"

namespace oms::identity {
namespace {

using namespace std::chrono_literals;
using domain::DomainError;
using domain::ErrorCode;

const std::chrono::sys_seconds k_now{std::chrono::seconds(1'800'000'000)};

struct Keys {
  RsaKey key = RsaKey::generate();
  RsaKey other = RsaKey::generate();
  std::string kid = key.kid();
};

const Keys& keys() {
  static const Keys k;
  return k;
}

VerifyOptions options() { return {"oms-local", "oms", 60s}; }

KeySet key_set() {
  KeySet set = parse_jwks(jwks_document(keys().key, keys().kid));
  return set;
}

boost::json::object claims() {
  boost::json::object c;
  c["sub"] = "5f0c7d1e-8a61-4f7b-9d0e-0c8b8f1f2a11";
  c["custom:role"] = "SALES_MANAGER";
  c["name"] = "Sam Seller";
  c["email"] = "sam@example.com";
  c["iss"] = "oms-local";
  c["aud"] = "oms";
  c["token_use"] = "id";
  c["iat"] = k_now.time_since_epoch().count();
  c["nbf"] = k_now.time_since_epoch().count();
  c["exp"] = k_now.time_since_epoch().count() + 3600;
  return c;
}

std::string b64(const boost::json::object& o) { return util::base64url_encode(boost::json::serialize(o)); }

// Expects UNAUTHENTICATED whose detail mentions `fragment`.
void expect_rejected(const std::string& token, const std::string& fragment) {
  try {
    verify_token(token, key_set(), options(), k_now);
    FAIL() << "accepted a token that should fail with: " << fragment;
  } catch (const DomainError& e) {
    EXPECT_EQ(e.code(), ErrorCode::unauthenticated);
    EXPECT_NE(e.detail().find(fragment), std::string::npos) << e.detail();
  }
}

TEST(JwtVerify, AcceptsAValidToken) {
  auto c = claims();
  c["custom:employee_id"] = "E-17";
  auto v = verify_token(sign_token(c, keys().key, keys().kid), key_set(), options(), k_now);
  EXPECT_EQ(v.principal.user_id, "5f0c7d1e-8a61-4f7b-9d0e-0c8b8f1f2a11");
  EXPECT_EQ(v.principal.role, domain::Role::sales_manager);
  EXPECT_EQ(v.principal.name, "Sam Seller");
  EXPECT_EQ(v.principal.email, "sam@example.com");
  EXPECT_EQ(v.principal.employee_id, std::optional<std::string>("E-17"));
  EXPECT_FALSE(v.principal.department.has_value());
  EXPECT_EQ(v.expires_at, k_now + 3600s);
}

TEST(JwtVerify, AcceptsAudienceArrayAndCognitoGroups) {
  auto c = claims();
  c.erase("custom:role");
  c["cognito:groups"] = boost::json::array{"ADMIN", "SALES_MANAGER"};
  c["aud"] = boost::json::array{"other", "oms"};
  auto v = verify_token(sign_token(c, keys().key, keys().kid), key_set(), options(), k_now);
  EXPECT_EQ(v.principal.role, domain::Role::admin);
}

TEST(JwtVerify, ToleratesSixtySecondsOfSkewButNoMore) {
  auto c = claims();
  c["exp"] = k_now.time_since_epoch().count() - 59;
  EXPECT_NO_THROW(verify_token(sign_token(c, keys().key, keys().kid), key_set(), options(), k_now));
  c["exp"] = k_now.time_since_epoch().count() - 61;
  expect_rejected(sign_token(c, keys().key, keys().kid), "expired");
}

TEST(JwtVerify, RejectsExpired) {
  auto c = claims();
  c["exp"] = k_now.time_since_epoch().count() - 3600;
  expect_rejected(sign_token(c, keys().key, keys().kid), "expired");
}

TEST(JwtVerify, RejectsMissingExpiry) {
  auto c = claims();
  c.erase("exp");
  expect_rejected(sign_token(c, keys().key, keys().kid), "exp");
}

// Found by tests/fuzz/jwt_fuzz: a huge exp overflowed when the leeway was added, a huge double
// overflowed its conversion to an integer (both undefined behaviour, caught by UBSan).
TEST(JwtVerify, RejectsTimeClaimsOutOfRange) {
  for (const boost::json::value& huge :
       {boost::json::value(INT64_MAX), boost::json::value(UINT64_MAX), boost::json::value(1e300),
        boost::json::value(-1e300), boost::json::value(253'402'300'800)}) {
    auto c = claims();
    c["exp"] = huge;
    expect_rejected(sign_token(c, keys().key, keys().kid), "\"exp\" claim is out of range");
    c = claims();
    c["nbf"] = huge;
    expect_rejected(sign_token(c, keys().key, keys().kid), "\"nbf\" claim is out of range");
  }
  auto c = claims();
  c["nbf"] = "yesterday";
  expect_rejected(sign_token(c, keys().key, keys().kid), "\"nbf\" claim is not a number");
  c = claims();
  c["exp"] = static_cast<double>(k_now.time_since_epoch().count()) + 3600.75;  // fractions are floored
  EXPECT_EQ(verify_token(sign_token(c, keys().key, keys().kid), key_set(), options(), k_now).expires_at, k_now + 3600s);
}

TEST(JwtVerify, RejectsNotBeforeInTheFuture) {
  auto c = claims();
  c["nbf"] = k_now.time_since_epoch().count() + 120;
  expect_rejected(sign_token(c, keys().key, keys().kid), "not valid yet");
  c["nbf"] = k_now.time_since_epoch().count() + 30;  // within the leeway
  EXPECT_NO_THROW(verify_token(sign_token(c, keys().key, keys().kid), key_set(), options(), k_now));
}

TEST(JwtVerify, RejectsWrongIssuer) {
  auto c = claims();
  c["iss"] = "https://evil.example";
  expect_rejected(sign_token(c, keys().key, keys().kid), "issuer");
}

TEST(JwtVerify, RejectsWrongAudience) {
  auto c = claims();
  c["aud"] = "someone-else";
  expect_rejected(sign_token(c, keys().key, keys().kid), "audience");
  c["aud"] = boost::json::array{"a", "b"};
  expect_rejected(sign_token(c, keys().key, keys().kid), "audience");
}

TEST(JwtVerify, RejectsAlgNone) {
  boost::json::object h{{"alg", "none"}, {"typ", "JWT"}, {"kid", keys().kid}};
  expect_rejected(b64(h) + "." + b64(claims()) + ".", "");
  expect_rejected(b64(h) + "." + b64(claims()) + ".c2ln", "RS256");
}

TEST(JwtVerify, RejectsHs256WithThePublicKeyAsSecret) {
  boost::json::object h{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", keys().kid}};
  const std::string input = b64(h) + "." + b64(claims());
  const std::string secret = keys().key.public_der();
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  expect_rejected(input + "." + util::base64url_encode(std::string(reinterpret_cast<char*>(mac), len)), "RS256");
}

TEST(JwtVerify, RejectsTamperedPayload) {
  const std::string token = sign_token(claims(), keys().key, keys().kid);
  auto c = claims();
  c["custom:role"] = "ADMIN";
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  const std::string forged = token.substr(0, first + 1) + b64(c) + token.substr(second);
  expect_rejected(forged, "signature");
}

TEST(JwtVerify, RejectsASignatureByAnotherKey) {
  // Same kid, but signed by a key the JWKS does not hold.
  expect_rejected(sign_token(claims(), keys().other, keys().kid), "signature");
}

TEST(JwtVerify, RejectsUnknownKid) { expect_rejected(sign_token(claims(), keys().key, "nope"), "key id"); }

TEST(JwtVerify, RejectsMissingKid) {
  boost::json::object h{{"alg", "RS256"}, {"typ", "JWT"}};
  const std::string input = b64(h) + "." + b64(claims());
  expect_rejected(input + "." + util::base64url_encode(keys().key.sign_sha256(input)), "kid");
}

TEST(JwtVerify, RejectsMalformedTokens) {
  const std::string token = sign_token(claims(), keys().key, keys().kid);
  expect_rejected(token.substr(0, token.rfind('.')), "three segments");
  expect_rejected(token + ".x", "three segments");
  expect_rejected("", "three segments");
  expect_rejected("!!!." + token.substr(token.find('.') + 1), "base64url");
  expect_rejected(util::base64url_encode("not json") + "." + token.substr(token.find('.') + 1), "JSON");
  expect_rejected(token.substr(0, token.rfind('.') + 1) + "*&^", "signature");
}

TEST(JwtVerify, RejectsMissingSubject) {
  auto c = claims();
  c.erase("sub");
  expect_rejected(sign_token(c, keys().key, keys().kid), "sub");
  c["sub"] = "";
  expect_rejected(sign_token(c, keys().key, keys().kid), "sub");
}

TEST(JwtVerify, RejectsMissingRole) {
  auto c = claims();
  c.erase("custom:role");
  expect_rejected(sign_token(c, keys().key, keys().kid), "role");
}

TEST(JwtVerify, RejectsUnknownRole) {
  auto c = claims();
  c["custom:role"] = "SUPERUSER";
  expect_rejected(sign_token(c, keys().key, keys().kid), "SUPERUSER");
  c["custom:role"] = "admin";  // exact, case-sensitive
  expect_rejected(sign_token(c, keys().key, keys().kid), "role");
}

TEST(Jwks, ParsesRsaKeysAndSkipsOthers) {
  boost::json::value doc = boost::json::parse(jwks_document(keys().key, keys().kid));
  doc.as_object()["keys"].as_array().push_back(boost::json::object{{"kty", "EC"}, {"kid", "ec1"}});
  KeySet set = parse_jwks(boost::json::serialize(doc));
  EXPECT_EQ(set.size(), 1u);
  EXPECT_NE(set.find(keys().kid), nullptr);
  EXPECT_EQ(set.find("ec1"), nullptr);
  EXPECT_THROW(parse_jwks("{}"), std::runtime_error);
  EXPECT_THROW(parse_jwks("not json"), std::runtime_error);
}

TEST(RsaKey, KidIsTheSha256OfTheSubjectPublicKeyInfo) {
  EXPECT_EQ(keys().kid, util::sha256_hex(keys().key.public_der()).substr(0, 16));
  EXPECT_EQ(keys().kid.size(), 16u);
  // A PEM round trip keeps the key.
  RsaKey again = RsaKey::from_private_pem(keys().key.private_pem());
  EXPECT_EQ(again.kid(), keys().kid);
  EXPECT_NE(keys().key.private_pem().find("BEGIN PRIVATE KEY"), std::string::npos);
}

}  // namespace
}  // namespace oms::identity
