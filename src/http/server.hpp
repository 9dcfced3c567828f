#pragma once
// The HTTP/1.1 server: Boost.Beast over Asio with one coroutine per connection (keep-alive, no
// thread per connection), on an io_context run by several threads. Limits: 16 KiB of headers,
// the route's body limit (413 before the body is read when Content-Length says so), 30 s to
// read a request. Everything else about a request is the Pipeline's job.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "http/pipeline.hpp"

namespace oms::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8000;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds read_timeout{30};
};

class Server {
 public:
  Server(boost::asio::io_context& io, Pipeline& pipeline, ServerOptions options);
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

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace oms::http
