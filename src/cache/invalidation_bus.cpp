#include "cache/invalidation_bus.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <limits>
#include <map>
#include <mutex>
#include <random>

#include "cache/redis_cache.hpp"
#include "cache/redis_connection.hpp"

namespace oms::cache {
namespace asio = boost::asio;
using Steady = std::chrono::steady_clock;

namespace {

std::int64_t ticks(Steady::time_point t) { return t.time_since_epoch().count(); }

std::string new_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string id(16, '0');
  std::uint64_t r = rng();
  for (auto& c : id) {
    c = digits[r & 15];
    r >>= 4;
  }
  return id;
}

awaitable<void> sleep_for(Steady::duration d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// A publisher waiting for the receivers' answers (under State::mu).
struct Waiter {
  explicit Waiter(std::int64_t n) : needed(n) {}
  std::int64_t needed;
  std::int64_t answered = 0;
};

}  // namespace

struct InvalidationBus::State : std::enable_shared_from_this<InvalidationBus::State> {
  State(asio::any_io_executor executor, RedisOptions r, Drop d, std::function<void()> c, Options o)
      : ex(std::move(executor)),
        redis(std::move(r)),
        options(std::move(o)),
        tls(make_tls_context(redis)),
        commands(ex, redis),
        drop(std::move(d)),
        clear(std::move(c)) {}

  asio::any_io_executor ex;
  RedisOptions redis;
  Options options;
  std::unique_ptr<asio::ssl::context> tls;
  RedisCache commands;  // PUBLISH, on a pool of its own (up to max_connections, opened on demand)
  std::mutex mu;
  Drop drop;                    // reset when the bus is destroyed
  std::function<void()> clear;  // likewise
  std::map<std::string, std::shared_ptr<Waiter>> waiting;
  std::deque<Steady::time_point> pings;  // sent on the subscription, pong not yet received
  std::shared_ptr<RedisConnection> connection;
  std::atomic<std::int64_t> trusted_until{0};
  std::atomic<std::int64_t> down_since{0};  // 0 while subscribed
  std::atomic<std::uint64_t> epoch{0};
  std::atomic<bool> stopping{false};

  void mark_down() {
    trusted_until = 0;
    std::int64_t expected = 0;
    down_since.compare_exchange_strong(expected, ticks(Steady::now()));
  }

  void on_message(const std::string& payload) {
    // "i <id> <key>": drop the key, then answer; "a <id>": an answer to one of our publications.
    if (payload.size() > 2 && payload[0] == 'i' && payload[1] == ' ') {
      const auto space = payload.find(' ', 2);
      if (space == std::string::npos) return;
      const std::string id = payload.substr(2, space - 2);
      const std::string key = payload.substr(space + 1);
      // The epoch first: a read that stores its value after checking the epoch checks it again
      // after storing (TieredCache::keep_locally), so it sees this bump or its value is dropped here.
      ++epoch;
      {
        std::lock_guard lock(mu);
        if (drop) drop(key);
      }
      auto self = shared_from_this();
      auto answer = [](std::shared_ptr<State> self, std::string id) -> awaitable<void> {
        try {
          std::vector<std::string> argv{"PUBLISH", self->options.channel, "a " + id};
          co_await self->commands.execute(std::move(argv));
        } catch (const std::exception&) {
          // The publisher stops waiting after the fence; this process no longer trusts its tier.
        }
      };
      asio::co_spawn(ex, answer(std::move(self), id), asio::detached);
    } else if (payload.size() > 2 && payload[0] == 'a' && payload[1] == ' ') {
      std::lock_guard lock(mu);
      auto it = waiting.find(payload.substr(2));
      if (it == waiting.end()) return;
      ++it->second->answered;
    }
  }

  void on_pong(Steady::time_point now) {
    std::lock_guard lock(mu);
    if (pings.empty()) return;
    const auto sent = pings.front();
    pings.pop_front();
    // Every invalidation published before `sent` has been applied.
    const auto until = ticks(sent + options.fence);
    if (until > trusted_until) trusted_until = until;
    (void)now;
  }

  awaitable<void> pinger(std::shared_ptr<RedisConnection> c) {
    auto self = shared_from_this();
    while (!stopping && !c->broken()) {
      const auto now = Steady::now();
      {
        std::lock_guard lock(mu);
        if (!pings.empty() && now - pings.front() > options.fence) {
          c->close();  // no pong within the fence: reopen the subscription
          break;
        }
        pings.push_back(now);
      }
      try {
        std::vector<std::string> ping{"PING"};
        co_await c->send(std::move(ping));
      } catch (const std::exception&) {
        break;
      }
      co_await sleep_for(options.ping);
    }
  }

