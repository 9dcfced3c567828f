// The only file of src/http that includes Beast.
#include "http/server.hpp"

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <limits>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <vector>

#include "domain/error.hpp"
#include "http/problem.hpp"
#include "logging/log_throttle.hpp"
#include "logging/logging.hpp"
#include "util/encoding.hpp"

namespace oms::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using domain::ErrorCode;

namespace {

constexpr std::size_t k_read_chunk = 4096;
// A file body is read and sent this many bytes at a time.
constexpr std::size_t k_file_chunk = 64 * 1024;
// After an error answer, unread input is drained this long before closing, so the close does
// not reset the connection (and destroy the answer) while the client is still sending.
constexpr std::chrono::seconds k_linger{1};
constexpr std::size_t k_linger_bytes = 64 * 1024;
// Accept errors (EMFILE, ENFILE, ENOBUFS) back off exponentially up to this.
constexpr std::chrono::milliseconds k_accept_backoff_max{1000};
// Repeated warnings (accept errors, the connection cap) are logged at most once per interval.
constexpr std::chrono::seconds k_log_interval{10};
// Reactor states allocated up front (see reserve_reactor_states): about 200 bytes each.
constexpr std::size_t k_reserved_reactor_states = 8192;

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

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == beast::error_code(bhttp::error::bad_target).category();
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "chunked", alone (empty list elements aside): the only transfer coding the server accepts.
bool only_chunked(std::string_view codings) {
  int count = 0;
  bool chunked = false;
  while (true) {
    const auto comma = codings.find(',');
    const std::string_view item = trim_ows(codings.substr(0, comma));
    if (!item.empty()) {
      ++count;
      chunked = util::iequals_ascii(item, "chunked");
    }
    if (comma == std::string_view::npos) break;
    codings.remove_prefix(comma + 1);
  }
  return count == 1 && chunked;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RFC 9112 §6.1, §6.3: anything that lets two parties disagree on where a request ends is
// refused (400, then the connection is closed). Returns the problem's detail.
template <class Header>
std::optional<std::string> framing_problem(const Header& h) {
  if (h.version() != 10 && h.version() != 11) return "Only HTTP/1.0 and HTTP/1.1 are supported.";
  std::size_t te = 0;
  std::size_t cl = 0;
  std::size_t host = 0;
  std::string codings;
  for (const auto& f : h) {
    if (f.name() == bhttp::field::transfer_encoding) {
      ++te;
      codings += ',';
      codings += f.value();
    } else if (f.name() == bhttp::field::content_length) {
      ++cl;
      if (!all_digits(trim_ows(f.value()))) return "Content-Length must be one decimal number.";
    } else if (f.name() == bhttp::field::host) {
      ++host;
    }
  }
  if (cl > 1) return "Content-Length must appear once.";
  if (te > 0) {
    if (cl > 0) return "Transfer-Encoding and Content-Length must not both be present.";
    if (h.version() == 10) return "Transfer-Encoding is not allowed in HTTP/1.0.";
    if (!only_chunked(codings)) return "Transfer-Encoding must be exactly \"chunked\".";
  }
  if (h.version() == 11 && host == 0) return "HTTP/1.1 requires a Host header.";
  if (host > 1) return "Host must appear once.";
  return std::nullopt;
}

// The origin-form of a request target: absolute-form (RFC 9112 §3.2.2, "http://host/path?q")
// is reduced to its path and query; nullopt when it is malformed. Other forms are returned as
// they are (the pipeline refuses what is not a path).
std::optional<std::string> origin_form(std::string_view target) {
  std::string_view rest;
  if (target.size() >= 7 && util::iequals_ascii(target.substr(0, 7), "http://")) {
    rest = target.substr(7);
  } else if (target.size() >= 8 && util::iequals_ascii(target.substr(0, 8), "https://")) {
    rest = target.substr(8);
  } else {
    return std::string(target);
  }
  const auto end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  if (end == std::string_view::npos) return std::string("/");
  rest.remove_prefix(end);
  if (rest.front() == '/') return std::string(rest);
  if (rest.front() == '?') return "/" + std::string(rest);
  return std::string("/");
}

// A line of the header block that starts with white space: obsolete line folding, or white
// space before the first field (RFC 9112 §2.2, §5.2). Refused rather than unfolded.
bool has_folded_line(std::string_view head) {
  for (auto i = head.find("\r\n"); i != std::string_view::npos && i + 2 < head.size(); i = head.find("\r\n", i + 2)) {
    if (head[i + 2] == ' ' || head[i + 2] == '\t') return true;
  }
  return false;
}

struct HeaderRead {
  beast::error_code ec;
  bool folded = false;
};

// Reads until the header block is complete, checks it for folded lines, then parses it (the
// body stays in `buffer`). Beast unfolds obs-fold silently, so the raw bytes are checked here.
template <class Stream, class Parser>
asio::awaitable<HeaderRead> read_header(Stream& stream, beast::flat_buffer& buffer, Parser& parser, std::size_t limit) {
  std::size_t searched = 0;
  for (;;) {
    if (buffer.size() > 0) {
      const std::string_view raw(static_cast<const char*>(buffer.data().data()), buffer.size());
      const auto end = raw.find("\r\n\r\n", searched > 3 ? searched - 3 : 0);
      if (end != std::string_view::npos) {
        if (has_folded_line(raw.substr(0, end + 4))) co_return HeaderRead{{}, true};
        beast::error_code ec;
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (!ec && parser.is_header_done()) co_return HeaderRead{};
        if (ec && ec != bhttp::error::need_more) co_return HeaderRead{ec, false};
        searched = end + 1 > used ? end + 1 - used : 0;
      } else {
        searched = raw.size();
      }
      if (buffer.size() > limit) co_return HeaderRead{bhttp::error::header_limit, false};
    }
    const std::size_t room = std::min(k_read_chunk, buffer.max_size() - buffer.size());
    if (room == 0) co_return HeaderRead{bhttp::error::header_limit, false};
    beast::error_code ec;
    auto space = buffer.prepare(room);
    const std::size_t n = co_await stream.async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    buffer.commit(n);
    if (ec == asio::error::eof)
      co_return HeaderRead{buffer.size() == 0 ? bhttp::error::end_of_stream : bhttp::error::partial_message, false};
    if (ec) co_return HeaderRead{ec, false};
  }
}

// One accepted TCP connection with its deadline timer. The timer cancels (not closes) the
// socket, so a 408 can still be written after a read deadline passes.
//
// The deadline moves on every request (header, body, idle) but the timer rarely does: arm() and
// disarm() only record the deadline, and the timer is reset only when the new deadline is earlier
// than the one it waits for. When it fires early it waits again for the deadline of the moment.
// Resetting it at every move cost a cancelled wait (a handler run), a new one and often a
// timerfd_settime, several times per request.
struct TcpLink : std::enable_shared_from_this<TcpLink> {
  explicit TcpLink(tcp::socket s) : socket(std::move(s)), timer(socket.get_executor()) {}
  tcp::socket socket;
  asio::steady_timer timer;
  Clock::time_point deadline = Clock::time_point::max();  // max: none
  bool timer_waiting = false;                             // a wait is pending, for timer.expiry()
  bool timed_out = false;
  bool idle = true;  // waiting for the next request; only touched on the connection's strand
  std::string client_ip;
  std::list<std::weak_ptr<TcpLink>>::iterator position;  // in Server::Impl::connections

  tcp::socket& stream() { return socket; }

  void arm(Clock::time_point at) {
    timed_out = false;
    deadline = at;
    if (!timer_waiting || at < timer.expiry()) wait_for(at);
  }
  void disarm() { deadline = Clock::time_point::max(); }

  void wait_for(Clock::time_point at) {
    timer.expires_at(at);  // a pending wait ends with operation_aborted
    timer_waiting = true;
    std::weak_ptr<TcpLink> weak = weak_from_this();
    timer.async_wait([weak](beast::error_code ec) {
      auto self = weak.lock();
      if (ec || !self) return;  // reset (a newer wait is pending), or the connection is gone
      self->timer_waiting = false;
      if (self->deadline == Clock::time_point::max()) return;
      if (Clock::now() < self->deadline) {
        self->wait_for(self->deadline);
        return;
      }
      self->timed_out = true;
      beast::error_code ignored;
      self->socket.cancel(ignored);
    });
  }

  // What is (or was) waiting on the socket.
  enum class Waiting { data, nothing, gone };  // gone: the peer closed or reset the connection

  // Waits until the peer sends something (or closes) without holding a read buffer, then reads
  // what came into `buffer`: the wait, one read, and the header parsed from the buffer, so a
  // keep-alive request costs no second look at the socket (a peek before the read was one more
  // system call per request). Asio can complete this wait with nothing to read (most likely an
  // edge for bytes a read already consumed; inferred, not traced); taken at its word, an idle
  // keep-alive connection then waited for a header under the 10 s header deadline instead of its
  // 75 s idle one and was closed (bench/run's hold case: 3-25 of 10,000 idle connections a run
  // under load). So an empty read waits again, at most a few times in a row so a socket cannot
  // make it spin; the buffer is given back first, so an idle connection still holds none.
  // False: closed, reset, idle too long, or cancelled.
  asio::awaitable<bool> wait_readable(beast::flat_buffer& buffer) {
    for (int spurious = 0;; ++spurious) {
      beast::error_code ec;
      co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || timed_out) co_return false;
      switch (read_ready(buffer)) {
        case Waiting::data:
          co_return true;
        case Waiting::gone:
          co_return false;
        case Waiting::nothing:
          buffer.shrink_to_fit();
          if (spurious == k_spurious_wakeups_max) co_return true;  // the header deadline decides
          break;
      }
    }
  }
  static constexpr int k_spurious_wakeups_max = 3;

  // Reads what is waiting, without blocking, into `buffer` (empty before).
  Waiting read_ready(beast::flat_buffer& buffer) {
    const std::size_t room = std::min(k_read_chunk, buffer.max_size() - buffer.size());
    auto space = buffer.prepare(room);
    for (;;) {
      const auto n = ::recv(socket.native_handle(), space.data(), space.size(), MSG_DONTWAIT);
      if (n > 0) {
        buffer.commit(static_cast<std::size_t>(n));
        return Waiting::data;
      }
      if (n == 0) return Waiting::gone;
      if (errno == EINTR) continue;
      return errno == EAGAIN || errno == EWOULDBLOCK ? Waiting::nothing : Waiting::gone;
    }
  }

  // What is waiting on the socket, by a one-byte peek (never a read).
  Waiting peek() {
    char byte = 0;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) return Waiting::data;
    if (n == 0) return Waiting::gone;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Waiting::nothing : Waiting::gone;
  }
  bool peer_gone() { return peek() == Waiting::gone; }

