#include "storage/postgres/pg_connection.hpp"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <charconv>
#include <cstdio>

#include "storage/column_names.hpp"

namespace oms::storage::postgres {
namespace {

using boost::asio::use_awaitable;
using Descriptor = boost::asio::posix::stream_descriptor;

// Past the timeout, PQcancel gets this long to work before the socket is shut down (a server
// that does not answer at all).
constexpr std::chrono::seconds k_cancel_grace{2};
constexpr std::string_view k_unique_violation = "23505";

std::string trimmed(const char* text) {
  std::string s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string to_text(const Param& p) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Null>) {
          return {};
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          char buffer[32];
          std::snprintf(buffer, sizeof buffer, "%.17g", v);
          return buffer;
        } else {
          return v;
        }
      },
      p);
}

[[noreturn]] void throw_result_error(const PGresult* r) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  std::string message = trimmed(PQresultErrorMessage(r));
  if (state != nullptr && k_unique_violation == state) throw UniqueViolation(message);
  throw DatabaseError(message);
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};

void ignore_notice(void*, const char*) {}

// Whether `r` has exactly the columns `names` (in order): an unnamed statement run again (a search
// page, say) reuses its interned names without building and looking them up anew.
bool same_columns(const PGresult* r, const std::vector<std::string>* names) {
  if (names == nullptr || static_cast<int>(names->size()) != PQnfields(r)) return false;
  for (std::size_t c = 0; c < names->size(); ++c)
    if ((*names)[c] != PQfname(r, static_cast<int>(c))) return false;
  return true;
}

}  // namespace

void PgWatch::shutdown_socket() {
  std::lock_guard lock(mutex);
  if (fd < 0) return;
  int unread = 0;
  if (::ioctl(fd, FIONREAD, &unread) == 0) unread_at_shutdown = unread;
  ::shutdown(fd, SHUT_RDWR);
}

bool PgWatch::begin_cancel(std::uint64_t generation) {
  std::lock_guard lock(mutex);
  if (!cancel || running != generation) return false;
  cancelling = true;
  return true;
}

void PgWatch::end_cancel() {
  std::lock_guard lock(mutex);
  cancelling = false;
}

bool PgWatch::end_command() {
  std::lock_guard lock(mutex);
  running = 0;
  return cancelling;
}

bool PgWatch::cancel_in_flight() {
  std::lock_guard lock(mutex);
  return cancelling;
}

PgConnection::PgConnection(boost::asio::any_io_executor io, std::shared_ptr<boost::asio::thread_pool> cancel_threads)
    : io_(io),
      home_(&boost::asio::query(io, boost::asio::execution::context)),
      cancel_threads_(std::move(cancel_threads)),
      socket_(io) {}

PgConnection::~PgConnection() {
  {
    std::lock_guard lock(watch_->mutex);
    watch_->fd = -1;
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  if (conn_) PQfinish(conn_);
}

void PgConnection::fail_connection(std::string_view what) {
  broken_ = true;
  throw DatabaseError(std::string(what) + ": " + trimmed(conn_ ? PQerrorMessage(conn_) : "no connection"));
}

// Watches libpq's current socket through a dup of it, so Asio never closes libpq's descriptor.
void PgConnection::track_socket() {
  int fd = PQsocket(conn_);
  unsigned long inode = 0;
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0) inode = static_cast<unsigned long>(st.st_ino);
  if (fd == libpq_fd_ && inode == libpq_inode_ && socket_.is_open()) return;
  std::lock_guard lock(watch_->mutex);
  boost::system::error_code ignored;
  socket_.close(ignored);
  watch_->fd = -1;
  libpq_fd_ = fd;
  libpq_inode_ = inode;
  if (fd < 0) return;
  int copy = ::dup(fd);
  if (copy < 0) {
    broken_ = true;
    throw DatabaseError("PostgreSQL: cannot duplicate the connection's socket");
  }
  socket_.assign(copy);
  watch_->fd = copy;
}

awaitable<void> PgConnection::wait_readable() {
  try {
    co_await socket_.async_wait(Descriptor::wait_read, use_awaitable);
  } catch (const boost::system::system_error& e) {
    broken_ = true;  // abandoned mid-command: the connection state is unknown
    throw DatabaseError(std::string("PostgreSQL: waiting for the server: ") + e.code().message());
  }
}

awaitable<void> PgConnection::wait_writable() {
  try {
    co_await socket_.async_wait(Descriptor::wait_write, use_awaitable);
  } catch (const boost::system::system_error& e) {
    broken_ = true;
    throw DatabaseError(std::string("PostgreSQL: waiting for the server: ") + e.code().message());
  }
}

