#include "cache/guarded_cache.hpp"

namespace oms::cache {
namespace {
constexpr std::chrono::milliseconds k_first_backoff{100};
constexpr std::chrono::milliseconds k_max_backoff{5000};
}  // namespace

Family family_of(std::string_view key) {
  const auto prefix = key.substr(0, key.find(':'));
  for (std::size_t i = 0; i + 1 < k_family_names.size(); ++i)
    if (prefix == k_family_names[i]) return static_cast<Family>(i);
  return Family::other;
}

GuardedCache::GuardedCache(Cache& inner, std::string name, Log on_down, Log on_up)
    : inner_(inner), name_(std::move(name)), on_down_(std::move(on_down)), on_up_(std::move(on_up)) {}

void GuardedCache::failed(const std::exception& e, Family f) {
  counters_[static_cast<std::size_t>(f)].errors.fetch_add(1, std::memory_order_relaxed);
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    if (up_) {
      up_ = false;
      changed = true;
      ++state_changes_;
      backoff_ = k_first_backoff;
    } else {
      backoff_ = std::min(backoff_ * 2, k_max_backoff);
    }
    retry_at_ = std::chrono::steady_clock::now() + backoff_;
  }
  if (changed && on_down_) on_down_("cache " + name_ + " is down, serving from the database: " + e.what());
}

awaitable<bool> GuardedCache::usable() {
  std::vector<std::string> replay;
  {
    std::lock_guard lock(mu_);
    if (up_) co_return true;
    if (probing_ || std::chrono::steady_clock::now() < retry_at_) co_return false;
    probing_ = true;
    replay.assign(pending_deletes_.begin(), pending_deletes_.end());
  }
  // The probe: first the deletes lost while down, then the cache is up again.
  bool ok = true;
  try {
    if (replay.empty()) {
      co_await inner_.get("oms:probe");
    } else {
      for (const auto& key : replay) co_await inner_.del(key);
    }
  } catch (const std::exception&) {
    ok = false;
    std::lock_guard lock(mu_);
    probing_ = false;
    backoff_ = std::min(backoff_ * 2, k_max_backoff);
    retry_at_ = std::chrono::steady_clock::now() + backoff_;
  }
  if (!ok) co_return false;
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    probing_ = false;
    for (const auto& key : replay) pending_deletes_.erase(key);
    // Deletes that failed while this probe ran are done by the next probe.
    if (pending_deletes_.empty()) {
      changed = !up_;
      up_ = true;
      if (changed) ++state_changes_;
    } else {
      retry_at_ = std::chrono::steady_clock::now();
    }
  }
  if (changed && on_up_) on_up_("cache " + name_ + " is up again");
  co_return changed;
}

awaitable<std::optional<std::string>> GuardedCache::get(std::string key) {
  const Family f = family_of(key);
  auto& c = counters_[static_cast<std::size_t>(f)];
  if (!co_await usable()) {
    c.misses.fetch_add(1, std::memory_order_relaxed);
    co_return std::nullopt;
  }
  const auto started = std::chrono::steady_clock::now();
  try {
    auto value = co_await inner_.get(std::move(key));
    (value ? c.hits : c.misses).fetch_add(1, std::memory_order_relaxed);
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    c.gets.fetch_add(1, std::memory_order_relaxed);
    c.get_microseconds.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
    co_return value;
  } catch (const std::exception& e) {
    failed(e, f);
  }
  c.misses.fetch_add(1, std::memory_order_relaxed);
  co_return std::nullopt;
}

// As get(), for several keys: each is counted as a lookup of its family; one failure fails them all
// (an error and a miss for each key, as if each had been a get(); the cache goes down once).
awaitable<std::vector<std::optional<std::string>>> GuardedCache::get_many(std::vector<std::string> keys) {
  std::vector<Family> families;
  families.reserve(keys.size());
  for (const auto& key : keys) families.push_back(family_of(key));
  std::vector<std::optional<std::string>> values(keys.size());
  auto count = [&](const std::vector<std::optional<std::string>>& found) {
    for (std::size_t i = 0; i < families.size(); ++i)
      (found[i] ? counters_[static_cast<std::size_t>(families[i])].hits
                : counters_[static_cast<std::size_t>(families[i])].misses)
          .fetch_add(1, std::memory_order_relaxed);
  };
  if (keys.empty() || !co_await usable()) {
    count(values);
    co_return values;
  }
  const auto started = std::chrono::steady_clock::now();
  try {
    auto found = co_await inner_.get_many(std::move(keys));
    if (found.size() != families.size()) throw CacheError("cache: get_many answered the wrong number of keys");
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    for (const Family f : families) {
      auto& c = counters_[static_cast<std::size_t>(f)];
      c.gets.fetch_add(1, std::memory_order_relaxed);
      c.get_microseconds.fetch_add(static_cast<std::uint64_t>(took.count()), std::memory_order_relaxed);
    }
    values = std::move(found);
  } catch (const std::exception& e) {
    failed(e, families.front());
    for (std::size_t i = 1; i < families.size(); ++i)
      counters_[static_cast<std::size_t>(families[i])].errors.fetch_add(1, std::memory_order_relaxed);
  }
  count(values);
  co_return values;
}

awaitable<void> GuardedCache::set(std::string key, std::string value, Ttl ttl) {
  const Family f = family_of(key);
  if (!co_await usable()) co_return;
  try {
    co_await inner_.set(std::move(key), std::move(value), ttl);
  } catch (const std::exception& e) {
    failed(e, f);
  }
}

awaitable<bool> GuardedCache::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  const Family f = family_of(key);
  if (!co_await usable()) co_return false;
  try {
    co_return co_await inner_.compare_and_set(std::move(key), std::move(expected), std::move(value), ttl);
  } catch (const std::exception& e) {
    failed(e, f);
  }
  co_return false;
}

awaitable<void> GuardedCache::del(std::string key) {
  const Family f = family_of(key);
  if (co_await usable()) {
    try {
      co_await inner_.del(key);
      co_return;
    } catch (const std::exception& e) {
      failed(e, f);
    }
  }
  std::lock_guard lock(mu_);
  if (pending_deletes_.size() < k_max_pending_deletes) pending_deletes_.insert(std::move(key));
}

std::string GuardedCache::state() const {
  std::lock_guard lock(mu_);
  return up_ ? "up" : "down";
}

CacheStats GuardedCache::stats() const {
  CacheStats s;
  for (std::size_t i = 0; i < counters_.size(); ++i) {
    s.families[i].hits = counters_[i].hits.load(std::memory_order_relaxed);
    s.families[i].misses = counters_[i].misses.load(std::memory_order_relaxed);
    s.families[i].errors = counters_[i].errors.load(std::memory_order_relaxed);
    s.families[i].gets = counters_[i].gets.load(std::memory_order_relaxed);
    s.families[i].get_microseconds = counters_[i].get_microseconds.load(std::memory_order_relaxed);
  }
  std::lock_guard lock(mu_);
  s.up = up_;
  s.state_changes = state_changes_;
  return s;
}

}  // namespace oms::cache
