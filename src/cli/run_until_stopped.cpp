#include "cli/run_until_stopped.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <exception>
#include <iostream>
#include <thread>
#include <vector>

#include "logging/logging.hpp"

namespace oms::cli {

int run_until_stopped(boost::asio::io_context& io, unsigned io_threads, boost::asio::awaitable<void> lifetime,
                      storage::Database& db, const std::string& command,
                      const std::vector<boost::asio::io_context*>& more_io) {
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(lifetime), [&](std::exception_ptr e) {
    if (e) {
      failure = e;
      io.stop();
    }
  });

  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<Guard> keep_running;  // the other contexts wait for connections while they have none
  std::vector<std::thread> others;
  for (auto* other : more_io) {
    keep_running.push_back(boost::asio::make_work_guard(*other));
    others.emplace_back([other] { other->run(); });
  }
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < io_threads; ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  keep_running.clear();
  for (auto* other : more_io) other->stop();
  for (auto& t : others) t.join();

  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      logging::log_error(command + " failed: " + e.what());
      std::cerr << command << ": " << e.what() << "\n";
    }
    db.close();
    logging::shutdown_logging();
    return 1;
  }
  logging::shutdown_logging();
  return 0;
}

}  // namespace oms::cli
