#include "storage/sqlite/group_commit.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "storage/sqlite/run_blocking.hpp"
#include "storage/sqlite/search_index.hpp"

namespace oms::storage::sqlite {

struct GroupCommit::Member {
  boost::asio::any_io_executor executor;
  boost::asio::any_completion_handler<void(std::exception_ptr)> handler;
};

namespace {

constexpr const char* k_savepoint = "SAVEPOINT oms_session";
constexpr const char* k_release = "RELEASE oms_session";
constexpr const char* k_undo = "ROLLBACK TO oms_session";

}  // namespace

class WriteSession final : public Session {
 public:
  WriteSession(std::shared_ptr<GroupCommit> group, std::unique_ptr<SqliteConnection> conn)
      : group_(std::move(group)), conn_(std::move(conn)) {}

  // Not committed: undo the savepoint and pass the writer on. Only an allocation failure can
  // throw here, and std::terminate is then the right end.
  ~WriteSession() override {  // NOLINT(bugprone-exception-escape)
    if (conn_) undo_and_hand_over();
  }

  awaitable<Result> query(std::string_view sql, Params params) override { co_return live()->execute(sql, params); }

  awaitable<void> commit() override {
    SqliteConnection* conn = live();
    try {
      conn->exec(k_release);
    } catch (...) {
      undo_and_hand_over();
      throw;
    }
    std::shared_ptr<GroupCommit> group = group_;
    std::unique_ptr<SqliteConnection> held = std::move(conn_);
    auto join = [group, held = std::move(held)](auto handler) mutable {
      // Constructed, not assigned: Asio 1.81's converting assignment of any_completion_handler recurses.
      boost::asio::any_io_executor executor = boost::asio::get_associated_executor(handler);
      boost::asio::any_completion_handler<void(std::exception_ptr)> erased(std::move(handler));
      auto member = std::make_unique<GroupCommit::Member>(GroupCommit::Member{executor, std::move(erased)});
      group->join(std::move(member));
      group->hand_over(std::move(held));
    };
    // Resumes once the batch is on disk; rethrows the batch's failure.
    co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>&, void(std::exception_ptr)>(
        std::move(join), boost::asio::use_awaitable);
  }

  awaitable<void> rollback() override {
    live();
    undo_and_hand_over();
    co_return;
  }

  Dialect dialect() const noexcept override { return Dialect::sqlite; }

 private:
  SqliteConnection* live() const {
    if (!conn_) throw DatabaseError("the transaction is already finished");
    return conn_.get();
  }

  void undo_and_hand_over() {
    try {
      if (conn_->in_transaction()) {
        conn_->exec(k_undo);
        conn_->exec(k_release);
      }
    } catch (...) {
      // The outer transaction is gone or unusable: hand_over fails the batch.
    }
    group_->hand_over(std::move(conn_));
  }