  awaitable<void> subscribe_once() {
    auto c = std::make_shared<RedisConnection>(ex, redis, tls.get());
    co_await c->connect();
    // On a cluster node the tier stays off (see the header).
    std::vector<std::string> info_argv{"INFO", "cluster"};
    const Reply info = co_await c->command(std::move(info_argv));
    if (info.text.find("cluster_enabled:1") != std::string::npos) throw CacheError("cluster");
    std::vector<std::string> subscribe_argv{"SUBSCRIBE", options.channel};
    const Reply subscribed = co_await c->command(std::move(subscribe_argv));
    if (subscribed.is_error()) throw CacheError("redis: SUBSCRIBE refused: " + subscribed.text);
    {
      // Subscribed: whatever was published while we were not is lost, so the tier starts empty
      // (and a read that began before this stores nothing: the epoch moves).
      std::lock_guard lock(mu);
      pings.clear();
      connection = c;
      ++epoch;  // before the clear, as for a key (on_message)
      if (clear) clear();
    }
    down_since = 0;
    auto self = shared_from_this();
    asio::co_spawn(ex, self->pinger(c), asio::detached);
    while (!stopping) {
      const Reply r = co_await c->receive();
      if (r.type != Reply::Type::array || r.elements.empty()) continue;
      const std::string& kind = r.elements[0].text;
      if (kind == "message" && r.elements.size() == 3) {
        on_message(r.elements[2].text);
      } else if (kind == "pong") {
        on_pong(Steady::now());
      }
    }
  }

  awaitable<void> run() {
    auto self = shared_from_this();
    while (!stopping) {
      bool cluster = false;
      try {
        co_await subscribe_once();
      } catch (const CacheError& e) {
        cluster = std::string(e.what()) == "cluster";
      } catch (const std::exception&) {
      }
      mark_down();
      {
        std::lock_guard lock(mu);
        if (connection) connection->close();
        connection.reset();
      }
      if (cluster) co_return;  // never trusted
      co_await sleep_for(std::chrono::milliseconds(200));
    }
  }

  // Returns once no process that missed an invalidation can still trust its tier.
  awaitable<void> wait_out_the_fence() {
    const auto since = down_since.load();
    const auto until =
        since != 0 ? Steady::time_point(Steady::duration(since)) + options.fence : Steady::now() + options.fence;
    const auto now = Steady::now();
    if (until > now) co_await sleep_for(until - now);
  }
};

InvalidationBus::InvalidationBus(asio::any_io_executor ex, RedisOptions redis, Drop drop, std::function<void()> clear,
                                 Options options)
    : state_(std::make_shared<State>(std::move(ex), std::move(redis), std::move(drop), std::move(clear),
                                     std::move(options))) {}

InvalidationBus::~InvalidationBus() {
  state_->stopping = true;
  try {
    std::lock_guard lock(state_->mu);
    state_->drop = nullptr;
    state_->clear = nullptr;
    if (state_->connection) state_->connection->close();
  } catch (...) {
    // Locking or posting the close failed (out of memory): the subscription still ends, at its
    // next wake-up, since `stopping` is set.
  }
}

void InvalidationBus::start() {
  auto state = state_;
  asio::co_spawn(state->ex, state->run(), asio::detached);
}

bool InvalidationBus::trusted() const { return ticks(Steady::now()) < state_->trusted_until.load(); }

std::uint64_t InvalidationBus::epoch() const { return state_->epoch.load(); }

awaitable<void> InvalidationBus::publish(std::string key) {
  auto state = state_;
  const std::string id = new_id();
  // Registered before PUBLISH: a receiver may answer before PUBLISH's own reply arrives.
  auto waiter = std::make_shared<Waiter>(std::numeric_limits<std::int64_t>::max());
  {
    std::lock_guard lock(state->mu);
    state->waiting.emplace(id, waiter);
  }
  std::int64_t receivers = -1;
  try {
    std::vector<std::string> argv{"PUBLISH", state->options.channel, "i "};
    argv.back().append(id).append(" ").append(key);
    const Reply r = co_await state->commands.execute(std::move(argv));
    if (!r.is_error() && r.type == Reply::Type::integer) receivers = r.integer;
  } catch (const std::exception&) {
  }
  if (receivers < 0) {
    {
      std::lock_guard lock(state->mu);
      state->waiting.erase(id);
    }
    co_await state->wait_out_the_fence();
    co_return;
  }
  // Polled in small steps (a write waits about one round trip per process; bounded by the fence).
  const auto deadline = Steady::now() + state->options.fence + state->options.ping;
  for (;;) {
    {
      std::lock_guard lock(state->mu);
      waiter->needed = receivers;
      if (waiter->answered >= waiter->needed || Steady::now() >= deadline) {
        state->waiting.erase(id);
        break;
      }
    }
    co_await sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace oms::cache
