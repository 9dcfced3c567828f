// The only file of src/http that includes Beast.
#include "http/server.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <list>
#include <mutex>
#include <system_error>

#include "domain/error.hpp"
#include "logging/logging.hpp"
#include "util/encoding.hpp"

namespace oms::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

Method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get:
      return Method::get;
    case bhttp::verb::head:
      return Method::head;
    case bhttp::verb::post:
      return Method::post;
    case bhttp::verb::put:
      return Method::put;
    case bhttp::verb::patch:
      return Method::patch;
    case bhttp::verb::delete_:
      return Method::del;
    case bhttp::verb::options:
      return Method::options;
    default:
      return Method::other;
  }
}

template <class Fields>
void copy_headers(const Fields& fields, Request& r) {
  for (const auto& f : fields) r.headers.emplace_back(util::to_lower_ascii(f.name_string()), std::string(f.value()));
}

}  // namespace

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for the next request; only touched on the connection's strand
  std::string client_ip;
};

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io, Pipeline& p, ServerOptions o)
      : io(io), pipeline(p), options(std::move(o)), acceptor(asio::make_strand(io)) {}

  asio::io_context& io;
  Pipeline& pipeline;
  ServerOptions options;
  tcp::acceptor acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> open_connections{0};
  std::mutex mutex;
  std::list<std::weak_ptr<Connection>> connections;

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (!stopping) {
      beast::error_code ec;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::make_strand(io), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        logging::log_warn("accept failed: " + ec.message());
        continue;
      }
      auto conn = std::make_shared<Connection>(std::move(socket));
      beast::error_code ignored;
      auto remote = conn->stream.socket().remote_endpoint(ignored);
      if (!ignored) conn->client_ip = remote.address().to_string();
      {
        std::lock_guard lock(mutex);
        connections.remove_if([](const std::weak_ptr<Connection>& w) { return w.expired(); });
        connections.push_back(conn);
      }
      auto executor = conn->stream.get_executor();
      asio::co_spawn(executor, session(conn), asio::detached);
    }
  }

  // Writes one response; false when the connection broke.
  asio::awaitable<bool> write(Connection& c, const Request& req, Response res, bool keep_alive) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
    for (auto& [name, value] : res.headers) out.insert(name, value);
    if (!res.content_type.empty() && res.status != 204) out.set(bhttp::field::content_type, res.content_type);
    out.keep_alive(keep_alive);
    out.body() = std::move(res.body);
    out.prepare_payload();
    // HEAD: the headers of the GET answer (Content-Length included), no body.
    if (req.method == Method::head) out.body().clear();
    c.stream.expires_after(options.read_timeout);
    beast::error_code ec;
    bhttp::serializer<false, bhttp::string_body> sr{out};
    if (req.method == Method::head) {
      co_await bhttp::async_write_header(c.stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      co_await bhttp::async_write(c.stream, sr, asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return !ec;
  }

  asio::awaitable<void> session(std::shared_ptr<Connection> conn) {
    auto self = shared_from_this();
    ++open_connections;
    Connection& c = *conn;
    beast::flat_buffer buffer;
    for (;;) {
      if (stopping) break;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      // No limit while reading the header: the route's limit is applied once the path is known.
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      c.idle = true;
      c.stream.expires_after(options.read_timeout);
      beast::error_code ec;
      co_await bhttp::async_read_header(c.stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      c.idle = false;
      if (ec) {
        // Malformed or oversized headers get an answer; a closed, reset or timed-out
        // connection does not.
        const bool http_error = ec.category() == beast::error_code(bhttp::error::bad_target).category();
        if (http_error && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
          Request bad;
          bad.method = Method::other;
          const bool too_big = ec == bhttp::error::header_limit;
          Response res = pipeline.reject(
              bad, c.client_ip, domain::ErrorCode::validation_error,
              too_big ? "The request headers exceed " + std::to_string(options.max_header_bytes) + " bytes."
                      : "The request is not valid HTTP/1.1.");
          co_await write(c, bad, std::move(res), false);
        }
        break;  // end of stream, timeout, reset, or a reply already sent
      }
      ++in_flight;
      auto& header = parser.get();
      Request req;
      req.method = to_method(header.method());
      req.target = std::string(header.target());
      copy_headers(header, req);
      Response res;
      bool keep_alive = header.keep_alive();
      std::string path(req.target.substr(0, req.target.find('?')));
      const std::size_t limit = pipeline.body_limit(req.method, path);
      const auto declared = parser.content_length();
      bool answered = false;
      if (declared && *declared > limit) {
        // Refuse before reading: the client may be sending a lot; the connection closes after.
        req.path = path;
        res = pipeline.reject(req, c.client_ip, domain::ErrorCode::payload_too_large,
                              "The body exceeds " + std::to_string(limit) + " bytes.");
        keep_alive = false;
        answered = true;
      } else {
        parser.body_limit(limit);
        if (!parser.is_done()) {
          if (auto expect = header[bhttp::field::expect]; beast::iequals(expect, "100-continue")) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            co_await bhttp::async_write(c.stream, cont, asio::redirect_error(asio::use_awaitable, ec));
          }
          if (!ec) co_await bhttp::async_read(c.stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
          if (ec == bhttp::error::body_limit) {
            req.path = path;
            res = pipeline.reject(req, c.client_ip, domain::ErrorCode::payload_too_large,
                                  "The body exceeds " + std::to_string(limit) + " bytes.");
            keep_alive = false;
            answered = true;
          } else if (ec) {
            --in_flight;
            break;
          }
        }
      }
      if (!answered) {
        req.body = std::move(parser.get().body());
        res = co_await pipeline.handle(req, c.client_ip);
      }
      if (stopping) keep_alive = false;
      const bool ok = co_await write(c, req, std::move(res), keep_alive);
      --in_flight;
      if (!ok || !keep_alive) break;
    }
    beast::error_code ignored;
    c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    c.stream.socket().close(ignored);
    --open_connections;
  }

  // Runs `f(connection)` on each live connection's strand.
  template <class F>
  void for_each_connection(F f) {
    std::lock_guard lock(mutex);
    for (auto& w : connections) {
      if (auto c = w.lock()) asio::post(c->stream.get_executor(), [c, f] { f(*c); });
    }
  }
};

Server::Server(asio::io_context& io, Pipeline& pipeline, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, pipeline, std::move(options))) {}

Server::~Server() = default;

unsigned short Server::listen() {
  auto& a = impl_->acceptor;
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) throw std::system_error(ec, "invalid listen address " + impl_->options.address);
  tcp::endpoint endpoint{address, impl_->options.port};
  a.open(endpoint.protocol());
  a.set_option(asio::socket_base::reuse_address(true));
  a.bind(endpoint, ec);
  if (ec)
    throw std::system_error(ec,
                            "cannot listen on " + impl_->options.address + ":" + std::to_string(impl_->options.port));
  a.listen(asio::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void Server::start() {
  auto impl = impl_;
  asio::co_spawn(impl->acceptor.get_executor(), impl->accept_loop(), asio::detached);
}

asio::awaitable<void> Server::shutdown(std::chrono::milliseconds grace) {
  auto impl = impl_;
  impl->stopping = true;
  asio::post(impl->acceptor.get_executor(), [impl] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  // Idle keep-alive connections would otherwise wait for their read timeout.
  impl->for_each_connection([](Connection& c) {
    beast::error_code ignored;
    if (c.idle) c.stream.socket().cancel(ignored);
  });
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl->in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (impl->in_flight > 0)
    logging::log_warn("shutdown grace period over with " + std::to_string(impl->in_flight.load()) +
                      " request(s) still in flight");
  impl->for_each_connection([](Connection& c) {
    beast::error_code ignored;
    c.stream.socket().cancel(ignored);
    c.stream.socket().close(ignored);
  });
  // Give the sessions a moment to unwind after their sockets closed.
  const auto unwind = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (impl->open_connections > 0 && std::chrono::steady_clock::now() < unwind) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

std::size_t Server::in_flight() const { return impl_->in_flight; }
std::size_t Server::connections() const { return impl_->open_connections; }

}  // namespace oms::http