  std::function<bool()> client_gone() {
    std::weak_ptr<TcpLink> weak = weak_from_this();
    return [weak] {
      auto self = weak.lock();
      return !self || self->peer_gone();
    };
  }

  // Half-closes, then reads and drops what the client still sends (bounded) before closing.
  asio::awaitable<void> linger() {
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    arm(Clock::now() + k_linger);
    char sink[1024];
    std::size_t drained = 0;
    while (!ec && drained < k_linger_bytes) {
      auto space = asio::buffer(sink);
      drained += co_await socket.async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    }
    disarm();
  }

  void close() {
    disarm();
    timer.cancel();
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    socket.close(ignored);
  }
};

// An in-memory connection for serve_bytes(): no deadlines, never gone.
struct MemoryLink {
  explicit MemoryLink(asio::any_io_executor ex) : server(ex) {}
  beast::test::stream server;
  bool timed_out = false;
  bool idle = true;
  std::string client_ip = "127.0.0.1";

  beast::test::stream& stream() { return server; }
  void arm(Clock::time_point) {}
  void disarm() {}
  asio::awaitable<bool> wait_readable(beast::flat_buffer&) { co_return true; }
  std::function<bool()> client_gone() { return {}; }
  asio::awaitable<void> linger() { co_return; }
  void close() { server.close(); }
};

