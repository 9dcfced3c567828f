#include "identity/https_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>
#include <stdexcept>

namespace oms::identity {

HttpsUrl parse_https_url(std::string_view url) {
  namespace urls = boost::urls;
  const auto parsed = urls::parse_absolute_uri(url);
  const auto invalid = [url](std::string_view why) {
    return std::invalid_argument("the JWKS URL " + std::string(why) + ": " + std::string(url));
  };
  if (!parsed) throw invalid("is not a valid absolute URL");
  const urls::url_view& u = *parsed;
  if (u.scheme_id() != urls::scheme::https) throw invalid("is not https://");
  if (u.has_userinfo()) throw invalid("must not carry user information");
  if (u.host_type() == urls::host_type::none || u.encoded_host().empty()) throw invalid("has no host");
  HttpsUrl out;
  switch (u.host_type()) {
    case urls::host_type::ipv6:
      out.host = u.host_ipv6_address().to_string();
      out.host_is_address = true;
      break;
    case urls::host_type::ipv4:
      out.host = u.host_ipv4_address().to_string();
      out.host_is_address = true;
      break;
    case urls::host_type::ipvfuture:
      throw invalid("has an unsupported IP literal");
    default:
      out.host = u.host();  // a registered name, decoded
  }
  if (u.has_port()) {
    // port_number() wraps above 65535, so the digits are read here.
    unsigned number = 0;
    const std::string_view digits = u.port();
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || number == 0 || number > 65535)
      throw invalid("has an invalid port");
    out.port = u.port();
  }
  out.host_header = u.encoded_host_and_port();
  const std::string_view target = u.encoded_target();
  out.target.clear();
  if (!target.starts_with('/')) out.target += '/';  // "https://h?x=1" asks for "/?x=1"
  out.target += target;
  return out;
}

}  // namespace oms::identity
