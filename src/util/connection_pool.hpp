#pragma once
// An asynchronous pool of connection slots, shared by the SQLite and PostgreSQL adapters
// (storage/connection_pool.hpp) and the Redis cache (cache/redis_cache.hpp). Each user names what
// it throws (`Errors`): a database's PoolTimeout answers 503, a cache's error becomes a miss.
// Idle connections are a stack: the one released last is taken first, so under a load that needs
// fewer connections than the pool has, the same few stay busy (their server processes warm) and
// the rest stay idle. Handing them out in turn, as a queue, had every statement land on a cold
// PostgreSQL backend: 70-74 µs of backend CPU per GET instead of 66-67 (docs/performance.md).
// A free slot is taken without suspending; only when none is free does a caller wait, in a
// concurrent_channel (first come first served), which suspends the coroutine and never blocks a
// thread: a release then goes to the channel, one per waiter. A slot's connection may be null: the
// adapter connects it lazily (and reconnects a slot whose connection broke and was discarded);
// open connections are taken before empty slots.
// A connection may have a home: the I/O context whose thread handles its socket (PgConnection's
// home()). A caller names its own, and is given an idle connection from that home first, then an
// empty slot (to open one there), then another home's: a connection used from its home's thread
// completes its reads where the request runs, with no hand-off between threads.
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "util/pool_stats.hpp"

namespace oms::util {

// What a pool throws, as `Errors` provides it:
//   [[noreturn]] static void closed(const std::string& what);   // closed, or the wait cancelled
//   [[noreturn]] static void timed_out(std::size_t size, std::chrono::milliseconds wait);

template <class Conn, class Errors>
class ConnectionPool {
 public:
  // `wait` bounds acquire(): past it, Errors::timed_out (0: wait as long as it takes).
  ConnectionPool(boost::asio::any_io_executor ex, std::size_t size,
                 std::chrono::milliseconds wait = std::chrono::milliseconds(0))
      : size_(size), wait_(wait), empty_slots_(size), handoff_(ex, size) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool() { close(); }

  // Puts an already open connection into an empty slot (used when opening eagerly).
  void prefill(std::unique_ptr<Conn> conn) {
    std::lock_guard lock(mutex_);
    if (closed_ || empty_slots_ == 0) return;
    --empty_slots_;
    const void* home = home_of(*conn);
    idle_.push_back({conn.release(), home});
  }

  // Waits for a free slot, at most the pool wait deadline (then Errors::timed_out); the returned
  // connection is null when the slot must be (re)connected. `home`: the caller's (see above).
  boost::asio::awaitable<std::unique_ptr<Conn>> acquire(const void* home = nullptr) {
    {
      std::lock_guard lock(mutex_);
      if (closed_) Errors::closed("pool closed");
      if (std::optional<Conn*> slot = take_free(home)) {
        ++in_use_;
        co_return std::unique_ptr<Conn>(*slot);
      }
      ++owed_;  // the next release goes to the channel, for this waiter
      ++waiting_;
    }
    Conn* conn = nullptr;
    std::string failure;
    bool timed_out = false;
    if (wait_.count() <= 0) {
      try {
        conn = co_await handoff_.async_receive(boost::asio::use_awaitable);
      } catch (const boost::system::system_error& e) {
        failure = e.code().message();
      }
    } else if (!handoff_.try_receive([&](boost::system::error_code, Conn* c) { conn = c; })) {
      // A channel receive is never cancelled here: in Asio 1.81, cancelling the last waiter of a
      // buffered channel leaves it refusing try_send, which would lose a slot. A helper waits in
      // the channel instead; if the deadline passes first, it hands the slot on when it comes.
      // The waiting coroutine's handler is stored before the deadline's timer and the helper
      // start, and whichever comes first resumes it, once, with the outcome (wake()). (It used to
      // wait on the timer for the helper to cancel; on an executor run by several threads the
      // cancel could land before that wait began, and the waiter slept to its deadline with a slot
      // in hand.) Only the timer's handler and the helper hold the Waiter, not this frame: with the
      // context destroyed before either completes, the Waiter and the handler it keeps go too.
      boost::asio::any_io_executor executor = co_await boost::asio::this_coro::executor;
      auto start = [this, executor](auto handler) {
        auto waiter = std::make_shared<Waiter>(executor);
        waiter->handler.emplace(std::move(handler));  // constructed: see wake()
        waiter->timer.expires_after(wait_);
        waiter->timer.async_wait([waiter](const boost::system::error_code&) { wake(waiter); });
        boost::asio::co_spawn(executor, receive_for(waiter), boost::asio::detached);
      };
      Outcome outcome = co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(Outcome)>(
          std::move(start), boost::asio::use_awaitable);
      conn = outcome.conn;
      failure = std::move(outcome.failure);
      timed_out = outcome.timed_out;
    }
    --waiting_;
    if (timed_out) Errors::timed_out(size_, wait_);
    if (!failure.empty()) Errors::closed("pool closed or wait cancelled: " + failure);
    ++in_use_;
    co_return std::unique_ptr<Conn>(conn);
  }

  // Returns a slot; pass null to discard a broken connection (the slot is reconnected later).
  void release(std::unique_ptr<Conn> conn) { release_slot(std::move(conn), true); }

  PoolStats stats() const { return PoolStats{size_, in_use_.load(), waiting_.load()}; }