struct SessionEnv {
  Pipeline& pipeline;
  const ServerOptions& options;
  const std::atomic<bool>& stopping;
  std::atomic<std::size_t>& in_flight;
};

// Writes `out` within the body deadline (HEAD: its headers only); false when the connection broke.
template <class Link, class Body>
asio::awaitable<bool> write_message(Link& link, const ServerOptions& options, Method method,
                                    bhttp::response<Body>& out) {
  link.arm(Clock::now() + options.body_timeout);
  beast::error_code ec;
  bhttp::serializer<false, Body> sr{out};
  if (method == Method::head) {
    co_await bhttp::async_write_header(link.stream(), sr, asio::redirect_error(asio::use_awaitable, ec));
  } else {
    co_await bhttp::async_write(link.stream(), sr, asio::redirect_error(asio::use_awaitable, ec));
  }
  link.disarm();
  co_return !ec;
}

template <class Body>
void set_headers(bhttp::response<Body>& out, const Response& res, bool keep_alive) {
  for (const auto& [name, value] : res.headers) out.insert(name, value);
  if (!res.content_type.empty() && res.status != 204) out.set(bhttp::field::content_type, res.content_type);
  out.keep_alive(keep_alive);
}

// Reads up to `size` bytes at `offset`; the count read (0 at the end), or -1 on an error.
ssize_t read_at(int fd, char* into, std::size_t size, std::uint64_t offset) {
  for (;;) {
    const ssize_t n = ::pread(fd, into, size, static_cast<off_t>(offset));
    if (n >= 0 || errno != EINTR) return n;
  }
}