  std::shared_ptr<GroupCommit> group_;
  std::unique_ptr<SqliteConnection> conn_;
};

GroupCommit::GroupCommit(boost::asio::thread_pool::executor_type threads, std::shared_ptr<Pool> writer)
    : threads_(std::move(threads)), writer_(std::move(writer)) {}

GroupCommit::~GroupCommit() = default;

awaitable<std::unique_ptr<Session>> GroupCommit::begin() {
  std::unique_ptr<SqliteConnection> conn = co_await writer_->acquire();
  if (!conn) {  // SQLite connections are opened up front and never discarded
    writer_->release(nullptr);
    throw DatabaseError("SQLite connection unavailable");
  }
  try {
    if (!conn->in_transaction()) {
      // A new batch. BEGIN IMMEDIATE may wait for another process's write lock (busy timeout).
      SqliteConnection* raw = conn.get();
      auto work = [raw]() {
        raw->exec("BEGIN IMMEDIATE");
        return NothingReturned{};
      };
      co_await run_blocking(threads_, std::move(work));
      opened_ = std::chrono::steady_clock::now();
      ++batches_opened_;
    }
    conn->exec(k_savepoint);
  } catch (...) {
    hand_over(std::move(conn));
    throw;
  }
  co_return std::make_unique<WriteSession>(shared_from_this(), std::move(conn));
}

void GroupCommit::join(std::unique_ptr<Member> member) { members_.push_back(std::move(member)); }

void GroupCommit::hand_over(std::unique_ptr<SqliteConnection> conn, bool pass_on) {
  if (!conn->in_transaction()) {
    // An error ended the outer transaction (SQLite rolls back on I/O errors, a full disk, …):
    // the members' work is gone with it.
    if (!members_.empty()) {
      complete(std::move(conn), std::make_exception_ptr(DatabaseError("SQLite: the group commit's transaction was "
                                                                      "rolled back by an error")));
    } else {
      batches_ended_ = batches_opened_.load();
      writer_->release(std::move(conn));
    }
    return;
  }
  if (members_.empty()) {  // nothing committed in this batch: end it
    try {
      conn->exec("ROLLBACK");
    } catch (...) {
      // begin() of the next batch opens a fresh transaction either way
    }
    batches_ended_ = batches_opened_.load();
    writer_->release(std::move(conn));
    return;
  }
  const bool others_waiting = writer_->stats().waiting > 0;
  const bool young = std::chrono::steady_clock::now() - opened_ < k_max_age;
  if (pass_on && others_waiting && young && members_.size() < k_max_members) {
    watch_open_batch();
    writer_->release(std::move(conn));  // the next session joins this batch
    return;
  }
  // Commit on the thread pool: the fsync must not hold an I/O thread.
  auto self = shared_from_this();
  auto work = [self, conn = conn.release()]() mutable {
    std::unique_ptr<SqliteConnection> owned(conn);
    std::exception_ptr error;
    try {
      index_pending_search(*owned);
      owned->exec("COMMIT");
    } catch (...) {
      error = std::current_exception();
      try {
        if (owned->in_transaction()) owned->exec("ROLLBACK");
      } catch (...) {
        // begin() opens a fresh transaction once this one is gone
      }
    }
    self->complete(std::move(owned), error);
  };
  boost::asio::post(threads_, std::move(work));
}

void GroupCommit::complete(std::unique_ptr<SqliteConnection> conn, std::exception_ptr error) {
  std::vector<std::unique_ptr<Member>> members = std::move(members_);
  members_.clear();
  batches_ended_ = batches_opened_.load();
  writer_->release(std::move(conn));  // the next batch may start while these members resume
  for (auto& m : members) {
    auto resume = [handler = std::move(m->handler), error]() mutable { std::move(handler)(error); };
    boost::asio::post(m->executor, std::move(resume));
  }
}

void GroupCommit::watch_open_batch() {
  if (watching_.exchange(true)) return;
  boost::asio::co_spawn(threads_, watch(shared_from_this()), boost::asio::detached);
}

awaitable<void> GroupCommit::watch([[maybe_unused]] std::shared_ptr<GroupCommit> self) {  // self: keeps this alive
  boost::asio::steady_timer timer(threads_);
  for (;;) {
    const std::uint64_t open_now = batches_opened_.load();
    timer.expires_after(2 * k_max_age);
    co_await timer.async_wait(boost::asio::use_awaitable);
    if (batches_ended_.load() >= open_now) {  // that batch ended (as it nearly always does)
      if (batch_open()) continue;             // a newer one is open: watch it
      watching_ = false;
      // A batch passed on after the check above found the watch still on: take it up again.
      if (!batch_open() || watching_.exchange(true)) co_return;
      continue;
    }
    // Still open: take the writer (after its holder, if any) and finish the batch.
    std::unique_ptr<SqliteConnection> conn;
    try {
      conn = co_await writer_->acquire();
    } catch (const PoolTimeout&) {
      continue;  // held longer than the pool's wait: look again
    } catch (const std::exception&) {
      watching_ = false;  // the pool is closed: the database is going away
      co_return;
    }
    if (!conn) {
      writer_->release(nullptr);
      watching_ = false;
      co_return;
    }
    watching_ = false;
    hand_over(std::move(conn), false);
    co_return;
  }
}

}  // namespace oms::storage::sqlite
