#pragma once
// The end of every long-running subcommand (`serve`, `worker`): run its lifetime coroutine on the
// I/O threads until it returns, then leave the same way.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace oms::cli {

// Runs `lifetime` on `io` with `io_threads` threads (this one included), and each of `more_io`
// on a thread of its own, until the lifetime ends and `io` stops; then stops `more_io` too.
// Returns the exit code: 0 when it finished, 1 when it threw — logged and printed as
// "<command>: <what>", with `db` closed. The logs are flushed either way.
int run_until_stopped(boost::asio::io_context& io, unsigned io_threads, boost::asio::awaitable<void> lifetime,
                      storage::Database& db, const std::string& command,
                      const std::vector<boost::asio::io_context*>& more_io = {});

}  // namespace oms::cli