// Streams an open file as the body, k_file_chunk bytes at a time through one buffer: memory stays
// constant, and a large download is one socket write per 64 KiB rather than per 4 KiB (Beast's
// file_body), which keeps the operations per byte (and, under ASan, the quarantined ones) low.
// A file that ends before its announced size breaks the connection: the length was promised.
template <class Link>
asio::awaitable<bool> write_file_response(Link& link, const ServerOptions& options, Method method, const Response& res,
                                          bool keep_alive) {
  bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(res.status), 11};
  set_headers(out, res, keep_alive);
  out.content_length(res.body_file_size);
  out.body().data = nullptr;
  out.body().more = true;
  bhttp::serializer<false, bhttp::buffer_body> sr{out};
  link.arm(Clock::now() + options.body_timeout);
  beast::error_code ec;
  co_await bhttp::async_write_header(link.stream(), sr, asio::redirect_error(asio::use_awaitable, ec));
  if (ec || method == Method::head) {
    link.disarm();
    co_return !ec;
  }
  const auto chunk = std::make_unique_for_overwrite<char[]>(k_file_chunk);
  std::uint64_t sent = 0;
  while (!ec && sent < res.body_file_size) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(k_file_chunk, res.body_file_size - sent));
    const ssize_t n = read_at(res.body_file->get(), chunk.get(), want, sent);
    if (n <= 0) break;  // shorter than announced, or unreadable
    sent += static_cast<std::uint64_t>(n);
    out.body().data = chunk.get();
    out.body().size = static_cast<std::size_t>(n);
    out.body().more = sent < res.body_file_size;
    co_await bhttp::async_write(link.stream(), sr, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == bhttp::error::need_buffer) ec = {};
  }
  link.disarm();
  co_return !ec && sent == res.body_file_size;
}

// Writes one response within the body deadline; false when the connection broke.
template <class Link>
asio::awaitable<bool> write_response(Link& link, const ServerOptions& options, Method method, Response res,
                                     bool keep_alive) {
  if (res.body_file) co_return co_await write_file_response(link, options, method, res, keep_alive);
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), 11};
  set_headers(out, res, keep_alive);
  out.body() = std::move(res.body);
  out.prepare_payload();
  // HEAD: the headers of the GET answer (Content-Length included), no body.
  if (method == Method::head) out.body().clear();
  co_return co_await write_message(link, options, method, out);
}

