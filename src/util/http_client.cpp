// Beast over Asio; kept in one file so only it pays Beast's compile time.
#include "util/http_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <charconv>
#include <stdexcept>

#include "util/encoding.hpp"

namespace oms::util {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

namespace {

std::string host_header(const HttpUrl& url) {
  std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  if (url.port != (url.tls ? "443" : "80")) {
    host += ':';
    host += url.port;
  }
  return host;
}

template <class Stream>
asio::awaitable<HttpReply> exchange(Stream& stream, const HttpUrl& url, HttpRequest& request) {
  const bool head = request.method == "HEAD";
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(request.method), url.target, 11};
  req.set(bhttp::field::host, host_header(url));
  req.set(bhttp::field::user_agent, "oms");
  req.set(bhttp::field::connection, "close");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  req.body() = std::move(request.body);
  if (!head && (request.method != "GET" || !req.body().empty())) req.prepare_payload();
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(request.max_body);
  parser.skip(head);  // a reply to HEAD announces a length but has no body
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  auto res = parser.release();
  HttpReply reply;
  reply.status = static_cast<int>(res.result_int());
  for (const auto& field : res)
    reply.headers.emplace_back(to_lower_ascii(field.name_string()), std::string(field.value()));
  reply.body = std::move(res.body());
  co_return reply;
}

}  // namespace

std::optional<std::string_view> HttpReply::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return std::string_view(value);
  return std::nullopt;
}

std::optional<HttpUrl> parse_http_url(std::string_view text) {
  auto parsed = boost::urls::parse_absolute_uri(text);  // the grammar has no fragment
  if (!parsed) return std::nullopt;
  const auto& u = *parsed;
  HttpUrl out;
  if (u.scheme() == "http") {
    out.port = "80";
  } else if (u.scheme() == "https") {
    out.tls = true;
    out.port = "443";
  } else {
    return std::nullopt;
  }
  if (!u.has_authority() || u.has_userinfo() || u.host().empty()) return std::nullopt;
  if (u.host_type() == boost::urls::host_type::ipvfuture) return std::nullopt;
  out.host = u.host_address();  // an IPv6 literal without its brackets
  if (u.has_port()) {
    // port_number() wraps above 65535, so the digits are read here.
    const std::string_view digits = u.port();
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || number == 0 || number > 65535)
      return std::nullopt;
    out.port = digits;
  }
  std::string target(u.encoded_path());
  if (target.empty()) target = "/";
  if (u.has_query()) target += "?" + std::string(u.encoded_query());
  out.target = std::move(target);
  return out;
}

namespace {

// The request on `executor`, which runs this coroutine too (see http_request).
asio::awaitable<HttpReply> request_on(asio::any_io_executor executor, HttpUrl url, HttpRequest request) {
  asio::ip::tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(url.host, url.port, asio::use_awaitable);
  if (!url.tls) {
    beast::tcp_stream stream(executor);
    stream.expires_after(request.timeout);
    co_await stream.async_connect(endpoints, asio::use_awaitable);
    HttpReply reply = co_await exchange(stream, url, request);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    co_return reply;
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  // SNI carries names only (RFC 6066); the certificate is checked against the name or the address.
  boost::system::error_code not_an_address;
  asio::ip::make_address(url.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
    throw std::runtime_error("cannot set TLS server name for " + url.host);
  stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
  beast::get_lowest_layer(stream).expires_after(request.timeout);
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
  HttpReply reply = co_await exchange(stream, url, request);
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return reply;
}

}  // namespace

asio::awaitable<HttpReply> http_request(asio::any_io_executor executor, const HttpUrl& url, HttpRequest request) {
  // One strand for the stream and the coroutine using it: Beast runs a stream's timeout handler on
  // the stream's executor and its operations' completions on the awaiting coroutine's, and needs
  // the two serialized; on an io_context run by several threads (oms worker's) nothing else does.
  asio::any_io_executor strand = asio::make_strand(executor);
  co_return co_await asio::co_spawn(strand, request_on(strand, url, std::move(request)), asio::use_awaitable);
}

}  // namespace oms::util
