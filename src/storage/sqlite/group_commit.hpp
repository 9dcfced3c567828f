#pragma once
// Group commit for the single SQLite writer of a file database (synchronous=FULL, WAL).
//
// Every read-write session is a SAVEPOINT inside one outer BEGIN IMMEDIATE transaction (the
// batch). Committing a session releases its savepoint and waits; the writer connection passes to
// the next waiting writer, and the batch is committed — one COMMIT, one fsync of the WAL — when
// no writer is waiting, the batch is full or old. Every member answers only after that COMMIT is
// on disk, and readers (other connections) see a member's work only then; if the COMMIT fails,
// every member fails. A session that rolls back undoes only its savepoint. Just before the COMMIT
// the batch's rows are indexed for search, once for all members (search_index.hpp).
//
// The statements of a write session run inline on the calling I/O thread (each takes
// microseconds, the writer holds the lock, nothing waits for another process); BEGIN IMMEDIATE,
// which may wait for another process's lock, and COMMIT, which waits for the disk, run on the
// SQLite thread pool. Without this, every statement was two thread hand-offs while the one
// writer was held, which bounded creates to ~600/s on two cores.
#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>

#include "storage/connection_pool.hpp"
#include "storage/database.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace oms::storage::sqlite {

class GroupCommit : public std::enable_shared_from_this<GroupCommit> {
 public:
  using Pool = ConnectionPool<SqliteConnection>;
  static constexpr std::size_t k_max_members = 128;
  static constexpr auto k_max_age = std::chrono::milliseconds(20);

  GroupCommit(boost::asio::thread_pool::executor_type threads, std::shared_ptr<Pool> writer);
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Waits for the writer, joins (or opens) the batch and returns a session on its savepoint.
  awaitable<std::unique_ptr<Session>> begin();

 private:
  friend class WriteSession;
  struct Member;
  // With the writer held and its session's savepoint gone: passes the writer on to the next
  // waiting session, or commits the batch (on the thread pool) and completes its members.
  // `pass_on` false: commit the batch now even if sessions wait (the watch's call).
  void hand_over(std::unique_ptr<SqliteConnection> conn, bool pass_on = true);
  void complete(std::unique_ptr<SqliteConnection> conn, std::exception_ptr error);
  // The batch just passed on must not be left open: a waiter counted by the pool may have given
  // up (its deadline passed) as the writer was released to it, and the writer then lies idle in
  // the pool with the batch open and its members waiting for a next writer that may never come.
  // One watch at a time finishes a batch still open after 2 × k_max_age.
  void watch_open_batch();
  awaitable<void> watch(std::shared_ptr<GroupCommit> self);  // holds `self` while it runs
  bool batch_open() const { return batches_ended_.load() < batches_opened_.load(); }
  // Registers a committed member; its handler runs once the batch is durable (or failed).
  void join(std::unique_ptr<Member> member);

  boost::asio::thread_pool::executor_type threads_;
  std::shared_ptr<Pool> writer_;
  // Owned by whoever holds the writer connection (the pool's hand-off orders the accesses).
  std::vector<std::unique_ptr<Member>> members_;
  std::chrono::steady_clock::time_point opened_;
  // Batches begun and ended (written by the holder, read by the watch); a batch is open between.
  std::atomic<std::uint64_t> batches_opened_{0};
  std::atomic<std::uint64_t> batches_ended_{0};
  std::atomic<bool> watching_{false};
};

}  // namespace oms::storage::sqlite
