#pragma once
// Cross-process invalidation for the in-process tier (tiered_cache.hpp) over Redis pub/sub, with
// the guarantee the tier needs: once publish(key) returns, no process serves the key's older value
// from its own tier.
//   - Every process subscribes to one channel and sends PING on its subscription every `ping`.
//     Redis answers a PING only after every message published before it, so the pong of a PING
//     sent at time s proves that every invalidation published before s was applied: the tier is
//     trusted until s + `fence`. No pong for `fence`: the subscription is closed and reopened.
//   - publish(key) sends "i <id> <key>"; each subscriber drops the key, then answers "a <id>".
//     The publisher waits for as many answers as PUBLISH reported receivers, but at most
//     `fence` (+ a margin): a process that has not answered by then no longer trusts its tier,
//     since its last pong is older than the publication.
//   - Redis unreachable: no process trusts its tier, and publish() waits until every other
//     process's trust has run out (down since + fence) before it returns.
// Standalone Redis only: on a cluster node (pub/sub crosses nodes without this ordering) the
// tier is never trusted and every read goes to Redis.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "cache/cache.hpp"
#include "cache/redis_options.hpp"

namespace oms::cache {

class InvalidationBus {
 public:
  using Drop = std::function<void(const std::string& key)>;
  struct Options {
    std::chrono::milliseconds ping{100};
    std::chrono::milliseconds fence{500};
    std::string channel = "oms:cache:invalidations";
  };

  // `drop` removes a key from this process's tier, `clear` empties it (on every (re)subscription:
  // invalidations sent while unsubscribed were missed); both are called from the bus's coroutine.
  InvalidationBus(boost::asio::any_io_executor ex, RedisOptions redis, Drop drop, std::function<void()> clear,
                  Options options);
  ~InvalidationBus();  // stops the subscription; `drop` is never called after it
  InvalidationBus(const InvalidationBus&) = delete;
  InvalidationBus& operator=(const InvalidationBus&) = delete;

  // Subscribes (and keeps resubscribing) in the background.
  void start();
  // True while this process's tier may answer a read.
  bool trusted() const;
  // Invalidations applied so far: a value read from Redis is kept locally only when no
  // invalidation arrived meanwhile.
  std::uint64_t epoch() const;
  // Tells every process to drop `key`; returns once none can serve its older value. Never throws.
  awaitable<void> publish(std::string key);

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace oms::cache