enum class BodyRead { done, too_large, timed_out, too_slow, bad_framing, gone };

// Reads the body within the body deadline and, after the grace period, at the minimum rate.
template <class Link, class Parser>
asio::awaitable<BodyRead> read_body(Link& link, beast::flat_buffer& buffer, Parser& parser,
                                    const ServerOptions& options) {
  const auto start = Clock::now();
  const auto total_deadline = start + options.body_timeout;
  std::uint64_t received = 0;
  while (!parser.is_done()) {
    auto deadline = total_deadline;
    bool rate_bound = false;
    if (options.min_transfer_rate > 0) {
      const auto earned = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
          static_cast<double>(received) / static_cast<double>(options.min_transfer_rate)));
      const auto rate_deadline = start + std::max<Clock::duration>(k_transfer_rate_grace, earned);
      if (rate_deadline < deadline) {
        deadline = rate_deadline;
        rate_bound = true;
      }
    }
    link.arm(deadline);
    beast::error_code ec;
    received +=
        co_await bhttp::async_read_some(link.stream(), buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) continue;
    link.disarm();
    if (link.timed_out) co_return rate_bound ? BodyRead::too_slow : BodyRead::timed_out;
    if (ec == bhttp::error::body_limit) co_return BodyRead::too_large;
    if (is_http_error(ec) && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      co_return BodyRead::bad_framing;
    co_return BodyRead::gone;
  }
  link.disarm();
  co_return BodyRead::done;
}

std::string header_error_detail(const beast::error_code& ec, std::size_t max_header_bytes) {
  if (ec == bhttp::error::header_limit)
    return "The request headers exceed " + std::to_string(max_header_bytes) + " bytes.";
  if (ec == bhttp::error::bad_content_length || ec == bhttp::error::multiple_content_length)
    return "Content-Length must be one decimal number.";
  if (ec == bhttp::error::bad_transfer_encoding)
    return "Transfer-Encoding must appear once, as \"chunked\", without Content-Length.";
  return "The request is not valid HTTP/1.1.";
}

