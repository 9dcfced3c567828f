#include "storage/deadline.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace oms::storage {
namespace {

constexpr std::chrono::seconds k_check_deadline{2};

awaitable<std::string> select_one(Database& db) {
  try {
    auto session = co_await db.begin(Access::read_write);
    co_await session->query("SELECT 1");
    co_await session->commit();
    co_return std::string{};
  } catch (const std::exception& e) {
    co_return std::string(e.what());
  }
}

}  // namespace

awaitable<std::string> check_with_deadline(Database& db) {
  using namespace boost::asio::experimental::awaitable_operators;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, k_check_deadline);
  auto probe = select_one(db);
  auto expiry = timer.async_wait(boost::asio::use_awaitable);
  auto race = std::move(probe) || std::move(expiry);
  auto outcome = co_await std::move(race);
  if (outcome.index() == 0) co_return std::get<0>(outcome);
  co_return "database check timed out after 2 s";
}

}  // namespace oms::storage
