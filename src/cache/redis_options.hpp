#pragma once
// Where and how to reach Redis, from --cache-url
// (redis://[user:password@]host:port[?ca_file=PATH&max_connections=N]) and OMS_CACHE_AUTH_TOKEN
// (which wins over a password in the URL).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace oms::cache {

inline constexpr std::size_t k_max_redis_connections = 1024;

struct RedisOptions {
  std::string host = "127.0.0.1";
  std::string port = "6379";
  bool tls = false;                        // rediss://
  std::string user;                        // ACL user; empty: AUTH with the password only
  std::string password;                    // empty: no AUTH
  std::string ca_file;                     // TLS trust anchors; empty: the system's
  std::chrono::milliseconds timeout{250};  // connect and each command
  std::size_t max_connections = 32;        // per process and node; beyond it a call waits, at most `timeout`
};

// Throws std::invalid_argument on a URL it cannot use.
RedisOptions parse_redis_url(std::string_view url, const std::optional<std::string>& auth_token);

}  // namespace oms::cache
