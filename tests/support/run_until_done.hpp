#pragma once
// Runs a coroutine to its end on an io_context this thread drives, for tests that await one
// operation at a time.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>

namespace oms::testing {

// `work`'s result, or its exception rethrown; other work queued on `io` runs meanwhile.
template <class T>
T run_until_done(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  auto done = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.restart();
  while (done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
  return done.get();
}

}  // namespace oms::testing