  // Frees the idle connections; their slots become empty, to be connected again on demand (a
  // client whose server restarted: the idle connections are dead, and each would fail once).
  void discard_idle() {
    std::vector<Conn*> stale;
    {
      std::lock_guard lock(mutex_);
      for (const Idle& i : idle_) stale.push_back(i.conn);
      empty_slots_ += idle_.size();
      idle_.clear();
    }
    for (Conn* c : stale) delete c;
  }

  // Fails current and future waiters and frees idle connections. Connections in use are freed
  // when they come back.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (const Idle& i : idle_) delete i.conn;
    idle_.clear();
    // A closed channel drops its buffer, so take what is in it out first.
    while (handoff_.try_receive([](boost::system::error_code, Conn* c) { delete c; })) {
    }
    handoff_.close();
  }

 private:
  // What a waiting acquire() resumes with: a slot (conn and failure from the channel) or, the
  // deadline having come first, timed_out.
  struct Outcome {
    Conn* conn = nullptr;
    std::string failure;
    bool timed_out = false;
  };

  struct Waiter {
    explicit Waiter(boost::asio::any_io_executor ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    std::mutex mutex;
    std::optional<boost::asio::any_completion_handler<void(Outcome)>> handler;  // the waiting acquire
    Conn* conn = nullptr;
    std::string failure;
    bool done = false;       // the helper received (a slot, or the channel's failure)
    bool abandoned = false;  // the deadline came first: the helper hands its slot back
  };

  // Resumes the waiting acquire, once: with the slot if the helper has one, else as timed out (and
  // the helper will hand its slot back when one comes).
  static void wake(const std::shared_ptr<Waiter>& waiter) {
    std::optional<boost::asio::any_completion_handler<void(Outcome)>> handler;
    Outcome outcome;
    {
      std::lock_guard lock(waiter->mutex);
      if (!waiter->handler) return;
      // Constructed, not assigned: Asio 1.81's converting assignment of any_completion_handler recurses.
      handler.emplace(std::move(*waiter->handler));
      waiter->handler.reset();
      if (waiter->done) {
        outcome.conn = waiter->conn;
        outcome.failure = waiter->failure;
      } else {
        waiter->abandoned = true;
        outcome.timed_out = true;
      }
    }
    auto resume = [handler = std::move(*handler), outcome = std::move(outcome)]() mutable {
      std::move(handler)(std::move(outcome));
    };
    boost::asio::post(waiter->timer.get_executor(), std::move(resume));  // the waiting coroutine's
  }

  // Receives a slot for `waiter` and wakes it; a slot that arrives after the waiter gave up goes
  // back to the pool.
  boost::asio::awaitable<void> receive_for(std::shared_ptr<Waiter> waiter) {
    Conn* conn = nullptr;
    std::string failure;
    try {
      conn = co_await handoff_.async_receive(boost::asio::use_awaitable);
    } catch (const boost::system::system_error& e) {
      failure = e.code().message();
    }
    bool give_back = false;
    {
      std::lock_guard lock(waiter->mutex);
      if (waiter->abandoned) {
        give_back = failure.empty();
      } else {
        waiter->conn = conn;
        waiter->failure = failure;
        waiter->done = true;
      }
    }
    if (give_back) {
      release_slot(std::unique_ptr<Conn>(conn), false);
    } else {
      wake(waiter);
      waiter->timer.cancel();  // its handler finds the waiter woken
    }
  }

  struct Idle {
    Conn* conn;
    const void* home;
  };

  static const void* home_of(const Conn& c) {
    if constexpr (requires { c.home(); }) {
      return c.home();
    } else {
      return nullptr;
    }
  }

  // The most recently released open connection of `home`, else an empty slot (null), else the
  // most recently released of another home; nothing when all are in use. Called with the mutex
  // held.
  std::optional<Conn*> take_free(const void* home) {
    for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
      if (it->home != home) continue;
      Conn* c = it->conn;
      idle_.erase(std::next(it).base());
      return c;
    }
    if (empty_slots_ > 0) {
      --empty_slots_;
      return nullptr;
    }
    if (!idle_.empty()) {
      Conn* c = idle_.back().conn;
      idle_.pop_back();
      return c;
    }
    return std::nullopt;
  }

  void release_slot(std::unique_ptr<Conn> conn, bool was_in_use) {
    if (was_in_use) --in_use_;
    // Recursive: try_send may resume a waiting coroutine inline, which may release in turn.
    std::lock_guard lock(mutex_);
    if (closed_) return;  // `conn` is freed on the way out
    if (owed_ > 0) {
      // Every waiter takes exactly one item from the channel (one that gave up passes it on).
      --owed_;
      Conn* raw = conn.release();
      if (!handoff_.try_send(boost::system::error_code{}, raw)) delete raw;
    } else if (conn) {
      const void* home = home_of(*conn);
      idle_.push_back({conn.release(), home});
    } else {
      ++empty_slots_;
    }
  }

  const std::size_t size_;
  const std::chrono::milliseconds wait_;
  std::recursive_mutex mutex_;  // guards the fields below and orders release against close
  std::vector<Idle> idle_;      // open connections, last released on top
  std::size_t empty_slots_;     // slots with no connection (not opened yet, or discarded)
  std::size_t owed_ = 0;        // waiters the channel still owes a slot
  // Slots handed to waiters; buffered (a release may come before its waiter receives).
  boost::asio::experimental::concurrent_channel<void(boost::system::error_code, Conn*)> handoff_;
  bool closed_ = false;
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace oms::util
