#pragma once
// Verified tokens by sha256 of the token text, kept until the token expires. Bounded: when full,
// expired entries go first, then the entry closest to expiry. Thread-safe.
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

  std::optional<domain::Principal> get(const std::string& token_hash, std::chrono::sys_seconds now);
  void put(const std::string& token_hash, domain::Principal principal, std::chrono::sys_seconds expires_at,
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
  std::multimap<std::chrono::sys_seconds, std::string> by_expiry_;
};

}  // namespace oms::identity
