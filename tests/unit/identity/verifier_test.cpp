// TokenVerifier: caching by token hash, JWKS refresh on an unknown kid (at most once a minute),
// and the embedded profile's local key and development tokens.
#include "identity/verifier.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <filesystem>

#include "domain/error.hpp"
#include "identity/jwks_source.hpp"
#include "identity/local_key.hpp"
#include "util/encoding.hpp"

namespace oms::identity {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;

template <class T>
T run(asio::awaitable<T> a) {
  asio::io_context io;
  auto f = asio::co_spawn(io, std::move(a), asio::use_future);
  io.run();
  return f.get();
}

domain::Timestamp at(std::int64_t seconds) { return domain::Timestamp(std::chrono::seconds(seconds)); }

struct Fixture : ::testing::Test {
  RsaKey first = RsaKey::generate();
  RsaKey second = RsaKey::generate();
  std::string served;  // what the "identity provider" serves now
  int fetches = 0;
  domain::ManualClock clock{at(1'800'000'000)};

  std::unique_ptr<TokenVerifier> make(std::size_t capacity = 100) {
    VerifierOptions o;
    o.verify = {"iss", "aud", 60s};
    o.cache_capacity = capacity;
    JwksFetcher fetch = [this]() -> asio::awaitable<std::string> {
      ++fetches;
      co_return served;
    };
    return std::make_unique<TokenVerifier>(o, fetch, clock);
  }
  std::string token(const RsaKey& key, const std::string& sub = "u1", std::int64_t ttl = 600) {
    const auto now = std::chrono::floor<std::chrono::seconds>(clock.now()).time_since_epoch().count();
    boost::json::object c{{"sub", sub}, {"custom:role", "ADMIN"}, {"iss", "iss"}, {"aud", "aud"}, {"exp", now + ttl},
                          {"nbf", now}, {"token_use", "id"}};
    return sign_token(c, key, key.kid());
  }
};

TEST_F(Fixture, VerifiesAndCachesUntilExpiry) {
  served = jwks_document(first, first.kid());
  auto v = make();
  run(v->load());
  const std::string t = token(first, "u1", 120);
  EXPECT_EQ(run(v->verify(t)).user_id, "u1");
  EXPECT_EQ(v->cached_tokens(), 1u);
  EXPECT_EQ(run(v->verify(t)).user_id, "u1");
  EXPECT_EQ(v->cached_tokens(), 1u);
  // Past exp + leeway the cached entry no longer answers and the token is refused.
  clock.advance(std::chrono::seconds(200));
  EXPECT_THROW(run(v->verify(t)), domain::DomainError);
}

TEST_F(Fixture, FailuresAreNotCached) {
  served = jwks_document(first, first.kid());
  auto v = make();
  run(v->load());
  std::string t = token(first);
  t.back() = t.back() == 'A' ? 'B' : 'A';
  EXPECT_THROW(run(v->verify(t)), domain::DomainError);
  EXPECT_EQ(v->cached_tokens(), 0u);
}

TEST_F(Fixture, CacheIsBounded) {
  served = jwks_document(first, first.kid());
  auto v = make(3);
  run(v->load());
  for (int i = 0; i < 10; ++i) {
    std::string sub = "u";  // appended: `"u" + std::to_string(i)` trips g++ 12 -O3 -Wrestrict (GCC bug 105329)
    sub += std::to_string(i);
    run(v->verify(token(first, sub)));
  }
  EXPECT_LE(v->cached_tokens(), 3u);
}

TEST_F(Fixture, UnknownKidRefreshesAtMostOnceAMinute) {
  served = jwks_document(first, first.kid());
  auto v = make();
  run(v->load());
  EXPECT_EQ(fetches, 1);
  // The provider rotates to the second key.
  served = jwks_document(second, second.kid());
  clock.advance(30s);
  EXPECT_THROW(run(v->verify(token(second))), domain::DomainError);  // too soon after the load
  EXPECT_EQ(fetches, 1);
  clock.advance(31s);
  EXPECT_EQ(run(v->verify(token(second, "u2"))).user_id, "u2");
  EXPECT_EQ(fetches, 2);
  // Garbage kids right after do not fetch again.
  EXPECT_THROW(run(v->verify(sign_token(boost::json::object{{"sub", "x"}}, first, "garbage"))), domain::DomainError);
  EXPECT_EQ(fetches, 2);
}

TEST_F(Fixture, LoadFailsOnAnEmptyKeySet) {
  served = R"({"keys":[]})";
  auto v = make();
  EXPECT_THROW(run(v->load()), std::runtime_error);
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    const char* base = std::getenv("OMS_TEST_TMPDIR");
    path = std::filesystem::path(base != nullptr ? base : "/tmp") /
           ("identity-" + util::hex_encode(util::random_bytes(6)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(LocalKey, CreatedOnceThenReused) {
  TempDir dir;
  LocalIdentity a = ensure_local_key(dir.path / "data");
  EXPECT_TRUE(std::filesystem::exists(dir.path / "data" / "jwt_signing_key.pem"));
  EXPECT_TRUE(std::filesystem::exists(dir.path / "data" / "jwks.json"));
  const auto perms = std::filesystem::status(a.private_key_path).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
  LocalIdentity b = ensure_local_key(dir.path / "data");
  EXPECT_EQ(a.kid, b.kid);
  KeySet set = parse_jwks(read_file_url("file://" + a.jwks_path.string()));
  EXPECT_NE(set.find(a.kid), nullptr);
}

TEST(LocalKey, DevTokenVerifiesAgainstTheLocalJwks) {
  TempDir dir;
  LocalIdentity id = ensure_local_key(dir.path);
  const std::chrono::sys_seconds now{std::chrono::seconds(1'800'000'000)};
  DevTokenRequest r;
  r.role = domain::Role::admin;
  r.ttl = 300s;
  const std::string t = issue_dev_token(id, r, now);
  KeySet set = parse_jwks(read_file_url("file://" + id.jwks_path.string()));
  auto v = verify_token(t, set, {k_local_issuer, k_local_audience, 60s}, now);
  EXPECT_EQ(v.principal.role, domain::Role::admin);
  EXPECT_EQ(v.principal.user_id, default_subject(domain::Role::admin));
  EXPECT_TRUE(util::is_uuid(v.principal.user_id));
  EXPECT_NE(default_subject(domain::Role::admin), default_subject(domain::Role::sales_manager));
  EXPECT_EQ(v.expires_at, now + 300s);
  EXPECT_THROW(verify_token(t, set, {k_local_issuer, k_local_audience, 60s}, now + 400s), domain::DomainError);
}

TEST(JwksSource, RejectsOtherSchemes) {
  EXPECT_THROW(read_file_url("http://example.com/jwks.json"), std::invalid_argument);
  EXPECT_THROW(read_file_url("file:///nonexistent/jwks.json"), std::runtime_error);
}

}  // namespace
}  // namespace oms::identity
