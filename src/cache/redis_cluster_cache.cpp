#include "cache/redis_cluster_cache.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "cache/key_slot.hpp"
#include "cache/redis_commands.hpp"

namespace oms::cache {
namespace {

using detail::k_compare_and_set_script;
using detail::px_millis;
using detail::throw_if_error;

constexpr int k_max_redirects = 5;

awaitable<std::vector<Reply>> ask_node(RedisCache* node, std::vector<std::vector<std::string>> batch) {
  co_return co_await node->execute_batch(std::move(batch));
}

// Every node's batch at once: an aggregate's keys lie on two nodes more often than not, and asked
// one after the other they would cost two round trips. The replies in the batches' order; a
// failed node's CacheError is rethrown once all have answered. Runs on a strand (ask_nodes).
awaitable<std::vector<std::vector<Reply>>> ask_nodes_at_once(
    std::vector<RedisCache*> nodes, std::vector<std::vector<std::vector<std::string>>> batches) {
  namespace asio = boost::asio;
  const auto ex = co_await asio::this_coro::executor;
  using Ask = decltype(asio::co_spawn(ex, ask_node(nullptr, {}), asio::deferred));
  std::vector<Ask> asks;
  asks.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i)
    asks.push_back(asio::co_spawn(ex, ask_node(nodes[i], std::move(batches[i])), asio::deferred));
  auto group = asio::experimental::make_parallel_group(std::move(asks));
  const asio::experimental::wait_for_all all;
  // (completion order, exceptions, results), each vector indexed like `asks`.
  auto outcome = co_await group.async_wait(all, asio::use_awaitable);
  for (const auto& error : std::get<1>(outcome))
    if (error) std::rethrow_exception(error);
  co_return std::move(std::get<2>(outcome));
}

awaitable<std::vector<std::vector<Reply>>> ask_nodes(std::vector<RedisCache*> nodes,
                                                     std::vector<std::vector<std::vector<std::string>>> batches) {
  if (nodes.size() == 1) {
    std::vector<std::vector<Reply>> replies;
    replies.push_back(co_await nodes.front()->execute_batch(std::move(batches.front())));
    co_return replies;
  }
  // On a strand of its own: Boost 1.81's ranged_parallel_group reads its range once more after
  // launching the last operation, and on a context that several threads run, every operation
  // could complete, and the waiting coroutine resume and free that range, before it does (ASan,
  // heap-use-after-free, session 13's CI). On a strand, the group's completion waits until its
  // launch has returned.
  namespace asio = boost::asio;
  const auto ex = co_await asio::this_coro::executor;
  const auto strand = asio::make_strand(ex);
  auto at_once = ask_nodes_at_once(std::move(nodes), std::move(batches));
  co_return co_await asio::co_spawn(strand, std::move(at_once), asio::use_awaitable);
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

struct Redirect {
  int slot = 0;
  std::string host;
  std::string port;
};

// "MOVED 3999 127.0.0.1:6381" / "ASK 3999 127.0.0.1:6381"
Redirect parse_redirect(const std::string& text) {
  const auto first = text.find(' ');
  const auto second = text.find(' ', first + 1);
  const auto colon = text.rfind(':');
  if (first == std::string::npos || second == std::string::npos || colon == std::string::npos || colon < second)
    throw CacheError("redis: malformed redirect: " + text);
  Redirect r;
  const std::string slot = text.substr(first + 1, second - first - 1);
  std::from_chars(slot.data(), slot.data() + slot.size(), r.slot);
  r.host = text.substr(second + 1, colon - second - 1);
  r.port = text.substr(colon + 1);
  if (r.slot < 0 || r.slot >= k_cluster_slots || r.port.empty()) throw CacheError("redis: malformed redirect: " + text);
  return r;
}

}  // namespace

RedisClusterCache::RedisClusterCache(boost::asio::any_io_executor ex, RedisOptions seed)
    : executor_(std::move(ex)), seed_(std::move(seed)) {}

RedisCache& RedisClusterCache::node(const std::string& host, const std::string& port) {
  auto& slot = nodes_[host + ":" + port];
  if (!slot) {
    RedisOptions o = seed_;
    o.host = host;
    o.port = port;
    slot = std::make_unique<RedisCache>(executor_, std::move(o));
  }
  return *slot;
}

std::string RedisClusterCache::mode() const {
  std::lock_guard lock(mu_);
  return mode_ == 2 ? "cluster" : mode_ == 1 ? "standalone" : "unknown";
}

std::optional<util::PoolStats> RedisClusterCache::connections() const {
  util::PoolStats sum;
  std::lock_guard lock(mu_);
  for (const auto& [name, cache] : nodes_) {
    const util::PoolStats s = cache->pool_stats();
    sum.size += s.size;
    sum.in_use += s.in_use;
    sum.waiting += s.waiting;
  }
  return sum;
}

awaitable<void> RedisClusterCache::refresh() {
  std::vector<RedisCache*> candidates;
  {
    std::lock_guard lock(mu_);
    candidates.push_back(&node(seed_.host, seed_.port));
    for (auto& [name, n] : nodes_)
      if (n.get() != candidates.front()) candidates.push_back(n.get());
  }
  std::string last_error = "no node";
  for (RedisCache* candidate : candidates) {
    Reply r;
    try {
      std::vector<std::string> argv{"CLUSTER", "SLOTS"};
      r = co_await candidate->execute(std::move(argv));
    } catch (const CacheError& e) {
      last_error = e.what();
      continue;
    }
    std::lock_guard lock(mu_);
    if (r.is_error()) {
      if (r.text.find("cluster support disabled") == std::string::npos) {
        last_error = r.text;
        continue;
      }
      mode_ = 1;
      slots_.fill(&node(seed_.host, seed_.port));
      stale_ = false;
      co_return;
    }
    if (r.type != Reply::Type::array || r.elements.empty()) {
      last_error = "CLUSTER SLOTS returned no slots";
      continue;
    }
    for (const auto& range : r.elements) {
      if (range.elements.size() < 3 || range.elements[2].elements.size() < 2) continue;
      const auto& master = range.elements[2];
      std::string host = master.elements[0].text.empty() ? seed_.host : master.elements[0].text;
      RedisCache* target = &node(host, std::to_string(master.elements[1].integer));
      for (auto s = range.elements[0].integer; s <= range.elements[1].integer && s < k_cluster_slots; ++s)
        slots_[static_cast<std::size_t>(s)] = target;
    }
    mode_ = 2;
    stale_ = false;
    co_return;
  }
  throw CacheError("redis: topology unknown: " + last_error);
}

awaitable<Reply> RedisClusterCache::route(std::string key, std::vector<std::string> argv) {
  const auto slot = static_cast<std::size_t>(key_slot(key));
  RedisCache* asking = nullptr;
  for (int attempt = 0; attempt <= k_max_redirects; ++attempt) {
    if (stale_) co_await refresh();
    RedisCache* target = asking;
    if (!target) {
      std::lock_guard lock(mu_);
      target = slots_[slot] ? slots_[slot] : &node(seed_.host, seed_.port);
    }
    Reply r;
    try {
      if (asking) {
        std::vector<std::string> asking_command{"ASKING"};
        std::vector<std::vector<std::string>> batch{asking_command, argv};
        auto replies = co_await target->execute_batch(std::move(batch));
        r = std::move(replies.at(1));
        asking = nullptr;
      } else {
        r = co_await target->execute(argv);
      }
    } catch (const CacheError&) {
      stale_ = true;  // the node may have failed over: ask the others next time
      throw;
    }
    if (!r.is_error()) co_return r;
    if (starts_with(r.text, "MOVED ")) {
      const Redirect to = parse_redirect(r.text);
      ++redirects_;
      std::lock_guard lock(mu_);
      slots_[static_cast<std::size_t>(to.slot)] = &node(to.host, to.port);
      stale_ = true;  // a slot moved: others probably did too
      continue;
    }
    if (starts_with(r.text, "ASK ")) {
      const Redirect to = parse_redirect(r.text);
      ++redirects_;
      std::lock_guard lock(mu_);
      asking = &node(to.host, to.port);
      continue;
    }
    if (starts_with(r.text, "CLUSTERDOWN") || starts_with(r.text, "TRYAGAIN")) stale_ = true;
    co_return r;  // other errors are the caller's to judge
  }
  throw CacheError("redis: too many cluster redirects for key slot " + std::to_string(slot));
}

awaitable<std::optional<std::string>> RedisClusterCache::get(std::string key) {
  std::vector<std::string> argv{"GET", key};
  Reply r = co_await route(std::move(key), std::move(argv));
  throw_if_error(r);
  if (r.type != Reply::Type::string) co_return std::nullopt;
  co_return std::move(r.text);
}

awaitable<std::vector<std::optional<std::string>>> RedisClusterCache::get_many(std::vector<std::string> keys) {
  std::vector<std::optional<std::string>> values(keys.size());
  if (keys.empty()) co_return values;
  if (stale_) co_await refresh();
  // The keys' positions by the node serving their slot, nodes in first-seen order.
  std::vector<std::pair<RedisCache*, std::vector<std::size_t>>> groups;
  {
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      const auto slot = static_cast<std::size_t>(key_slot(keys[i]));
      RedisCache* target = slots_[slot] ? slots_[slot] : &node(seed_.host, seed_.port);
      auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == target; });
      if (group == groups.end()) group = groups.insert(groups.end(), {target, {}});
      group->second.push_back(i);
    }
  }
  std::vector<RedisCache*> nodes;
  std::vector<std::vector<std::vector<std::string>>> batches;
  for (const auto& [target, positions] : groups) {
    nodes.push_back(target);
    auto& batch = batches.emplace_back();
    batch.reserve(positions.size());
    for (const std::size_t i : positions) batch.push_back({"GET", keys[i]});
  }
  std::vector<std::vector<Reply>> replies;
  try {
    replies = co_await ask_nodes(std::move(nodes), std::move(batches));
  } catch (const CacheError&) {
    stale_ = true;  // as in route(): the node may have failed over
    throw;
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& positions = groups[g].second;
    for (std::size_t j = 0; j < positions.size(); ++j) {
      Reply& r = replies.at(g).at(j);
      const std::size_t i = positions[j];
      if (r.is_error()) {
        values[i] = co_await get(keys[i]);  // MOVED, ASK, CLUSTERDOWN...: route() handles them
      } else if (r.type == Reply::Type::string) {
        values[i] = std::move(r.text);
      }
    }
  }
  co_return values;
}

awaitable<void> RedisClusterCache::set(std::string key, std::string value, Ttl ttl) {
  std::vector<std::string> argv{"SET", key, std::move(value), "PX", px_millis(ttl)};
  Reply r = co_await route(std::move(key), std::move(argv));
  throw_if_error(r);
}

awaitable<bool> RedisClusterCache::compare_and_set(std::string key, std::string expected, std::string value, Ttl ttl) {
  std::vector<std::string> argv{
      "EVAL", k_compare_and_set_script, "1", key, std::move(expected), std::move(value), px_millis(ttl)};
  Reply r = co_await route(std::move(key), std::move(argv));
  throw_if_error(r);
  co_return r.type == Reply::Type::status;
}

awaitable<void> RedisClusterCache::del(std::string key) {
  std::vector<std::string> argv{"DEL", key};
  Reply r = co_await route(std::move(key), std::move(argv));
  throw_if_error(r);
}

}  // namespace oms::cache
