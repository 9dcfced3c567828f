#include "tracing/traced_cache.hpp"

#include <boost/json.hpp>

#include "tracing/context.hpp"
#include "tracing/tracer.hpp"

namespace oms::tracing {
namespace {

// "opportunity:1234" -> "opportunity": ids stay out of the trace's searchable annotations.
std::string family(const std::string& key) { return key.substr(0, key.find(':')); }

// A subsegment for one command under the current span (a no-op Span outside a traced coroutine).
cache::awaitable<Span> start(const std::string& name, std::string_view operation, const std::string& key) {
  const Span parent = co_await current_span();
  Span span = parent.start_child(name);
  span.set_namespace("remote");
  span.annotate("cache_operation", boost::json::string(operation));
  span.annotate("cache_key_family", boost::json::string(family(key)));
  co_return span;
}

}  // namespace

cache::awaitable<std::optional<std::string>> TracedCache::get(std::string key) {
  const ScopedSpan span(co_await start(name_, "GET", key));
  try {
    auto value = co_await inner_.get(std::move(key));
    span->annotate("cache_hit", value.has_value());
    co_return value;
  } catch (const std::exception& e) {
    span->record_exception(e.what());
    throw;
  }
}

cache::awaitable<std::vector<std::optional<std::string>>> TracedCache::get_many(std::vector<std::string> keys) {
  const std::string first = keys.empty() ? std::string() : keys.front();  // a named local: GCC 12
  const ScopedSpan span(co_await start(name_, "GET_MANY", first));
  try {
    auto values = co_await inner_.get_many(std::move(keys));
    std::int64_t hits = 0;
    for (const auto& v : values) hits += v ? 1 : 0;
    span->annotate("cache_hits", hits);
    co_return values;
  } catch (const std::exception& e) {
    span->record_exception(e.what());
    throw;
  }
}

cache::awaitable<void> TracedCache::set(std::string key, std::string value, cache::Ttl ttl) {
  const ScopedSpan span(co_await start(name_, "SET", key));
  try {
    co_await inner_.set(std::move(key), std::move(value), ttl);
  } catch (const std::exception& e) {
    span->record_exception(e.what());
    throw;
  }
}

cache::awaitable<bool> TracedCache::compare_and_set(std::string key, std::string expected, std::string value,
                                                    cache::Ttl ttl) {
  const ScopedSpan span(co_await start(name_, "CAS", key));
  try {
    co_return co_await inner_.compare_and_set(std::move(key), std::move(expected), std::move(value), ttl);
  } catch (const std::exception& e) {
    span->record_exception(e.what());
    throw;
  }
}

cache::awaitable<void> TracedCache::del(std::string key) {
  const ScopedSpan span(co_await start(name_, "DEL", key));
  try {
    co_await inner_.del(std::move(key));
  } catch (const std::exception& e) {
    span->record_exception(e.what());
    throw;
  }
}

}  // namespace oms::tracing
