// The cache port's contract, on every adapter: memory://, redis:// with AUTH, rediss:// with a
// test CA and AUTH — the Redis ones against a real redis-server on 127.0.0.1.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>

#include "cache/cache_aside.hpp"
#include "cache/memory_cache.hpp"
#include "cache/redis_cache.hpp"
#include "redis_server.hpp"

namespace oms::testing {
namespace {
using namespace std::chrono_literals;
using cache::Cache;

enum class Backend { memory, redis, rediss };

class CacheContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::memory) {
      cache_ = std::make_unique<cache::MemoryCache>();
      return;
    }
    RedisServer::Options o;
    o.tls = GetParam() == Backend::rediss;
    o.password = "s3cret-token";
    server_ = std::make_unique<RedisServer>(o);
    cache_ = std::make_unique<cache::RedisCache>(loop_.io().get_executor(),
                                                 cache::parse_redis_url(server_->url(), std::nullopt));
  }

  std::optional<std::string> get(std::string key) { return loop_.run(cache_->get(std::move(key))); }
  void set(std::string key, std::string value, cache::Ttl ttl = 60s) {
    loop_.run(cache_->set(std::move(key), std::move(value), ttl));
  }
  bool cas(std::string key, std::string expected, std::string value) {
    return loop_.run(cache_->compare_and_set(std::move(key), std::move(expected), std::move(value), 60s));
  }
  void del(std::string key) { loop_.run(cache_->del(std::move(key))); }

  IoThreads loop_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<Cache> cache_;
};

TEST_P(CacheContract, MissingKeyIsAMiss) { EXPECT_EQ(get("opportunity:nothing"), std::nullopt); }

TEST_P(CacheContract, StoresBytesAsGiven) {
  const std::string bytes("a\0b\r\n$3\r\n\xff", 10);
  set("k:bytes", bytes);
  EXPECT_EQ(get("k:bytes"), bytes);
  set("k:bytes", "second");
  EXPECT_EQ(get("k:bytes"), "second");
}

TEST_P(CacheContract, EntriesExpireAfterTheirTtl) {
  set("k:short", "v", 100ms);
  set("k:long", "v", 60s);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(get("k:short"), std::nullopt);
  EXPECT_EQ(get("k:long"), "v");
}

TEST_P(CacheContract, DeleteRemoves) {
  set("k:gone", "v");
  del("k:gone");
  EXPECT_EQ(get("k:gone"), std::nullopt);
  del("k:never-there");  // not an error
}

TEST_P(CacheContract, CompareAndSetStoresOnlyOverTheExpectedValue) {
  EXPECT_FALSE(cas("k:cas", "old", "new"));  // absent
  EXPECT_EQ(get("k:cas"), std::nullopt);
  set("k:cas", "old");
  EXPECT_FALSE(cas("k:cas", "other", "new"));
  EXPECT_EQ(get("k:cas"), "old");
  EXPECT_TRUE(cas("k:cas", "old", "new"));
  EXPECT_EQ(get("k:cas"), "new");
}

TEST_P(CacheContract, GetManyAnswersEveryKeyInItsOrder) {
  set("k:a", "1");
  set("k:c", "3");
  const std::vector<std::optional<std::string>> expected{"1", std::nullopt, "3", "1"};
  EXPECT_EQ(loop_.run(cache_->get_many({"k:a", "k:b", "k:c", "k:a"})), expected);
  EXPECT_TRUE(loop_.run(cache_->get_many({})).empty());
}

TEST_P(CacheContract, ManyConcurrentCallsAllAnswer) {
  for (int i = 0; i < 50; ++i) set("k:n" + std::to_string(i), std::to_string(i));
  constexpr int k_threads = 4;
  std::vector<std::thread> threads;
  threads.reserve(k_threads);
  std::atomic<int> right{0};
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i)
        if (get("k:n" + std::to_string((i + t) % 50)) == std::to_string((i + t) % 50)) ++right;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(right.load(), 200);
}

// The lease protocol of cache_aside.hpp: a fill after an invalidation is refused.
TEST_P(CacheContract, FillAfterInvalidationIsRefused) {
  cache::CacheAside aside(*cache_);
  auto token = loop_.run(aside.reserve("opportunity:1"));
  EXPECT_EQ(loop_.run(aside.lookup("opportunity:1")), std::nullopt);  // a lease is not a value
  loop_.run(aside.invalidate("opportunity:1"));                       // a write committed meanwhile
  EXPECT_FALSE(loop_.run(aside.fill("opportunity:1", token, "old row", 60s)));
  EXPECT_EQ(loop_.run(aside.lookup("opportunity:1")), std::nullopt);

  auto fresh = loop_.run(aside.reserve("opportunity:1"));
  EXPECT_TRUE(loop_.run(aside.fill("opportunity:1", fresh, "new row", 60s)));
  EXPECT_EQ(loop_.run(aside.lookup("opportunity:1")), "new row");
  EXPECT_FALSE(loop_.run(aside.fill("opportunity:1", fresh, "again", 60s)));  // a lease fills once
}

TEST_P(CacheContract, ALaterLeaseWinsOverAnEarlierOne) {
  cache::CacheAside aside(*cache_);
  auto first = loop_.run(aside.reserve("user:u1"));
  auto second = loop_.run(aside.reserve("user:u1"));
  EXPECT_FALSE(loop_.run(aside.fill("user:u1", first, "a", 60s)));
  EXPECT_TRUE(loop_.run(aside.fill("user:u1", second, "b", 60s)));
  EXPECT_EQ(loop_.run(aside.lookup("user:u1")), "b");
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  switch (info.param) {
    case Backend::memory:
      return "memory";
    case Backend::redis:
      return "redis";
    case Backend::rediss:
      return "rediss";
  }
  return "unknown";
}

INSTANTIATE_TEST_SUITE_P(Backends, CacheContract, ::testing::Values(Backend::memory, Backend::redis, Backend::rediss),
                         backend_name);

}  // namespace
}  // namespace oms::testing
