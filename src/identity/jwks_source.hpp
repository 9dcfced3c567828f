#pragma once
// Where the JWKS comes from: file://<path> (the embedded profile's local key) or https://...
// (the production identity provider, fetched with a 10 s deadline).
#include <boost/asio/any_io_executor.hpp>
#include <string>
#include <string_view>

#include "identity/verifier.hpp"

namespace oms::identity {

// Reads a file:// URL's file; throws std::runtime_error.
std::string read_file_url(std::string_view file_url);

// A fetcher for file:// or https:// URLs; throws std::invalid_argument for other schemes.
JwksFetcher make_jwks_fetcher(std::string url, boost::asio::any_io_executor executor);

// GET over TLS (util::http_request: the certificate and the host name or address verified, 10 s,
// at most 1 MiB); the body of a 200 response, else throws (std::invalid_argument for a URL that
// is not https:// with a host).
boost::asio::awaitable<std::string> https_get(boost::asio::any_io_executor executor, std::string url);

}  // namespace oms::identity
