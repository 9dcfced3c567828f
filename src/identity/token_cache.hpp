#pragma once
// Verified tokens by their text, kept until the token expires. Bounded: when full, expired
// entries go first, then the entry closest to expiry. Thread-safe. Keyed by the text itself, not a
// digest of it: an RS256 token is ~0.7 KiB, whose SHA-256 costs ~0.6-1 us a request here, std::hash
// ~0.12 us; the lookup compares the whole text, so no two tokens can share an entry.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/entities.hpp"

namespace oms::identity {

class TokenCache {
 public:
  explicit TokenCache(std::size_t capacity) : capacity_(capacity) {}

  std::optional<domain::Principal> get(const std::string& token, std::chrono::sys_seconds now);
  void put(const std::string& token, domain::Principal principal, std::chrono::sys_seconds expires_at,
           std::chrono::sys_seconds now);
  std::size_t size() const;

 private:
  struct Entry {
    domain::Principal principal;
    std::chrono::sys_seconds expires_at;
  };
  void evict_locked(std::chrono::sys_seconds now);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  // The keys of entries_ (a node's key stays where it is until the node is erased), not copies:
  // a token is ~0.7 KiB.
  std::multimap<std::chrono::sys_seconds, const std::string*> by_expiry_;
};

}  // namespace oms::identity
