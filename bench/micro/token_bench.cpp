// Bearer token verification: the RS256 check of a token seen for the first time, and the
// TokenVerifier's answer for a token it has verified before (the path of every other request).
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include "domain/clock.hpp"
#include "identity/jwks.hpp"
#include "identity/jwt.hpp"
#include "identity/rsa_key.hpp"
#include "identity/verifier.hpp"

namespace {

using namespace oms;
using namespace std::chrono_literals;

constexpr std::int64_t k_now = 1'800'000'000;

struct Keys {
  identity::RsaKey key = identity::RsaKey::generate();
  std::string jwks = identity::jwks_document(key, key.kid());
  std::string token = identity::sign_token(boost::json::object{{"sub", "sm-1"},
                                                               {"custom:role", "SALES_MANAGER"},
                                                               {"iss", "oms-local"},
                                                               {"aud", "oms"},
                                                               {"exp", k_now + 3600},
                                                               {"nbf", k_now},
                                                               {"token_use", "id"},
                                                               {"name", "Sam Seller"},
                                                               {"email", "sm-1@example.com"}},
                                           key, key.kid());
};
const Keys& keys() {
  static const Keys k;
  return k;
}

void token_verify_uncached(benchmark::State& state) {
  const identity::KeySet set = identity::parse_jwks(keys().jwks);
  const identity::VerifyOptions options{"oms-local", "oms", 60s, ""};
  const std::chrono::sys_seconds now{std::chrono::seconds(k_now)};
  for (auto _ : state) benchmark::DoNotOptimize(identity::verify_token(keys().token, set, options, now));
}
BENCHMARK(token_verify_uncached);

boost::asio::awaitable<void> verify_loop(identity::TokenVerifier& verifier, benchmark::State& state) {
  co_await verifier.load();
  for (auto _ : state) {
    domain::Principal p = co_await verifier.verify(keys().token);
    benchmark::DoNotOptimize(p);
  }
}

void token_verify_cached(benchmark::State& state) {
  domain::ManualClock clock{domain::Timestamp(std::chrono::seconds(k_now))};
  identity::VerifierOptions options;
  options.verify = {"oms-local", "oms", 60s, ""};
  identity::JwksFetcher fetch = []() -> boost::asio::awaitable<std::string> { co_return keys().jwks; };
  identity::TokenVerifier verifier(options, fetch, clock);
  boost::asio::io_context io;
  boost::asio::co_spawn(io, verify_loop(verifier, state), boost::asio::detached);
  io.run();
}
BENCHMARK(token_verify_cached);

}  // namespace
