#pragma once
// Which span the running coroutine works under, without passing it through every call: the
// span rides on the coroutine's executor. with_span() runs a coroutine (and everything it
// co_awaits, at any depth) on a SpanExecutor, a thin wrapper of the I/O executor that carries
// the span; current_span() reads it back. Thread-local storage cannot do this, because a
// coroutine may resume on any I/O thread. Work spawned elsewhere (co_spawn on another
// executor) starts without a span.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

#include "tracing/trace.hpp"

namespace oms::tracing {

class SpanExecutor {
 public:
  SpanExecutor(boost::asio::any_io_executor inner, Span span) noexcept : inner_(std::move(inner)), span_(span) {}

  const Span& span() const noexcept { return span_; }
  const boost::asio::any_io_executor& inner() const noexcept { return inner_; }

  template <class F>
  void execute(F&& f) const {
    inner_.execute(std::forward<F>(f));
  }
  boost::asio::execution_context& query(boost::asio::execution::context_t) const noexcept {
    return boost::asio::query(inner_, boost::asio::execution::context);
  }
  boost::asio::execution::blocking_t query(boost::asio::execution::blocking_t) const noexcept {
    return boost::asio::query(inner_, boost::asio::execution::blocking);
  }
  SpanExecutor require(boost::asio::execution::blocking_t::never_t p) const {
    return {boost::asio::require(inner_, p), span_};
  }
  template <class Property>
  SpanExecutor prefer(const Property& p) const {
    return {boost::asio::prefer(inner_, p), span_};
  }

  friend bool operator==(const SpanExecutor& a, const SpanExecutor& b) noexcept {
    return a.inner_ == b.inner_ && a.span_.id() == b.span_.id();
  }
  friend bool operator!=(const SpanExecutor& a, const SpanExecutor& b) noexcept { return !(a == b); }

 private:
  boost::asio::any_io_executor inner_;
  Span span_;
};

// The span of the calling coroutine; a no-op Span when it runs under none.
inline boost::asio::awaitable<Span> current_span() {
  boost::asio::any_io_executor ex = co_await boost::asio::this_coro::executor;
  if (const auto* traced = ex.target<SpanExecutor>()) co_return traced->span();
  co_return Span{};
}

// Runs `body` with `span` as its current span; a no-op span runs it as it is.
template <class T>
boost::asio::awaitable<T> with_span(Span span, boost::asio::awaitable<T> body) {
  if (!span) co_return co_await std::move(body);
  boost::asio::any_io_executor ex = co_await boost::asio::this_coro::executor;
  const auto* outer = ex.target<SpanExecutor>();
  SpanExecutor traced(outer != nullptr ? outer->inner() : ex, span);
  co_return co_await boost::asio::co_spawn(traced, std::move(body), boost::asio::use_awaitable);
}

inline boost::asio::awaitable<void> with_span(Span span, boost::asio::awaitable<void> body) {
  if (!span) {
    co_await std::move(body);
    co_return;
  }
  boost::asio::any_io_executor ex = co_await boost::asio::this_coro::executor;
  const auto* outer = ex.target<SpanExecutor>();
  SpanExecutor traced(outer != nullptr ? outer->inner() : ex, span);
  co_await boost::asio::co_spawn(traced, std::move(body), boost::asio::use_awaitable);
}

}  // namespace oms::tracing
