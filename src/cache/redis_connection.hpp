#pragma once
// One Redis connection (TCP or TLS), used by one caller at a time: connect + AUTH, then
// request/reply with a deadline. A connection that failed or timed out is broken for good.
// Pools own connections by unique_ptr; a subscription (invalidation_bus.hpp) by shared_ptr, which
// close() needs.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <vector>

#include "cache/cache.hpp"
#include "cache/redis_options.hpp"
#include "cache/resp.hpp"

namespace oms::cache {

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  using Strand = boost::asio::strand<boost::asio::any_io_executor>;

  // `tls` is used when options.tls; it must outlive the connection.
  RedisConnection(boost::asio::any_io_executor ex, const RedisOptions& options, boost::asio::ssl::context* tls);

  // Throws CacheError (including on timeout).
  awaitable<void> connect();
  awaitable<Reply> command(std::vector<std::string> argv);
  // Several commands written together on this connection, their replies in order (ASKING + command).
  awaitable<std::vector<Reply>> commands(std::vector<std::vector<std::string>> batch);
  bool broken() const noexcept { return broken_; }

  // A subscription (invalidation_bus.hpp): one reader and one writer at a time, no deadline
  // (the caller keeps its own watchdog); close() ends both. Throw CacheError when broken.
  awaitable<void> send(std::vector<std::string> argv);
  awaitable<Reply> receive();
  // From any thread: closes on the strand, never beside a step using the socket. Only for a
  // connection owned by a shared_ptr: the posted close owns it until it has run, so the caller may
  // drop its reference at once (it did, and the close then ran on a freed connection).
  void close();

 private:
  struct Outcome {
    std::vector<Reply> replies;
    std::string error;  // non-empty when the step failed
  };
  awaitable<Outcome> connect_step();
  awaitable<Outcome> roundtrip_step(std::string request, std::size_t replies);
  awaitable<Outcome> within_deadline(awaitable<Outcome> step);
  awaitable<Outcome> run(awaitable<Outcome> step);  // on the strand, with the deadline
  awaitable<void> write_all(const std::string& bytes);
  awaitable<Reply> read_reply();

  Strand strand_;
  const RedisOptions& options_;
  boost::asio::ssl::context* tls_context_;
  std::unique_ptr<boost::asio::ip::tcp::socket> plain_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
  ReplyReader reader_;
  std::atomic<bool> broken_{false};  // read by the bus's pinger beside the receive loop
};

}  // namespace oms::cache
