// The pool wait deadline: a waiter gets PoolTimeout (503 OVERLOADED upstream) instead of waiting
// forever, and no slot is lost when a release races the deadline.
#include "storage/connection_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>

namespace oms::storage {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

struct FakeConnection {
  int id = 0;
};

// Runs the context until `work` is done (a waiter that gave up may leave a helper queued).
template <class T>
T run(asio::io_context& io, asio::awaitable<T> work) {
  auto f = asio::co_spawn(io, std::move(work), asio::use_future);
  io.restart();
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
  return f.get();
}

TEST(ConnectionPoolTest, AWaitPastTheDeadlineThrowsPoolTimeout) {
  asio::io_context io;
  ConnectionPool<FakeConnection> pool(io.get_executor(), 1, 50ms);
  auto held = run(io, pool.acquire());
  EXPECT_THROW(run(io, pool.acquire()), PoolTimeout);
  EXPECT_EQ(pool.stats().waiting, 0u);
  pool.release(std::move(held));         // goes to the helper of the abandoned wait, which passes it on
  auto again = run(io, pool.acquire());  // the slot came back
  EXPECT_EQ(pool.stats().in_use, 1u);
  pool.release(std::move(again));
  EXPECT_EQ(pool.stats().in_use, 0u);
}

TEST(ConnectionPoolTest, ASlotReleasedWhileWaitingIsTakenAndNeverLost) {
  asio::io_context io;
  ConnectionPool<FakeConnection> pool(io.get_executor(), 2, 200ms);
  for (int round = 0; round < 50; ++round) {
    auto a = run(io, pool.acquire());
    auto b = run(io, pool.acquire());
    // A waiter, then a release a little later (sometimes close to the deadline).
    auto waiter = asio::co_spawn(io, pool.acquire(), asio::use_future);
    asio::steady_timer timer(io, std::chrono::milliseconds(round % 5));
    timer.async_wait([&](boost::system::error_code) { pool.release(std::move(a)); });
    io.restart();
    io.run();
    auto c = waiter.get();
    pool.release(std::move(b));
    pool.release(std::move(c));
    EXPECT_EQ(pool.stats().in_use, 0u);
  }
  // Both slots are still there.
  auto x = run(io, pool.acquire());
  auto y = run(io, pool.acquire());
  EXPECT_EQ(pool.stats().in_use, 2u);
  pool.release(std::move(x));
  pool.release(std::move(y));
}

TEST(ConnectionPoolTest, WithoutADeadlineAWaiterWaits) {
  asio::io_context io;
  ConnectionPool<FakeConnection> pool(io.get_executor(), 1);
  auto held = run(io, pool.acquire());
  auto waiter = asio::co_spawn(io, pool.acquire(), asio::use_future);
  asio::steady_timer timer(io, 100ms);
  timer.async_wait([&](boost::system::error_code) { pool.release(std::move(held)); });
  io.restart();
  io.run();
  EXPECT_NO_THROW(waiter.get());
}

}  // namespace
}  // namespace oms::storage
