#pragma once
// A small HTTP/1.1 client for outgoing requests (webhook POSTs, S3 calls, the ECS credentials
// endpoint, the identity provider's JWKS): http:// and https:// (TLS with the system's trust store,
// or SSL_CERT_FILE's; the host name or address verified), one connection per request, one deadline
// for the whole exchange.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oms::util {

struct HttpUrl {
  bool tls = false;
  std::string host;  // as given, without brackets for IPv6
  std::string port;
  std::string target = "/";  // path and query, still encoded
};

// http://host[:port][/path][?query] or https://...; nullopt for anything else (no user info, no
// fragment, no IPvFuture literal, a port of 1-65535).
std::optional<HttpUrl> parse_http_url(std::string_view url);

struct HttpReply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // at most max_body bytes are read

  std::optional<std::string_view> header(std::string_view lower_name) const;
};

struct HttpRequest {
  std::string method = "GET";                                // "GET", "HEAD", "PUT", "POST", "DELETE"
  std::vector<std::pair<std::string, std::string>> headers;  // Host, User-Agent and Connection are set
  std::string body;
  std::chrono::milliseconds timeout{10000};
  std::size_t max_body = 64 * 1024;
};

// Throws std::exception (connection refused or dropped, timeout, TLS failure, a longer body) when
// no complete response arrives within the timeout.
boost::asio::awaitable<HttpReply> http_request(boost::asio::any_io_executor executor, const HttpUrl& url,
                                               HttpRequest request);

}  // namespace oms::util
