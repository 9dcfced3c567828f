#pragma once
// Makes cache failure invisible: every error or timeout of the inner cache becomes a miss (get),
// a refusal (compare_and_set) or a no-op (set). The first failure marks the cache down (one log
// line); while down, calls skip the cache until a retry time that backs off from 100 ms to 5 s;
// the first call after it probes, and a success marks it up again (one log line). Deletes that
// could not be done are remembered and done before the cache is used again, so an invalidation
// lost during an outage cannot resurface as a stale entry after it.
// Counts hits, misses and errors per key family (the part of the key before the first ':').
#include <array>
#include <atomic>
#include <functional>
#include <mutex>
#include <set>

#include "cache/cache.hpp"

namespace oms::cache {

enum class Family { opportunity, problem_statement, skill_requirements, skills_catalog, user, other };
inline constexpr std::array<const char*, 6> k_family_names = {
    "opportunity", "problem_statement", "skill_requirements", "skills_catalog", "user", "other"};
Family family_of(std::string_view key);

struct FamilyCounters {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t errors = 0;
  std::uint64_t gets = 0;              // answered by the cache (not skipped while down)
  std::uint64_t get_microseconds = 0;  // their total duration
};

struct CacheStats {
  std::array<FamilyCounters, 6> families{};
  bool up = true;
  std::uint64_t state_changes = 0;
};

class GuardedCache final : public Cache {
 public:
  using Log = std::function<void(const std::string&)>;
  static constexpr std::size_t k_max_pending_deletes = 100000;

  // `name` is what the log lines call it (e.g. "redis 10.0.0.1:6379").
  GuardedCache(Cache& inner, std::string name, Log on_down, Log on_up);

  awaitable<std::optional<std::string>> get(std::string key) override;
  awaitable<void> set(std::string key, std::string value, Ttl ttl) override;
  awaitable<bool> compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) override;
  awaitable<void> del(std::string key) override;
  awaitable<std::vector<std::optional<std::string>>> get_many(std::vector<std::string> keys) override;
  bool answers_at_once() const noexcept override { return inner_.answers_at_once(); }

  // "up" or "down": a detail for readiness; it never makes the service unready.
  std::string state() const;
  CacheStats stats() const;

 private:
  // True when the inner cache may be used now (up, or down and due for a probe that succeeded).
  awaitable<bool> usable();
  void failed(const std::exception& e, Family f);

  struct Atomics {
    std::atomic<std::uint64_t> hits{0}, misses{0}, errors{0}, gets{0}, get_microseconds{0};
  };

  Cache& inner_;
  std::string name_;
  Log on_down_, on_up_;
  std::array<Atomics, 6> counters_;

  mutable std::mutex mu_;
  bool up_ = true;
  bool probing_ = false;
  std::chrono::steady_clock::time_point retry_at_{};
  std::chrono::milliseconds backoff_{100};
  std::set<std::string> pending_deletes_;
  std::uint64_t state_changes_ = 0;
};

}  // namespace oms::cache
