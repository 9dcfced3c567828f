#pragma once
// Runs one coroutine to completion on the calling thread (for the one-shot subcommands).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>

namespace oms::cli {

template <class T>
T run_sync(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  auto done = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  while (done.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    // Work resumed from other threads (SQLite's pool) arrives as handlers posted to `io`.
    if (io.run_one_for(std::chrono::milliseconds(100)) == 0 && io.stopped()) io.restart();
  }
  return done.get();
}

}  // namespace oms::cli
