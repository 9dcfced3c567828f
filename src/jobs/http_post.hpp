#pragma once
// A small HTTP/1.1 client for outgoing POSTs (webhook delivery): http:// and https:// (TLS with
// the system's trust store, host name verified), one connection per request, a total deadline.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oms::jobs {

struct HttpUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string target = "/";
};

// http://host[:port][/path] or https://...; nullopt for anything else (no user info, no fragment).
std::optional<HttpUrl> parse_http_url(std::string_view url);

struct HttpReply {
  int status = 0;
  std::string body;  // at most 64 KiB are read
};

// Throws std::exception (connection refused or dropped, timeout, TLS failure) when no complete
// response arrives within `timeout`.
boost::asio::awaitable<HttpReply> http_post(boost::asio::any_io_executor executor, const HttpUrl& url,
                                            std::vector<std::pair<std::string, std::string>> headers, std::string body,
                                            std::chrono::milliseconds timeout);

}  // namespace oms::jobs
