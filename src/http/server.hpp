#pragma once
// The HTTP/1.1 server: Boost.Beast over Asio with one coroutine per connection (keep-alive, no
// thread per connection), spread over one io_context per I/O thread. It owns the edge: framing
// (RFC 9112: ambiguous Transfer-Encoding/Content-Length, obsolete line folding and a missing
// Host are answered 400 and the connection closed), separate deadlines for an idle keep-alive
// connection, a request header and a request body (408 where an answer can still be sent), a
// minimum body transfer rate, 16 KiB of headers, the route's body limit (413 before the body is
// read when Content-Length says so) and a connection cap (503 past it). Everything else about a
// request is the Pipeline's job.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/pipeline.hpp"

namespace oms::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8000;
  std::size_t max_header_bytes = 16 * 1024;
  // Between two requests of a keep-alive connection. Above the load balancer's idle timeout
  // (ALB: 60 s), so the balancer, not the server, closes idle connections.
  std::chrono::seconds idle_timeout{75};
  // From a new connection or a request's first byte until its header is complete.
  std::chrono::seconds header_timeout{10};
  // The whole request body; also bounds writing a response.
  std::chrono::seconds body_timeout{30};
  // A body must arrive at this average rate (bytes/s) once k_transfer_rate_grace has passed;
  // 0 disables the check.
  std::size_t min_transfer_rate = 1024;
  // Open connections at most; past it new ones get a 503 and are closed. 0: derived from the
  // descriptor limit (default_max_connections()).
  std::size_t max_connections = 0;
  // Called with true when k_storm_connections connections are open at once, and with false once
  // they are down to a sixteenth of their peak: `oms serve` has its allocator hand freed memory
  // back to the system in between (cli/allocator.hpp). Unset: nothing is called.
  std::function<void(bool storm)> on_connection_storm;
};

// Open connections that make a storm (ServerOptions::on_connection_storm).
inline constexpr std::size_t k_storm_connections = 512;

// How long a body may take before the minimum transfer rate applies.
inline constexpr std::chrono::seconds k_transfer_rate_grace{2};

// Raises the soft descriptor limit to the hard one (best effort); returns the soft limit.
std::size_t raise_descriptor_limit();
// The default connection cap: the soft descriptor limit minus headroom for the database pools,
// log and listening sockets (a quarter of the limit, at least 64, at most 1024).
std::size_t default_max_connections();

class Server {
 public:
  // Accepts on `io`; each connection lives on one of `io` and `more_io`, taken in turn. With one
  // context per thread a connection's reads, writes and its request's code run on one thread, as
  // in nginx's workers: one context run by several threads handed every readiness event from the
  // thread that polled to the one that ran it (docs/performance.md).
  Server(boost::asio::io_context& io, Pipeline& pipeline, ServerOptions options,
         std::vector<boost::asio::io_context*> more_io = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (throws std::system_error with the address on failure); returns the port.
  unsigned short listen();
  // Starts accepting connections.
  void start();
  // Stops accepting, closes idle keep-alive connections, waits up to `grace` for requests in
  // flight to finish, then closes whatever is left.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

  std::size_t in_flight() const;
  std::size_t connections() const;
  std::size_t max_connections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// Runs `input` through the server's own parsing and the pipeline as one connection over an
// in-memory stream (no deadlines) and returns every byte the server wrote. For the fuzzer and
// unit tests; completes when the server closes the connection.
boost::asio::awaitable<std::string> serve_bytes(Pipeline& pipeline, ServerOptions options, std::string input);

}  // namespace oms::http
