#include "cache/cache_aside.hpp"

#include <random>

namespace oms::cache {
namespace {
constexpr char k_value_mark = 'v';
constexpr char k_lease_mark = 'l';

std::string new_token() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string t(32, '0');
  for (std::size_t i = 0; i < t.size(); i += 16) {
    std::uint64_t r = rng();
    for (std::size_t j = 0; j < 16; ++j, r >>= 4) t[i + j] = digits[r & 15];
  }
  return t;
}
}  // namespace

awaitable<std::optional<std::string>> CacheAside::lookup(std::string key) {
  auto raw = co_await cache_.get(std::move(key));
  if (!raw || raw->empty() || (*raw)[0] != k_value_mark) co_return std::nullopt;
  raw->erase(0, 1);  // in place: no second copy of the value
  co_return raw;
}

awaitable<std::vector<std::optional<std::string>>> CacheAside::lookup_many(std::vector<std::string> keys) {
  auto raws = co_await cache_.get_many(std::move(keys));
  for (auto& raw : raws) {
    if (!raw || raw->empty() || (*raw)[0] != k_value_mark) {
      raw.reset();
    } else {
      raw->erase(0, 1);
    }
  }
  co_return raws;
}

awaitable<std::string> CacheAside::reserve(std::string key) {
  std::string token = new_token();
  co_await cache_.set(std::move(key), k_lease_mark + token, k_lease_ttl);
  co_return token;
}

awaitable<bool> CacheAside::fill(std::string key, std::string token, std::string value, Ttl ttl) {
  std::string expected = k_lease_mark + std::move(token);
  co_return co_await cache_.compare_and_set(std::move(key), std::move(expected), k_value_mark + std::move(value), ttl);
}

awaitable<void> CacheAside::invalidate(std::string key) { co_await cache_.del(std::move(key)); }

}  // namespace oms::cache
