// The JWKS fetch: file:// for the embedded profile's local key, https:// for the identity provider
// (through util's HTTP client, so the service keeps one TLS client).
#include <chrono>
#include <stdexcept>
#include <string>
#include <utility>

#include "identity/jwks_source.hpp"
#include "util/http_client.hpp"

namespace oms::identity {
namespace asio = boost::asio;

namespace {
constexpr std::size_t k_jwks_max_bytes = 1024 * 1024;
constexpr std::chrono::seconds k_jwks_timeout{10};
}  // namespace

asio::awaitable<std::string> https_get(asio::any_io_executor executor, std::string url) {
  const auto parsed = util::parse_http_url(url);
  if (!parsed || !parsed->tls) throw std::invalid_argument("the JWKS URL is not an https:// URL with a host: " + url);
  util::HttpRequest request;
  request.headers.emplace_back("Accept", "application/json");
  request.timeout = k_jwks_timeout;
  request.max_body = k_jwks_max_bytes;
  util::HttpReply reply = co_await util::http_request(std::move(executor), *parsed, std::move(request));
  if (reply.status != 200) throw std::runtime_error("GET " + url + " answered " + std::to_string(reply.status));
  co_return std::move(reply.body);
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