awaitable<void> PgConnection::connect(const PgSettings& settings) {
  // Later keywords override what the URL (expanded from dbname) says.
  std::vector<const char*> keys{"dbname"};
  std::vector<const char*> values{settings.url.c_str()};
  if (settings.password) {
    keys.push_back("password");
    values.push_back(settings.password->c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectStartParams(keys.data(), values.data(), 1);
  if (conn_ == nullptr) throw DatabaseError("PostgreSQL: out of memory");
  if (PQstatus(conn_) == CONNECTION_BAD) fail_connection("PostgreSQL connection failed");
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);

  // PQconnectPoll ignores connect_timeout: bound the whole handshake ourselves.
  watch_->timed_out = false;
  boost::asio::steady_timer deadline(io_, settings.query_timeout);
  auto on_deadline = [watch = watch_](boost::system::error_code ec) {
    if (ec) return;
    watch->timed_out = true;
    watch->shutdown_socket();
  };
  deadline.async_wait(std::move(on_deadline));

  PostgresPollingStatusType status = PGRES_POLLING_WRITING;
  while (status != PGRES_POLLING_OK) {
    track_socket();
    if (status == PGRES_POLLING_READING) {
      co_await wait_readable();
    } else if (status == PGRES_POLLING_WRITING) {
      co_await wait_writable();
    }
    status = PQconnectPoll(conn_);
    if (status == PGRES_POLLING_FAILED) {
      if (watch_->timed_out) {
        broken_ = true;
        throw DatabaseError("PostgreSQL: connection timed out after " + std::to_string(settings.query_timeout.count()) +
                            " ms");
      }
      fail_connection("PostgreSQL connection failed");
    }
  }
  deadline.cancel();
  track_socket();
  backend_pid_ = PQbackendPID(conn_);  // libpq forgets it once the connection breaks
  if (PQsetnonblocking(conn_, 1) != 0) fail_connection("PostgreSQL: cannot enter non-blocking mode");
  watch_->cancel = std::shared_ptr<PGcancel>(PQgetCancel(conn_), PQfreeCancel);
  const Params none;
  co_await execute("SET TimeZone='UTC'; SET DateStyle='ISO'", none, false, settings.query_timeout);
}

awaitable<void> PgConnection::flush() {
  for (;;) {
    int r = PQflush(conn_);
    if (r == 0) co_return;
    if (r < 0) fail_connection("PostgreSQL: sending");
    co_await wait_writable();
    // The server may be waiting for us to read before it reads more.
    if (!PQconsumeInput(conn_)) fail_connection("PostgreSQL: receiving");
  }
}

awaitable<Result> PgConnection::collect(const std::vector<std::string>** columns_cache) {
  Result result;
  std::exception_ptr error;
  for (;;) {
    while (PQisBusy(conn_)) {
      co_await wait_readable();
      if (!PQconsumeInput(conn_)) fail_connection("PostgreSQL: receiving");
    }
    std::unique_ptr<PGresult, ResultDeleter> r(PQgetResult(conn_));
    if (!r) break;
    switch (PQresultStatus(r.get())) {
      case PGRES_TUPLES_OK:
      case PGRES_COMMAND_OK:
      case PGRES_EMPTY_QUERY: {
        if (error) break;
        Result current;
        const int width = PQnfields(r.get());
        const std::vector<std::string>* columns = columns_cache ? *columns_cache : nullptr;
        if (columns == nullptr) {
          if (same_columns(r.get(), last_columns_)) {
            columns = last_columns_;
          } else {
            std::vector<std::string> names;
            names.reserve(static_cast<std::size_t>(width));
            for (int c = 0; c < width; ++c) names.emplace_back(PQfname(r.get(), c));
            columns = intern_columns(names);
          }
          if (columns_cache) *columns_cache = columns;
        }
        last_columns_ = columns;
        current.columns = columns;
        const int height = PQntuples(r.get());
        current.rows.reserve(static_cast<std::size_t>(height));
        for (int row = 0; row < height; ++row) {
          std::vector<std::optional<std::string>> values;
          values.reserve(static_cast<std::size_t>(width));
          for (int c = 0; c < width; ++c) {
            if (PQgetisnull(r.get(), row, c)) {
              values.emplace_back(std::nullopt);
            } else {
              values.emplace_back(
                  std::string(PQgetvalue(r.get(), row, c), static_cast<std::size_t>(PQgetlength(r.get(), row, c))));
            }
          }
          current.rows.emplace_back(columns, std::move(values));
        }
        std::string_view tuples = PQcmdTuples(r.get());
        std::from_chars(tuples.data(), tuples.data() + tuples.size(), current.affected);
        result = std::move(current);
        break;
      }
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        broken_ = true;  // COPY is not supported through this port
        throw DatabaseError("PostgreSQL: COPY is not supported");
      default:
        if (!error) {
          try {
            throw_result_error(r.get());
          } catch (...) {
            error = std::current_exception();
          }
        }
        break;
    }
  }
  if (error) std::rethrow_exception(error);
  co_return result;
}

awaitable<Result> PgConnection::execute(std::string_view sql, const Params& params, bool prepared,
                                        std::chrono::milliseconds timeout) {
  if (!healthy()) throw DatabaseError("PostgreSQL: the connection is broken");
  // On expiry: ask the server to cancel (PQcancel blocks, so on its own thread); if even that
  // gets no answer, shut the socket so the wait below ends and the connection is discarded.
  watch_->timed_out = false;
  watch_->unread_at_shutdown = -1;
  const std::uint64_t generation = ++watch_->next;
  watch_->running = generation;
  struct Idle {  // for a coroutine destroyed while suspended; end_command() below otherwise
    PgWatch& w;
    ~Idle() { w.running = 0; }
  } idle{*watch_};
  boost::asio::steady_timer cancel_timer(io_, timeout);
  boost::asio::steady_timer kill_timer(io_, timeout + k_cancel_grace);
  auto on_timeout = [watch = watch_, threads = cancel_threads_, generation](boost::system::error_code ec) {
    if (ec || watch->running != generation) return;
    watch->timed_out = true;
    auto cancel = [watch, generation]() {
      if (!watch->begin_cancel(generation)) return;
      char message[256];
      PQcancel(watch->cancel.get(), message, sizeof message);
      watch->end_cancel();
    };
    boost::asio::post(*threads, std::move(cancel));
  };
  auto on_kill = [watch = watch_, generation](boost::system::error_code ec) {
    if (!ec && watch->running == generation) watch->shutdown_socket();
  };
  cancel_timer.async_wait(std::move(on_timeout));
  kill_timer.async_wait(std::move(on_kill));

  const std::string text(sql);
  Result result;
  std::exception_ptr failure;
  try {
    result = co_await send_and_collect(text, params, prepared);
  } catch (...) {
    failure = std::current_exception();
  }
  // PostgreSQL's cancel request names the connection, not the statement: one sent at the timeout
  // of a statement that then ended on its own would stop whatever this connection runs next. A
  // broken connection runs nothing next (the pool discards it): no need to wait.
  if (watch_->end_command() && !broken_) co_await wait_for_cancel();
  if (!failure) co_return result;
  if (!watch_->timed_out) std::rethrow_exception(failure);
  try {
    std::rethrow_exception(failure);
  } catch (const DatabaseError& e) {
    // The statement's start (SQL text only, never parameters) and the server process, so the
    // log line can be matched with the server's own log and pg_stat_activity.
    constexpr std::size_t k_statement_head = 60;
    std::string head;
    for (char c : text) {
      if (head.size() == k_statement_head) {
        head += "...";
        break;
      }
      const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
      if (!space)
        head += c;
      else if (!head.empty() && head.back() != ' ')
        head += ' ';
    }
    std::string what = "PostgreSQL: query timed out after " + std::to_string(timeout.count()) + " ms (backend " +
                       std::to_string(backend_pid_) + ", statement \"" + head + "\"";
    if (const int unread = watch_->unread_at_shutdown; unread >= 0)
      what += ", no answer read; " + std::to_string(unread) + " bytes unread when the socket was shut";
    what += "): ";
    what += e.what();
    throw DatabaseError(what);
  }
}

awaitable<Result> PgConnection::send_and_collect(const std::string& text, const Params& params, bool prepared) {
  std::vector<std::string> storage;
  std::vector<const char*> values;
  storage.reserve(params.size());
  for (const Param& p : params) {
    storage.push_back(to_text(p));
    values.push_back(std::holds_alternative<Null>(p) ? nullptr : storage.back().c_str());
  }
  const int count = static_cast<int>(params.size());
  const std::vector<std::string>** columns_cache = nullptr;
  int sent = 0;
  if (params.empty()) {
    sent = PQsendQuery(conn_, text.c_str());
  } else if (prepared) {
    auto it = prepared_.find(text);
    if (it == prepared_.end()) {
      std::string name = "s" + std::to_string(prepared_.size() + 1);
      if (!PQsendPrepare(conn_, name.c_str(), text.c_str(), 0, nullptr)) fail_connection("PostgreSQL: sending");
      co_await flush();
      co_await collect(nullptr);
      Prepared entry;
      entry.name = std::move(name);
      it = prepared_.emplace(text, std::move(entry)).first;
    }
    columns_cache = &it->second.columns;
    sent = PQsendQueryPrepared(conn_, it->second.name.c_str(), count, values.data(), nullptr, nullptr, 0);
  } else {
    sent = PQsendQueryParams(conn_, text.c_str(), count, nullptr, values.data(), nullptr, nullptr, 0);
  }
  if (!sent) fail_connection("PostgreSQL: sending");
  co_await flush();
  co_return co_await collect(columns_cache);
}

// Waits until the cancel on its way has reached the server (PQcancel returns once the server has
// acted on it; a cancel for a connection that waits for its next command is ignored). One that
// is not back within the grace leaves the connection retired.
awaitable<void> PgConnection::wait_for_cancel() {
  constexpr std::chrono::milliseconds k_look_every{1};
  const auto give_up = std::chrono::steady_clock::now() + k_cancel_grace;
  boost::asio::steady_timer pause(io_);
  while (watch_->cancel_in_flight()) {
    if (std::chrono::steady_clock::now() >= give_up) {
      broken_ = true;
      co_return;
    }
    pause.expires_after(k_look_every);
    co_await pause.async_wait(use_awaitable);
  }
}

}  // namespace oms::storage::postgres