// One request on a connection whose next request has begun to arrive; false when the
// connection must close.
template <class Link>
asio::awaitable<bool> serve_request(SessionEnv env, Link& link, beast::flat_buffer& buffer) {
  const ServerOptions& options = env.options;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  // No limit while reading the header: the route's limit is applied once the path is known.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  const HeaderRead head = co_await read_header(link.stream(), buffer, parser, options.max_header_bytes);
  link.disarm();

  Request req;
  req.method = Method::other;
  std::optional<std::pair<ErrorCode, std::string>> refusal;
  if (head.folded) {
    refusal.emplace(ErrorCode::validation_error, "Header fields must not be folded or start with white space.");
  } else if (head.ec) {
    if (link.timed_out) {
      refusal.emplace(ErrorCode::request_timeout, "The request header did not arrive within " +
                                                      std::to_string(options.header_timeout.count()) + " s.");
    } else if (is_http_error(head.ec) && head.ec != bhttp::error::end_of_stream &&
               head.ec != bhttp::error::partial_message) {
      refusal.emplace(ErrorCode::validation_error, header_error_detail(head.ec, options.max_header_bytes));
    } else {
      co_return false;  // closed or reset: nobody to answer
    }
  }
  std::optional<std::string> target;
  if (!refusal) {
    const auto& header = parser.get();
    req.method = to_method(header.method());
    copy_headers(header, req);
    target = origin_form(header.target());
    if (auto problem = framing_problem(header)) {
      refusal.emplace(ErrorCode::validation_error, std::move(*problem));
    } else if (!target) {
      refusal.emplace(ErrorCode::validation_error, "The absolute-form request target is not valid.");
    }
    req.target = target ? *target : std::string(header.target());
  }
  if (refusal) {
    // The framing cannot be trusted: answer and close, never read what follows as a request.
    req.path = req.target.substr(0, req.target.find('?'));
    Response res = env.pipeline.reject(req, link.client_ip, refusal->first, refusal->second);
    if (co_await write_response(link, options, req.method, std::move(res), false)) co_await link.linger();
    co_return false;
  }

  ++env.in_flight;
  auto& header = parser.get();
  Response res;
  bool keep_alive = header.keep_alive();
  const std::string path(req.target.substr(0, req.target.find('?')));
  const auto declared = parser.content_length();
  // The route's limit, looked up only for a request with a body still to come (most have none;
  // a request whose parser is done declared no length, or 0).
  const std::size_t limit = parser.is_done() ? 0 : env.pipeline.body_limit(req.method, path);
  bool answered = false;
  bool unread_input = false;
  auto refuse = [&](ErrorCode code, std::string detail) {
    req.path = path;
    res = env.pipeline.reject(req, link.client_ip, code, detail);
    keep_alive = false;
    answered = true;
    unread_input = true;
  };
  if (declared && *declared > limit) {
    // Refuse before reading: the client may be sending a lot; the connection closes after.
    refuse(ErrorCode::payload_too_large, "The body exceeds " + std::to_string(limit) + " bytes.");
  } else if (!parser.is_done()) {
    parser.body_limit(limit);
    beast::error_code ec;
    if (auto expect = header[bhttp::field::expect]; util::iequals_ascii(expect, "100-continue")) {
      bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
      co_await bhttp::async_write(link.stream(), cont, asio::redirect_error(asio::use_awaitable, ec));
    }
    BodyRead body = BodyRead::gone;
    if (!ec) body = co_await read_body(link, buffer, parser, options);
    switch (body) {
      case BodyRead::done:
        break;
      case BodyRead::too_large:
        refuse(ErrorCode::payload_too_large, "The body exceeds " + std::to_string(limit) + " bytes.");
        break;
      case BodyRead::timed_out:
        refuse(ErrorCode::request_timeout,
               "The request body did not arrive within " + std::to_string(options.body_timeout.count()) + " s.");
        break;
      case BodyRead::too_slow:
        refuse(ErrorCode::request_timeout,
               "The request body arrived slower than " + std::to_string(options.min_transfer_rate) + " bytes/s.");
        break;
      case BodyRead::bad_framing:
        refuse(ErrorCode::validation_error, "The chunked body framing is not valid.");
        break;
      case BodyRead::gone:
        break;
    }
    if (body == BodyRead::gone) {
      --env.in_flight;
      co_return false;
    }
  }
  if (!answered) {
    req.body = std::move(parser.get().body());
    req.client_gone = link.client_gone();
    res = co_await env.pipeline.handle(req, link.client_ip);
  }
  if (env.stopping) keep_alive = false;
  const bool ok = co_await write_response(link, options, req.method, std::move(res), keep_alive);
  --env.in_flight;
  if (ok && unread_input) co_await link.linger();
  const bool again = ok && keep_alive;
  co_return again;
}

// One connection: requests in order until the client closes, a deadline passes, an error answer
// closes it, or the server stops.
template <class Link>
asio::awaitable<void> run_session(SessionEnv env, std::shared_ptr<Link> link) {
  const ServerOptions& options = env.options;
  // Bounded: headers plus one read; the body is moved into the request as it is parsed.
  beast::flat_buffer buffer(options.max_header_bytes + k_read_chunk);
  bool first = true;
  for (;;) {
    if (env.stopping) break;
    if (buffer.size() == 0) {
      // An idle connection holds no read buffer while it waits.
      buffer.shrink_to_fit();
      link->idle = true;
      link->arm(Clock::now() + (first ? options.header_timeout : options.idle_timeout));
      const bool readable = co_await link->wait_readable(buffer);
      link->idle = false;
      if (!readable || env.stopping) break;  // closed, idle too long, or shutting down: nothing to answer
      if (!first) link->arm(Clock::now() + options.header_timeout);
    } else {
      link->arm(Clock::now() + options.header_timeout);  // a pipelined request
    }
    first = false;
    // The request's state lives in its own frame, so an idle connection holds only this one.
    if (!co_await serve_request(env, *link, buffer)) break;
  }
}

