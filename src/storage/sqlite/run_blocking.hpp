#pragma once
// Runs a blocking function on a thread pool and resumes the awaiting coroutine on its own
// executor with the result (or the exception). The coroutine itself never runs on the pool.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <type_traits>
#include <utility>

namespace oms::storage::sqlite {

// What a blocking function with nothing to return returns: `run_blocking` needs a value type.
struct NothingReturned {};

// `fn` must return a default-constructible, movable value.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> run_blocking(boost::asio::thread_pool::executor_type pool, F fn) {
  using R = std::invoke_result_t<F&>;
  auto initiation = [pool, fn = std::move(fn)](auto handler) mutable {
    auto io = boost::asio::get_associated_executor(handler);
    auto work = [fn = std::move(fn), handler = std::move(handler), guard = boost::asio::make_work_guard(io)]() mutable {
      std::exception_ptr error;
      R result{};
      try {
        result = fn();
      } catch (...) {
        error = std::current_exception();
      }
      auto resume = [handler = std::move(handler), error, result = std::move(result)]() mutable {
        std::move(handler)(error, std::move(result));
      };
      boost::asio::post(guard.get_executor(), std::move(resume));
      guard.reset();
    };
    boost::asio::post(pool, std::move(work));
  };
  return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(std::exception_ptr, R)>(
      std::move(initiation), boost::asio::use_awaitable);
}

}  // namespace oms::storage::sqlite
