// Cache commands recorded as "remote" subsegments of the current span (memory:// stands in for
// Redis: the decorator does not care what it wraps), failures as faults, nothing outside a trace.
#include "tracing/traced_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "cache/memory_cache.hpp"
#include "tracing/context.hpp"
#include "tracing/tracer.hpp"

namespace oms::tracing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

class FailingCache final : public cache::Cache {
 public:
  cache::awaitable<std::optional<std::string>> get(std::string) override { throw cache::CacheError("timed out"); }
  cache::awaitable<void> set(std::string, std::string, cache::Ttl) override { co_return; }
  cache::awaitable<bool> compare_and_set(std::string, std::string, std::string, cache::Ttl) override {
    co_return false;
  }
  cache::awaitable<void> del(std::string) override { co_return; }
};

asio::awaitable<void> commands(cache::Cache& c) {
  co_await c.set("opportunity:1234", "v1", std::chrono::minutes(5));
  co_await c.get("opportunity:1234");
  co_await c.get("user:42");
  std::vector<std::string> both{"opportunity:1234", "user:42"};  // no braced list in a co_await (GCC 12)
  co_await c.get_many(std::move(both));
  co_await c.del("opportunity:1234");
}

asio::awaitable<void> traced(Span span, cache::Cache& c) {
  auto body = commands(c);
  co_await with_span(span, std::move(body));
}

asio::awaitable<void> traced_failing_get(Span span, cache::Cache& c) {
  auto body = [](cache::Cache& c) -> asio::awaitable<void> {
    try {
      co_await c.get("skills_catalog");
    } catch (const cache::CacheError&) {
    }
  }(c);
  co_await with_span(span, std::move(body));
}

template <class T>
T run(asio::io_context& io, asio::awaitable<T> a) {
  auto f = asio::co_spawn(io, std::move(a), asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

TEST(TracedCache, EachCommandIsARemoteSubsegmentWithItsOperationAndKeyFamily) {
  asio::io_context io;
  cache::MemoryCache memory;
  TracedCache redis(memory, "Redis");
  Trace trace("oms", new_trace_id(std::chrono::system_clock::now()), "");
  run(io, traced(trace.segment(), redis));
  const auto doc = json::parse(trace.document()).as_object();
  const auto& subs = doc.at("subsegments").as_array();
  ASSERT_EQ(subs.size(), 5u) << doc;
  const std::vector<std::pair<std::string, std::string>> expected{{"SET", "opportunity"},
                                                                  {"GET", "opportunity"},
                                                                  {"GET", "user"},
                                                                  {"GET_MANY", "opportunity"},
                                                                  {"DEL", "opportunity"}};
  for (std::size_t i = 0; i < subs.size(); ++i) {
    const auto& s = subs[i].as_object();
    EXPECT_EQ(s.at("name"), "Redis");
    EXPECT_EQ(s.at("namespace"), "remote");
    EXPECT_EQ(s.at("annotations").at("cache_operation").as_string(), expected[i].first);
    EXPECT_EQ(s.at("annotations").at("cache_key_family").as_string(), expected[i].second);
    EXPECT_TRUE(s.contains("end_time")) << s;
  }
  EXPECT_EQ(subs[1].at("annotations").at("cache_hit"), true);
  EXPECT_EQ(subs[2].at("annotations").at("cache_hit"), false);
  EXPECT_EQ(subs[3].at("annotations").at("cache_hits"), 1);  // one batch, not one per key
  EXPECT_EQ(json::serialize(doc).find("1234"), std::string::npos) << "a key's id is in the trace";

  // Outside a traced coroutine the commands pass straight through.
  run(io, commands(redis));
  EXPECT_EQ(trace.subsegments(), 5u);
}

TEST(TracedCache, AFailingCommandIsAFaultAndStillThrows) {
  asio::io_context io;
  FailingCache failing;
  TracedCache redis(failing, "Redis");
  Trace trace("oms", new_trace_id(std::chrono::system_clock::now()), "");
  run(io, traced_failing_get(trace.segment(), redis));
  const auto doc = json::parse(trace.document()).as_object();
  const auto& subs = doc.at("subsegments").as_array();
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].at("fault"), true) << subs[0];
  EXPECT_NE(json::serialize(subs[0]).find("timed out"), std::string::npos) << subs[0];
}

}  // namespace
}  // namespace oms::tracing
