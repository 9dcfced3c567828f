#include "storage/postgres/pg_database.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include "storage/deadline.hpp"

namespace oms::storage::postgres {
namespace {

// Returns a connection to its pool: broken ones are dropped (the slot reconnects later), and
// one left inside a transaction is rolled back first.
awaitable<void> rollback_and_release(std::shared_ptr<PgTarget> target, std::unique_ptr<PgConnection> conn) {
  try {
    const Params none;
    co_await conn->execute("ROLLBACK", none, false, target->settings.query_timeout);
  } catch (const std::exception&) {
    // handled below: an unhealthy connection is discarded
  }
  if (!conn->healthy() || conn->in_transaction()) conn.reset();
  target->pool->release(std::move(conn));
}

void give_back(const std::shared_ptr<PgTarget>& target, std::unique_ptr<PgConnection> conn) {
  if (!conn || !conn->healthy()) {
    target->pool->release(nullptr);
  } else if (conn->in_transaction()) {
    boost::asio::co_spawn(target->io, rollback_and_release(target, std::move(conn)), boost::asio::detached);
  } else {
    target->pool->release(std::move(conn));
  }
}

class PgSession final : public Session {
 public:
  // `in_transaction`: false for Access::read_one, whose statements run in autocommit.
  PgSession(std::shared_ptr<PgTarget> target, std::unique_ptr<PgConnection> conn, bool in_transaction)
      : target_(std::move(target)), conn_(std::move(conn)), in_transaction_(in_transaction) {}
  // Destructors cannot co_await: an unfinished transaction is rolled back in the background
  // before its connection goes back to the pool.
  // Only an allocation failure can throw here, and std::terminate is then the right end.
  ~PgSession() override {  // NOLINT(bugprone-exception-escape)
    if (conn_) give_back(target_, std::move(conn_));
  }

  awaitable<Result> query(std::string_view sql, Params params) override {
    if (!conn_) throw DatabaseError("the transaction is already finished");
    co_return co_await conn_->execute(sql, params, target_->settings.prepared_statements,
                                      target_->settings.query_timeout);
  }
  awaitable<Result> query_planned_for_values(std::string_view sql, Params params) override {
    if (!conn_) throw DatabaseError("the transaction is already finished");
    co_return co_await conn_->execute(sql, params, false, target_->settings.query_timeout);
  }
  awaitable<void> commit() override { co_await finish("COMMIT"); }
  awaitable<void> rollback() override { co_await finish("ROLLBACK"); }
  Dialect dialect() const noexcept override { return Dialect::postgres; }

 private:
  awaitable<void> finish(std::string_view statement) {
    if (!conn_) throw DatabaseError("the transaction is already finished");
    if (!in_transaction_) {  // autocommit: every statement is already committed
      give_back(target_, std::move(conn_));
      co_return;
    }
    std::exception_ptr error;
    try {
      const Params none;
      co_await conn_->execute(statement, none, false, target_->settings.query_timeout);
    } catch (...) {
      error = std::current_exception();
    }
    give_back(target_, std::move(conn_));
    if (error) std::rethrow_exception(error);
  }

  std::shared_ptr<PgTarget> target_;
  std::unique_ptr<PgConnection> conn_;
  bool in_transaction_ = true;
};

std::shared_ptr<PgTarget> make_target(boost::asio::any_io_executor io,
                                      std::shared_ptr<boost::asio::thread_pool> cancel_threads, PgSettings settings,
                                      std::size_t pool_size) {
  auto target = std::make_shared<PgTarget>();
  target->io = io;
  target->cancel_threads = std::move(cancel_threads);
  target->settings = std::move(settings);
  target->pool = std::make_shared<PgPool>(io, pool_size, target->settings.pool_wait);
  return target;
}

// The I/O context executor `caller` runs on (directly or through a strand), else `fallback`.
boost::asio::any_io_executor own_io(const boost::asio::any_io_executor& caller, boost::asio::any_io_executor fallback) {
  using IoExecutor = boost::asio::io_context::executor_type;
  if (const auto* e = caller.target<IoExecutor>()) return *e;
  if (const auto* s = caller.target<boost::asio::strand<IoExecutor>>()) return s->get_inner_executor();
  return fallback;
}

}  // namespace

PgDatabase::PgDatabase(boost::asio::any_io_executor io, PgSettings settings, std::size_t pool_size)
    : target_(make_target(io, std::make_shared<boost::asio::thread_pool>(1), std::move(settings), pool_size)) {}

PgDatabase::~PgDatabase() { close(); }

awaitable<std::unique_ptr<Session>> PgDatabase::begin(Access access) {
  std::shared_ptr<PgTarget> target = target_;
  // The connection is taken from, or opened on, the I/O context the request runs on.
  const boost::asio::any_io_executor io = own_io(co_await boost::asio::this_coro::executor, target->io);
  std::unique_ptr<PgConnection> conn =
      co_await target->pool->acquire(&boost::asio::query(io, boost::asio::execution::context));
  try {
    if (!conn || !conn->healthy()) {
      conn = std::make_unique<PgConnection>(io, target->cancel_threads);
      co_await conn->connect(target->settings);
    }
    if (access != Access::read_one) {
      const Params none;
      // A read-only session is one snapshot (as on SQLite): under READ COMMITTED each statement
      // would see newer commits, so a reader walking the audit chain in batches could find a head
      // that moved past the rows it had read.
      const char* statement =
          access == Access::read_write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
      co_await conn->execute(statement, none, false, target->settings.query_timeout);
    }
  } catch (...) {
    give_back(target, std::move(conn));
    throw;
  }
  co_return std::make_unique<PgSession>(target, std::move(conn), access != Access::read_one);
}

awaitable<std::string> PgDatabase::check() { co_return co_await check_with_deadline(*this); }

PoolStats PgDatabase::pool_stats() const { return target_->pool->stats(); }

void PgDatabase::close() { target_->pool->close(); }

}  // namespace oms::storage::postgres