// Asio keeps the reactor state of every socket it ever opened in a pool and never frees it, so
// states allocated during a storm stay scattered over the heap and pin pages that the storm's
// other memory would return. Allocating them together at start keeps them in one place.
void reserve_reactor_states(asio::io_context& io, std::size_t count) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < 256) return;
  if (limit.rlim_cur != RLIM_INFINITY) count = std::min<std::size_t>(count, limit.rlim_cur - 128);
  std::vector<tcp::socket> sockets;
  sockets.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    beast::error_code ec;
    sockets.emplace_back(io);
    sockets.back().open(tcp::v4(), ec);
    if (ec) break;
  }
}

// The answer to a connection past the cap, written without waiting (best effort).
std::string busy_response() {
  Response r = problem_response(ErrorCode::overloaded, "The server has too many open connections; try again.", "");
  std::string out = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + r.content_type +
                    "\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " + std::to_string(r.body.size()) +
                    "\r\n\r\n";
  return out + r.body;
}

}  // namespace

std::size_t raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return 1 << 20;
  return static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t default_max_connections() {
  rlimit limit{};
  std::size_t soft = 1024;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
    soft = limit.rlim_cur == RLIM_INFINITY ? (1 << 20) : static_cast<std::size_t>(limit.rlim_cur);
  const std::size_t headroom = std::clamp<std::size_t>(soft / 4, 64, 1024);
  return soft > headroom + 16 ? soft - headroom : 16;
}

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io, Pipeline& p, ServerOptions o, std::vector<asio::io_context*> more_io)
      : contexts(std::move(more_io)),
        pipeline(p),
        options(std::move(o)),
        acceptor(asio::make_strand(io)),
        busy(busy_response()) {
    contexts.insert(contexts.begin(), &io);
    if (options.max_connections == 0) options.max_connections = default_max_connections();
  }

  std::vector<asio::io_context*> contexts;  // where connections live, taken in turn
  std::size_t next_context = 0;             // only touched by the accept loop
  Pipeline& pipeline;
  ServerOptions options;
  tcp::acceptor acceptor;
  const std::string busy;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> peak_connections{0};
  std::atomic<bool> in_storm{false};
  logging::LogThrottle accept_errors{k_log_interval};
  logging::LogThrottle refusals{k_log_interval};
  std::mutex mutex;
  std::list<std::weak_ptr<TcpLink>> connections;

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    asio::steady_timer backoff(acceptor.get_executor());
    std::chrono::milliseconds delay{0};
    while (!stopping) {
      beast::error_code ec;
      asio::io_context& home = *contexts[next_context++ % contexts.size()];
      tcp::socket socket =
          co_await acceptor.async_accept(asio::make_strand(home), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) break;
        // Out of descriptors or buffers: retrying at once would spin; wait, longer each time.
        delay = std::min(k_accept_backoff_max, std::max(std::chrono::milliseconds(10), delay * 2));
        accept_errors.warn("accept failed: " + ec.message() + "; retrying in up to " +
                           std::to_string(k_accept_backoff_max.count()) + " ms");
        backoff.expires_after(delay);
        co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      delay = std::chrono::milliseconds(0);
      if (open_connections >= options.max_connections) {
        refuse(socket);
        continue;
      }
      const std::size_t open = ++open_connections;
      if (open > peak_connections) peak_connections = open;
      if (open >= k_storm_connections && !in_storm.exchange(true)) {
        if (options.on_connection_storm) options.on_connection_storm(true);
        logging::log_info(std::to_string(open) + " connections open: a connection storm");
      }
      auto link = std::make_shared<TcpLink>(std::move(socket));
      beast::error_code ignored;
      auto remote = link->socket.remote_endpoint(ignored);
      if (!ignored) link->client_ip = remote.address().to_string();
      {
        std::lock_guard lock(mutex);
        link->position = connections.insert(connections.end(), link);
      }
      auto executor = link->socket.get_executor();
      asio::co_spawn(executor, session(link), asio::detached);
    }
  }

  // Past the cap: a 503 written without waiting, then close. Existing connections are untouched.
  void refuse(tcp::socket& socket) {
    beast::error_code ignored;
    socket.non_blocking(true, ignored);
    socket.write_some(asio::buffer(busy), ignored);
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    // Drop what already arrived, so the close does not reset the connection over the answer.
    std::array<char, 4096> sink{};
    socket.read_some(asio::buffer(sink), ignored);
    socket.close(ignored);
    refusals.warn("connection cap of " + std::to_string(options.max_connections) +
                  " reached: new connections answered 503");
  }

  asio::awaitable<void> session(std::shared_ptr<TcpLink> link) {
    auto self = shared_from_this();
    SessionEnv env{pipeline, options, stopping, in_flight};
    try {
      co_await run_session(env, link);
    } catch (const std::exception& e) {
      logging::log_error(std::string("connection failed: ") + e.what());
    }
    link->close();
    {
      std::lock_guard lock(mutex);
      connections.erase(link->position);
    }
    link.reset();
    const std::size_t left = --open_connections;
    const std::size_t peak = peak_connections;
    if (left <= peak / 16 && in_storm && in_storm.exchange(false)) {  // once a storm, whichever thread is last
      peak_connections = left;
      if (options.on_connection_storm) options.on_connection_storm(false);
      logging::log_info("connections down from " + std::to_string(peak) + " to " + std::to_string(left) +
                        ": the storm has passed");
    }
  }

  // Runs `f(link)` on each live connection's strand.
  template <class F>
  void for_each_connection(F f) {
    std::lock_guard lock(mutex);
    for (auto& w : connections) {
      if (auto c = w.lock()) asio::post(c->socket.get_executor(), [c, f] { f(*c); });
    }
  }
};

