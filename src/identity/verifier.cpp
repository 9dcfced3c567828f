#include "identity/verifier.hpp"

#include "domain/error.hpp"

namespace oms::identity {

TokenVerifier::TokenVerifier(VerifierOptions options, JwksFetcher fetch, const domain::Clock& clock)
    : options_(std::move(options)), fetch_(std::move(fetch)), clock_(clock), cache_(options_.cache_capacity) {}

boost::asio::awaitable<void> TokenVerifier::load() {
  std::string text = co_await fetch_();
  auto parsed = std::make_shared<const KeySet>(parse_jwks(text));
  if (parsed->size() == 0) throw std::runtime_error("the JWKS holds no RS256 signature key");
  std::lock_guard lock(mutex_);
  keys_ = std::move(parsed);
  last_refresh_ = clock_.now();
}

std::shared_ptr<const KeySet> TokenVerifier::keys() const {
  std::lock_guard lock(mutex_);
  return keys_;
}

std::size_t TokenVerifier::refreshes() const {
  std::lock_guard lock(mutex_);
  return refreshes_;
}

std::chrono::sys_seconds TokenVerifier::now_seconds() const {
  return std::chrono::floor<std::chrono::seconds>(clock_.now());
}

boost::asio::awaitable<domain::Principal> TokenVerifier::verify(std::string token) {
  const auto now = now_seconds();
  if (auto hit = cache_.get(token, now)) co_return *hit;

  DecodedToken decoded = decode_token(token);
  auto current = keys();
  const RsaKey* key = current ? current->find(decoded.kid) : nullptr;
  if (key == nullptr) {
    // An unknown kid may mean the issuer rotated its keys: refresh, but not more than once a
    // minute, so garbage tokens cannot make us hammer the identity provider.
    bool refresh = false;
    {
      std::lock_guard lock(mutex_);
      const auto t = clock_.now();
      if (!last_refresh_ || t - *last_refresh_ >= options_.min_refresh_interval) {
        last_refresh_ = t;
        ++refreshes_;
        refresh = true;
      }
    }
    if (refresh) {
      try {
        std::string text = co_await fetch_();
        auto parsed = std::make_shared<const KeySet>(parse_jwks(text));
        std::lock_guard lock(mutex_);
        keys_ = parsed;
        current = parsed;
      } catch (const std::exception& e) {
        if (options_.warn) options_.warn(std::string("JWKS refresh failed: ") + e.what());
      }
      key = current ? current->find(decoded.kid) : nullptr;
    }
    if (key == nullptr)
      throw domain::DomainError(domain::ErrorCode::unauthenticated, "The token's key id is not known.");
  }
  VerifiedToken verified = verify_decoded(decoded, *key, options_.verify, now);
  cache_.put(token, verified.principal, verified.expires_at, now);
  co_return verified.principal;
}

}  // namespace oms::identity
