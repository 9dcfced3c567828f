#pragma once
// An asynchronous pool of connection slots, shared by the SQLite and PostgreSQL adapters.
// The free slots live in a concurrent_channel, so waiting for one suspends the coroutine and
// never blocks a thread. A slot's connection may be null: the adapter connects it lazily (and
// reconnects a slot whose connection broke and was discarded).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "storage/database.hpp"

namespace oms::storage {

template <class Conn>
class ConnectionPool {
 public:
  // `wait` bounds acquire(): past it, PoolTimeout (0: wait as long as it takes).
  ConnectionPool(boost::asio::any_io_executor ex, std::size_t size,
                 std::chrono::milliseconds wait = std::chrono::milliseconds(0))
      : size_(size), wait_(wait), free_(ex, size) {
    for (std::size_t i = 0; i < size; ++i) free_.try_send(boost::system::error_code{}, nullptr);
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool() { close(); }

  // Puts an already open connection into a free slot (used when opening eagerly).
  void prefill(std::unique_ptr<Conn> conn) {
    Conn* empty = nullptr;
    bool got = free_.try_receive([&](boost::system::error_code, Conn* c) { empty = c; });
    delete empty;
    if (got) release_slot(std::move(conn), false);
  }

  // Waits for a free slot, at most the pool wait deadline (then PoolTimeout); the returned
  // connection is null when the slot must be (re)connected.
  boost::asio::awaitable<std::unique_ptr<Conn>> acquire() {
    ++waiting_;
    Conn* conn = nullptr;
    std::string failure;
    bool timed_out = false;
    try {
      if (wait_.count() <= 0) {
        conn = co_await free_.async_receive(boost::asio::use_awaitable);
      } else if (!free_.try_receive([&](boost::system::error_code, Conn* c) { conn = c; })) {
        // Race the receive against a timer. Both results come back, so a slot delivered while
        // the timer fired is still taken (and never lost).
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, wait_);
        auto receive = free_.async_receive(boost::asio::deferred);
        auto expiry = timer.async_wait(boost::asio::deferred);
        auto group = boost::asio::experimental::make_parallel_group(std::move(receive), std::move(expiry));
        auto [order, receive_ec, received, timer_ec] =
            co_await group.async_wait(boost::asio::experimental::wait_for_one(), boost::asio::use_awaitable);
        (void)order;
        (void)timer_ec;
        if (!receive_ec) {
          conn = received;
        } else if (receive_ec == boost::asio::error::operation_aborted && !closed_flag_) {
          timed_out = true;
        } else {
          failure = receive_ec.message();
        }
      }
    } catch (const boost::system::system_error& e) {
      failure = e.code().message();
    }
    --waiting_;
    if (timed_out)
      throw PoolTimeout("no database connection became free within " + std::to_string(wait_.count()) + " ms");
    if (!failure.empty()) throw DatabaseError("database pool closed or wait cancelled: " + failure);
    ++in_use_;
    co_return std::unique_ptr<Conn>(conn);
  }

  // Returns a slot; pass null to discard a broken connection (the slot is reconnected later).
  void release(std::unique_ptr<Conn> conn) { release_slot(std::move(conn), true); }

  PoolStats stats() const { return PoolStats{size_, in_use_.load(), waiting_.load()}; }

  // Fails current and future waiters and frees idle connections. Connections in use are freed
  // when they come back.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    closed_flag_ = true;
    // A closed channel drops its buffer, so take the idle connections out first.
    while (free_.try_receive([](boost::system::error_code, Conn* c) { delete c; })) {
    }
    free_.close();
  }

 private:
  void release_slot(std::unique_ptr<Conn> conn, bool was_in_use) {
    if (was_in_use) --in_use_;
    // Recursive: try_send may resume a waiting coroutine inline, which may release in turn.
    std::lock_guard lock(mutex_);
    Conn* raw = conn.release();
    if (closed_ || !free_.try_send(boost::system::error_code{}, raw)) delete raw;
  }

  const std::size_t size_;
  const std::chrono::milliseconds wait_;
  boost::asio::experimental::concurrent_channel<void(boost::system::error_code, Conn*)> free_;
  std::recursive_mutex mutex_;  // orders release against close
  bool closed_ = false;
  std::atomic<bool> closed_flag_{false};  // closed_, readable without the mutex
  std::atomic<std::size_t> in_use_{0};
  std::atomic<std::size_t> waiting_{0};
};

}  // namespace oms::storage
