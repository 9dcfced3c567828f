#pragma once
// Authenticates bearer tokens against a JWKS that may rotate: results are cached by token hash,
// and a token signed with an unknown key id triggers one JWKS refresh (at most once a minute).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "domain/clock.hpp"
#include "identity/jwt.hpp"
#include "identity/token_cache.hpp"

namespace oms::identity {

// Returns the JWKS document text; throws std::exception when it cannot.
using JwksFetcher = std::function<boost::asio::awaitable<std::string>()>;

struct VerifierOptions {
  VerifyOptions verify;
  std::size_t cache_capacity = 10000;
  std::chrono::seconds min_refresh_interval{60};
  std::function<void(const std::string&)> warn;  // e.g. a failed refresh; may be empty
};

class TokenVerifier {
 public:
  TokenVerifier(VerifierOptions options, JwksFetcher fetch, const domain::Clock& clock);

  // Loads the key set; throws when it cannot be fetched or parsed (the service must not start).
  boost::asio::awaitable<void> load();
  // The caller named by a valid token; throws DomainError(UNAUTHENTICATED) otherwise.
  boost::asio::awaitable<domain::Principal> verify(std::string token);

  std::size_t cached_tokens() const { return cache_.size(); }
  std::size_t refreshes() const;

 private:
  std::shared_ptr<const KeySet> keys() const;
  std::chrono::sys_seconds now_seconds() const;

  VerifierOptions options_;
  JwksFetcher fetch_;
  const domain::Clock& clock_;
  TokenCache cache_;
  mutable std::mutex mutex_;
  std::shared_ptr<const KeySet> keys_;
  std::optional<domain::Timestamp> last_refresh_;
  std::size_t refreshes_ = 0;
};

}  // namespace oms::identity
