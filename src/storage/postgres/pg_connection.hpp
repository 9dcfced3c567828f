#pragma once
// One libpq connection driven without blocking: libpq runs in non-blocking mode and the
// coroutine waits on its socket through Asio. Prepared statements are cached per connection.
#include <libpq-fe.h>

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/database.hpp"

namespace oms::storage::postgres {

struct PgSettings {
  std::string url;
  std::optional<std::string> password;
  bool prepared_statements = true;
  std::chrono::milliseconds query_timeout{5000};
  std::chrono::milliseconds pool_wait{0};  // longest wait for a pooled connection (0: unbounded)
};

// State shared with timer handlers, which may run on another thread than the query.
struct PgWatch {
  std::mutex mutex;
  int fd = -1;  // our dup of libpq's socket; shutdown() on it breaks a hung connection
  std::shared_ptr<PGcancel> cancel;
  std::atomic<bool> timed_out{false};
  // Which execute() is in flight (0: none), so a late cancel does not hit the next command.
  std::atomic<std::uint64_t> running{0};
  std::uint64_t next = 0;  // touched by the connection's user only
  // True from a cancel's last look at `running` until PQcancel returns (under `mutex`).
  bool cancelling = false;
  // Bytes the server had sent that were still unread when the socket was shut (-1: not shut):
  // more than 0 means the answer came and its wake-up was missed, 0 that the server never answered.
  std::atomic<int> unread_at_shutdown{-1};
  void shutdown_socket();
  // For the cancel thread: claims the cancel if `generation` still runs (false: it ended).
  bool begin_cancel(std::uint64_t generation);
  void end_cancel();
  // For the connection's user once a command ended: no cancel starts for it from now on; true
  // when one is still on its way to the server.
  bool end_command();
  bool cancel_in_flight();
};

class PgConnection {
 public:
  // `cancel_threads` runs PQcancel, which blocks while it contacts the server.
  PgConnection(boost::asio::any_io_executor io, std::shared_ptr<boost::asio::thread_pool> cancel_threads);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Connects, then sets the session's time zone and date style.
  awaitable<void> connect(const PgSettings& settings);
  // Runs one query. With no parameters it uses the simple protocol (several statements
  // allowed); otherwise a cached prepared statement or an unnamed one per `prepared`.
  awaitable<Result> execute(std::string_view sql, const Params& params, bool prepared,
                            std::chrono::milliseconds timeout);
  // The I/O context whose thread handles this connection's socket (util/connection_pool.hpp).
  const void* home() const noexcept { return home_; }
  // False once the connection failed at the protocol level: the pool discards it.
  bool healthy() const noexcept { return !broken_ && conn_ && PQstatus(conn_) == CONNECTION_OK; }
  // True when a transaction is open (or failed) on the server: ROLLBACK before reuse.
  bool in_transaction() const noexcept { return conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE; }

 private:
  awaitable<void> wait_readable();
  awaitable<void> wait_writable();
  void track_socket();
  awaitable<void> flush();
  // Reads every result of the command in flight; the last result's rows are returned.
  awaitable<Result> collect(const std::vector<std::string>** columns_cache);
  awaitable<Result> send_and_collect(const std::string& text, const Params& params, bool prepared);
  awaitable<void> wait_for_cancel();
  [[noreturn]] void fail_connection(std::string_view what);

  boost::asio::any_io_executor io_;
  const void* home_;
  std::shared_ptr<boost::asio::thread_pool> cancel_threads_;
  PGconn* conn_ = nullptr;
  boost::asio::posix::stream_descriptor socket_;
  int libpq_fd_ = -1;
  unsigned long libpq_inode_ = 0;  // libpq may reopen its socket under the same number
  std::shared_ptr<PgWatch> watch_ = std::make_shared<PgWatch>();
  bool broken_ = false;
  int backend_pid_ = 0;
  struct Prepared {
    std::string name;  // "s1", "s2", ...
    const std::vector<std::string>* columns = nullptr;
  };
  std::unordered_map<std::string, Prepared> prepared_;      // by SQL text
  const std::vector<std::string>* last_columns_ = nullptr;  // the interned names of the last result
};

}  // namespace oms::storage::postgres
