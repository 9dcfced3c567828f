// redis:// connection failures are CacheErrors: wrong password, untrusted TLS server, nobody
// listening, a restarted server, and the URL forms it accepts. More calls at once than the pool
// has connections wait for one instead of failing.
#include <gtest/gtest.h>

#include <future>
#include <thread>
#include <vector>

#include "cache/redis_cache.hpp"
#include "redis_server.hpp"

namespace oms::testing {
namespace {
using namespace std::chrono_literals;

TEST(RedisUrl, ReadsHostPortPasswordTokenAndCaFile) {
  auto o = cache::parse_redis_url("rediss://:pw@cache.example:6380?ca_file=/etc/ca.pem", std::nullopt);
  EXPECT_TRUE(o.tls);
  EXPECT_EQ(o.host, "cache.example");
  EXPECT_EQ(o.port, "6380");
  EXPECT_EQ(o.password, "pw");
  EXPECT_EQ(o.ca_file, "/etc/ca.pem");
  auto t = cache::parse_redis_url("redis://127.0.0.1", std::string("from-env"));
  EXPECT_FALSE(t.tls);
  EXPECT_EQ(t.port, "6379");
  EXPECT_EQ(t.password, "from-env");  // OMS_CACHE_AUTH_TOKEN
  EXPECT_THROW(cache::parse_redis_url("http://x", std::nullopt), std::invalid_argument);
}

TEST(RedisUrl, MaxConnectionsIsAWholeNumberFromOneTo1024) {
  EXPECT_EQ(cache::parse_redis_url("redis://h", std::nullopt).max_connections, 32U);
  EXPECT_EQ(cache::parse_redis_url("redis://h?max_connections=1", std::nullopt).max_connections, 1U);
  EXPECT_EQ(cache::parse_redis_url("redis://h?ca_file=/c&max_connections=1024", std::nullopt).max_connections, 1024U);
  for (const char* bad : {"0", "1025", "-1", "8x", "", " 8", "99999999999999999999999"})
    EXPECT_THROW(cache::parse_redis_url(std::string("redis://h?max_connections=") + bad, std::nullopt),
                 std::invalid_argument)
        << bad;
}

TEST(RedisConnection, AuthWithTheTokenFromTheEnvironment) {
  RedisServer::Options so;
  so.password = "the-token";
  RedisServer server(so);
  IoThreads loop;
  auto url = "redis://127.0.0.1:" + std::to_string(server.port());
  cache::RedisCache with_token(loop.io().get_executor(), cache::parse_redis_url(url, std::string("the-token")));
  loop.run(with_token.set("k", "v", 60s));
  EXPECT_EQ(loop.run(with_token.get("k")), "v");

  cache::RedisCache wrong(loop.io().get_executor(), cache::parse_redis_url(url, std::string("wrong")));
  EXPECT_THROW(loop.run(wrong.get("k")), cache::CacheError);
  cache::RedisCache none(loop.io().get_executor(), cache::parse_redis_url(url, std::nullopt));
  EXPECT_THROW(loop.run(none.get("k")), cache::CacheError);  // NOAUTH
}

TEST(RedisConnection, TlsRefusesAServerNotSignedByTheTrustedCa) {
  RedisServer::Options so;
  so.tls = true;
  RedisServer server(so);
  RedisServer::Options other_ca;
  other_ca.tls = true;
  RedisServer other(other_ca);  // only for its (different) CA file
  IoThreads loop;
  auto o = cache::parse_redis_url("rediss://127.0.0.1:" + std::to_string(server.port()), std::nullopt);
  o.ca_file = other.ca_file();
  cache::RedisCache untrusted(loop.io().get_executor(), o);
  EXPECT_THROW(loop.run(untrusted.get("k")), cache::CacheError);
  o.ca_file = server.ca_file();
  cache::RedisCache trusted(loop.io().get_executor(), o);
  EXPECT_EQ(loop.run(trusted.get("k")), std::nullopt);
}

TEST(RedisConnection, NobodyListeningIsACacheError) {
  unsigned short port = 0;
  {
    RedisServer server;
    port = server.port();
  }  // stopped
  IoThreads loop;
  cache::RedisCache c(loop.io().get_executor(),
                      cache::parse_redis_url("redis://127.0.0.1:" + std::to_string(port), std::nullopt));
  EXPECT_THROW(loop.run(c.get("k")), cache::CacheError);
}

// The invalidation bus closes its subscription and drops its reference at once; the close runs
// later on the connection's strand. It must not run on a freed connection (a segfault in the
// test command's Redis-stop test, from a use after free).
TEST(RedisConnection, AClosedConnectionLivesUntilItsCloseHasRun) {
  boost::asio::io_context io;  // not running yet: the close cannot run before the reference goes
  const auto options = cache::parse_redis_url("redis://127.0.0.1:1", std::nullopt);
  auto connection = std::make_shared<cache::RedisConnection>(io.get_executor(), options, nullptr);
  std::weak_ptr<cache::RedisConnection> watch = connection;
  connection->close();
  connection.reset();
  EXPECT_FALSE(watch.expired());
  io.run();
  EXPECT_TRUE(watch.expired());
}

// After a restart every idle pooled connection is dead. The first call that meets one fails; the
// pool then drops the other idle ones, so the next call connects afresh instead of failing once
// per stale connection (the guard probes once per backoff step, up to 5 s apart: a pool of
// stale connections kept the cache "down" for tens of seconds after Redis was back).
TEST(RedisConnection, AfterARestartOneCallFailsAndTheNextConnectsAfresh) {
  RedisServer server;
  IoThreads loop;
  cache::RedisCache c(loop.io().get_executor(), cache::parse_redis_url(server.url(), std::nullopt));
  constexpr int k_calls = 8;  // several at once: several pooled connections
  std::vector<std::future<std::optional<std::string>>> calls;
  calls.reserve(k_calls);
  for (int i = 0; i < k_calls; ++i)
    calls.push_back(boost::asio::co_spawn(loop.io(), c.get("k"), boost::asio::use_future));
  for (auto& f : calls) EXPECT_EQ(f.get(), std::nullopt);
  server.stop();
  server.start();
  EXPECT_THROW(loop.run(c.get("k")), cache::CacheError);  // a connection from before the restart
  loop.run(c.set("k", "v", 60s));
  EXPECT_EQ(loop.run(c.get("k")), "v");
}

// A burst of lookups larger than the pool queues for connections: each one is answered. Failing
// them instead ("all connections busy") made the guard take Redis for down and skip it for
// 100 ms at a time: under 32 wrk connections nearly every lookup went to the database.
TEST(RedisCache, MoreCallsAtOnceThanConnectionsWaitForOneInsteadOfFailing) {
  RedisServer server;
  IoThreads loop;
  auto options = cache::parse_redis_url(server.url(), std::nullopt);
  options.max_connections = 2;
  options.timeout = 2s;  // generous: the machine may be busy; the calls take microseconds each
  cache::RedisCache c(loop.io().get_executor(), options);
  loop.run(c.set("k", "v", 60s));
  constexpr int k_calls = 40;
  std::vector<std::future<std::optional<std::string>>> calls;
  calls.reserve(k_calls);
  for (int i = 0; i < k_calls; ++i)
    calls.push_back(boost::asio::co_spawn(loop.io(), c.get("k"), boost::asio::use_future));
  int answered = 0;
  for (auto& f : calls) {
    try {
      if (f.get() == "v") ++answered;
    } catch (const cache::CacheError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_EQ(answered, k_calls);
}

// Past the command timeout a waiting call fails, naming the cause: a connection held that long is
// trouble the guard should see.
TEST(RedisCache, ACallWaitsForABusyConnectionAtMostTheTimeout) {
  RedisServer server;
  IoThreads loop;
  auto options = cache::parse_redis_url(server.url(), std::nullopt);
  options.max_connections = 1;
  options.timeout = 1500ms;
  cache::RedisCache c(loop.io().get_executor(), options);
  // Two BLPOPs on an empty list hold the only connection 1 s each, one after the other (the second
  // queued first); the GET queued behind them gives up at 1.5 s, before the second ends. Every
  // deadline is 0.5 s away from the event it must not meet (a loaded CI machine).
  auto first = boost::asio::co_spawn(loop.io(), c.execute({"BLPOP", "empty-list", "1"}), boost::asio::use_future);
  auto second = boost::asio::co_spawn(loop.io(), c.execute({"BLPOP", "empty-list", "1"}), boost::asio::use_future);
  std::this_thread::sleep_for(50ms);
  // What /metrics shows meanwhile (cache_connections): the one connection in use, one call queued.
  const auto busy = c.connections();
  ASSERT_TRUE(busy.has_value());
  EXPECT_EQ(busy->size, 1U);
  EXPECT_EQ(busy->in_use, 1U);
  EXPECT_EQ(busy->waiting, 1U);
  try {
    loop.run(c.get("k"));
    ADD_FAILURE() << "the GET got the busy connection";
  } catch (const cache::CacheError& e) {
    EXPECT_NE(std::string(e.what()).find("stayed busy for 1500 ms"), std::string::npos) << e.what();
  }
  EXPECT_EQ(first.get().type, cache::Reply::Type::nil);
  EXPECT_EQ(second.get().type, cache::Reply::Type::nil);
  EXPECT_EQ(loop.run(c.get("k")), std::nullopt);  // and the pool still works
  EXPECT_EQ(c.connections()->in_use, 0U);
  EXPECT_EQ(c.connections()->waiting, 0U);
}

}  // namespace
}  // namespace oms::testing