Server::Server(asio::io_context& io, Pipeline& pipeline, ServerOptions options, std::vector<asio::io_context*> more_io)
    : impl_(std::make_shared<Impl>(io, pipeline, std::move(options), std::move(more_io))) {}

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
  const std::size_t states = std::min(impl_->options.max_connections, k_reserved_reactor_states);
  for (auto* io : impl_->contexts) reserve_reactor_states(*io, states / impl_->contexts.size());
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
  // Idle keep-alive connections would otherwise wait for their idle timeout.
  impl->for_each_connection([](TcpLink& c) {
    beast::error_code ignored;
    if (c.idle) c.socket.cancel(ignored);
  });
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto deadline = Clock::now() + grace;
  while (impl->in_flight > 0 && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (impl->in_flight > 0)
    logging::log_warn("shutdown grace period over with " + std::to_string(impl->in_flight.load()) +
                      " request(s) still in flight");
  impl->for_each_connection([](TcpLink& c) {
    beast::error_code ignored;
    c.socket.cancel(ignored);
    c.socket.close(ignored);
  });
  // Give the sessions a moment to unwind after their sockets closed.
  const auto unwind = Clock::now() + std::chrono::seconds(2);
  while (impl->open_connections > 0 && Clock::now() < unwind) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

std::size_t Server::in_flight() const { return impl_->in_flight; }
std::size_t Server::connections() const { return impl_->open_connections; }
std::size_t Server::max_connections() const { return impl_->options.max_connections; }

asio::awaitable<std::string> serve_bytes(Pipeline& pipeline, ServerOptions options, std::string input) {
  auto executor = co_await asio::this_coro::executor;
  auto link = std::make_shared<MemoryLink>(executor);
  beast::test::stream client(executor);
  link->server.connect(client);
  link->server.append(input);
  link->server.close_remote();  // the server reads `input`, then end of stream
  const std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  SessionEnv env{pipeline, options, stopping, in_flight};
  co_await run_session(env, link);
  link->close();
  co_return std::string(client.str());
}

}  // namespace oms::http
