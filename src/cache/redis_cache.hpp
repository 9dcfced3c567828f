#pragma once
// redis:// and rediss:// (standalone): a pool of connections, each used by one call at a time,
// opened on demand and dropped when broken. With every connection in use a call waits for one (at
// most the command timeout), so a burst of concurrent lookups queues briefly instead of failing
// (which the guard would take for an outage). Errors and timeouts throw CacheError.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "cache/cache.hpp"
#include "cache/redis_connection.hpp"
#include "cache/redis_options.hpp"
#include "util/connection_pool.hpp"

namespace oms::cache {

// The client TLS context for rediss:// (null for redis://): TLS 1.2+, the system CAs or ca_file.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const RedisOptions& options);

class RedisCache final : public Cache {
 public:
  RedisCache(boost::asio::any_io_executor ex, RedisOptions options);

  awaitable<std::optional<std::string>> get(std::string key) override;
  awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  awaitable<void> del(std::string key) override;
  awaitable<std::vector<std::optional<std::string>>> get_many(std::vector<std::string> keys) override;
  std::optional<util::PoolStats> connections() const override { return pool_stats(); }
  util::PoolStats pool_stats() const { return pool_.stats(); }

  // One command on a pooled connection; an error reply is returned, not thrown.
  awaitable<Reply> execute(std::vector<std::string> argv);
  // Commands on one pooled connection, written together; their replies in order.
  awaitable<std::vector<Reply>> execute_batch(std::vector<std::vector<std::string>> batch);

 private:
  awaitable<std::unique_ptr<RedisConnection>> acquire();
  void release(std::unique_ptr<RedisConnection> c);

  boost::asio::any_io_executor executor_;
  RedisOptions options_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  // What the pool throws: CacheErrors, which the guard turns into misses.
  struct PoolErrors {
    [[noreturn]] static void closed(const std::string& what);
    [[noreturn]] static void timed_out(std::size_t size, std::chrono::milliseconds wait);
  };
  util::ConnectionPool<RedisConnection, PoolErrors> pool_;
};

}  // namespace oms::cache
