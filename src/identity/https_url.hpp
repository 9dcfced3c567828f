#pragma once
// The parts of an https:// URL that a TLS client needs, read with Boost.URL.
#include <string>
#include <string_view>

namespace oms::identity {

struct HttpsUrl {
  std::string host;              // for DNS, SNI and certificate checks: "idp.example", "::1" (no brackets)
  std::string port = "443";      // the URL's port, or 443
  std::string target = "/";      // path and query, still encoded, as sent in the request line
  std::string host_header;       // the Host header: host as written ("[::1]") plus ":port" when given
  bool host_is_address = false;  // an IPv4 or IPv6 literal: no TLS server name (SNI) is sent
};

// Throws std::invalid_argument when `url` is not an absolute https:// URL with a host (user info
// and fragments are refused too: neither belongs in a JWKS URL).
HttpsUrl parse_https_url(std::string_view url);

}  // namespace oms::identity
