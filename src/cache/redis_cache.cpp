#include "cache/redis_cache.hpp"

#include "cache/redis_commands.hpp"

namespace oms::cache {
namespace asio = boost::asio;

namespace {
using detail::k_compare_and_set_script;
using detail::px_millis;
using detail::throw_if_error;
}  // namespace

std::unique_ptr<asio::ssl::context> make_tls_context(const RedisOptions& options) {
  if (!options.tls) return nullptr;
  auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  tls->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
  if (options.ca_file.empty())
    tls->set_default_verify_paths();
  else
    tls->load_verify_file(options.ca_file);
  return tls;
}

RedisCache::RedisCache(asio::any_io_executor ex, RedisOptions options)
    : executor_(ex),
      options_(std::move(options)),
      tls_(make_tls_context(options_)),
      pool_(ex, options_.max_connections, options_.timeout) {}

void RedisCache::PoolErrors::closed(const std::string& what) { throw CacheError("redis: connection " + what); }

void RedisCache::PoolErrors::timed_out(std::size_t size, std::chrono::milliseconds wait) {
  throw CacheError("redis: all " + std::to_string(size) + " connections stayed busy for " +
                   std::to_string(wait.count()) + " ms");
}

awaitable<std::unique_ptr<RedisConnection>> RedisCache::acquire() {
  std::unique_ptr<RedisConnection> c = co_await pool_.acquire();
  if (c) co_return c;
  try {  // an empty slot: connect it
    c = std::make_unique<RedisConnection>(executor_, options_, tls_.get());
    co_await c->connect();
    co_return c;
  } catch (...) {
    pool_.release(nullptr);
    throw;
  }
}

void RedisCache::release(std::unique_ptr<RedisConnection> c) {
  if (!c->broken()) {
    pool_.release(std::move(c));
    return;
  }
  // A broken connection usually means the server went away (restart, failover): the idle ones
  // were opened before it and are dead too. Dropping them now means the next call connects
  // afresh instead of failing once per stale connection.
  pool_.release(nullptr);
  pool_.discard_idle();
}

awaitable<Reply> RedisCache::execute(std::vector<std::string> argv) {
  auto c = co_await acquire();
  std::exception_ptr failure;
  Reply reply;
  try {
    reply = co_await c->command(std::move(argv));
  } catch (...) {
    failure = std::current_exception();
  }
  release(std::move(c));
  if (failure) std::rethrow_exception(failure);
  co_return reply;
}

awaitable<std::vector<Reply>> RedisCache::execute_batch(std::vector<std::vector<std::string>> batch) {
  auto c = co_await acquire();
  std::exception_ptr failure;
  std::vector<Reply> replies;
  try {
    replies = co_await c->commands(std::move(batch));
  } catch (...) {
    failure = std::current_exception();
  }
  release(std::move(c));
  if (failure) std::rethrow_exception(failure);
  co_return replies;
}

awaitable<std::optional<std::string>> RedisCache::get(std::string key) {
  std::vector<std::string> argv{"GET", std::move(key)};
  Reply r = co_await execute(std::move(argv));
  throw_if_error(r);
  if (r.type != Reply::Type::string) co_return std::nullopt;
  co_return std::move(r.text);
}

awaitable<std::vector<std::optional<std::string>>> RedisCache::get_many(std::vector<std::string> keys) {
  std::vector<std::optional<std::string>> values;
  if (keys.empty()) co_return values;
  std::vector<std::vector<std::string>> batch;
  batch.reserve(keys.size());
  for (auto& key : keys) batch.push_back({"GET", std::move(key)});
  auto replies = co_await execute_batch(std::move(batch));
  values.reserve(replies.size());
  for (auto& r : replies) {
    throw_if_error(r);
    values.push_back(r.type == Reply::Type::string ? std::optional<std::string>(std::move(r.text)) : std::nullopt);
  }
  co_return values;
}

awaitable<void> RedisCache::set(std::string key, std::string value, Ttl ttl) {
  std::vector<std::string> argv{"SET", std::move(key), std::move(value), "PX", px_millis(ttl)};
  Reply r = co_await execute(std::move(argv));
  throw_if_error(r);
}

awaitable<bool> RedisCache::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  std::vector<std::string> argv{
      "EVAL", k_compare_and_set_script, "1", std::move(key), std::move(expected), std::move(value), px_millis(ttl)};
  Reply r = co_await execute(std::move(argv));
  throw_if_error(r);
  co_return r.type == Reply::Type::status;
}

awaitable<void> RedisCache::del(std::string key) {
  std::vector<std::string> argv{"DEL", std::move(key)};
  Reply r = co_await execute(std::move(argv));
  throw_if_error(r);
}

}  // namespace oms::cache
