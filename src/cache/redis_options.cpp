#include "cache/redis_options.hpp"

#include <boost/url/parse.hpp>
#include <charconv>
#include <stdexcept>

namespace oms::cache {
namespace {

std::size_t parse_max_connections(std::string_view text) {
  std::size_t n = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size() || n < 1 || n > k_max_redis_connections)
    throw std::invalid_argument("cache url: max_connections must be a whole number from 1 to " +
                                std::to_string(k_max_redis_connections));
  return n;
}

}  // namespace

RedisOptions parse_redis_url(std::string_view url, const std::optional<std::string>& auth_token) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw std::invalid_argument("cache url: not a URL");
  RedisOptions o;
  const auto scheme = parsed->scheme();
  if (scheme == "rediss") {
    o.tls = true;
  } else if (scheme != "redis") {
    throw std::invalid_argument("cache url: scheme must be redis or rediss");
  }
  o.host = parsed->host();
  if (o.host.size() > 2 && o.host.front() == '[') o.host = o.host.substr(1, o.host.size() - 2);
  if (o.host.empty()) throw std::invalid_argument("cache url: host missing");
  if (parsed->has_port()) o.port = parsed->port();
  if (parsed->has_userinfo()) {
    o.user = parsed->user();
    o.password = parsed->password();
    if (o.password.empty() && !o.user.empty()) std::swap(o.user, o.password);  // redis://secret@host
  }
  if (auth_token && !auth_token->empty()) o.password = *auth_token;
  for (auto param : parsed->params()) {
    if (param.key == "ca_file") {
      o.ca_file = param.value;
    } else if (param.key == "max_connections") {
      o.max_connections = parse_max_connections(param.value);
    }
  }
  return o;
}

}  // namespace oms::cache
