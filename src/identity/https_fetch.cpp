// The JWKS fetch over HTTPS. Kept apart so that only the executable links TLS and Beast here.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>
#include <chrono>
#include <stdexcept>

#include "identity/https_url.hpp"
#include "identity/jwks_source.hpp"

namespace oms::identity {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

asio::awaitable<std::string> https_get(asio::any_io_executor executor, std::string url) {
  const HttpsUrl u = parse_https_url(url);
  asio::ssl::context tls(asio::ssl::context::tls_client);
  tls.set_default_verify_paths();
  tls.set_verify_mode(asio::ssl::verify_peer);

  asio::ip::tcp::resolver resolver(executor);
  auto endpoints = co_await resolver.async_resolve(u.host, u.port, asio::use_awaitable);
  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  // SNI carries names only (RFC 6066); the certificate is checked against the name or address.
  if (!u.host_is_address && !SSL_set_tlsext_host_name(stream.native_handle(), u.host.c_str()))
    throw std::runtime_error("cannot set TLS server name for " + u.host);
  stream.set_verify_callback(asio::ssl::host_name_verification(u.host));

  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
  co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);

  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, u.target, 11};
  req.set(bhttp::field::host, u.host_header);
  req.set(bhttp::field::user_agent, "oms");
  req.set(bhttp::field::accept, "application/json");
  co_await bhttp::async_write(stream, req, asio::use_awaitable);

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1024 * 1024);
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  auto res = parser.release();
  beast::error_code ignored;
  beast::get_lowest_layer(stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  if (res.result() != bhttp::status::ok)
    throw std::runtime_error("GET " + url + " answered " + std::to_string(res.result_int()));
  co_return std::move(res.body());
}

JwksFetcher make_jwks_fetcher(std::string url, asio::any_io_executor executor) {
  if (url.starts_with("file://")) {
    return [url]() -> asio::awaitable<std::string> { co_return read_file_url(url); };
  }
  if (url.starts_with("https://")) {
    return [url, executor]() -> asio::awaitable<std::string> { co_return co_await https_get(executor, url); };
  }
  throw std::invalid_argument("the JWKS URL must be file:// or https://: " + url);
}

}  // namespace oms::identity
