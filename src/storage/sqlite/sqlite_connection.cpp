#include "storage/sqlite/sqlite_connection.hpp"

#include <cctype>

#include "storage/column_names.hpp"
#include "storage/search_text.hpp"
#include "storage/sqlite/placeholders.hpp"
#include "storage/sqlite/wal_write_buffer.hpp"

namespace oms::storage::sqlite {
namespace {

constexpr int k_busy_timeout_ms = 5000;

// SQLite's memory statistics (on by default) take a global mutex around every allocation and
// free, several dozen per statement, on the single writer's critical path; oms reads none of
// them. Set before SQLite initializes (its first open or VFS lookup in this process); later,
// sqlite3_config refuses and the default stays.
void configure_sqlite_once() {
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
}

// True when `tail` (the text after the first statement) holds only blanks, semicolons or comments.
bool only_trivia(const char* tail) {
  std::string_view s(tail);
  std::size_t i = 0;
  while (i < s.size()) {
    if (std::isspace(static_cast<unsigned char>(s[i])) || s[i] == ';') {
      ++i;
    } else if (s.substr(i, 2) == "--") {
      auto end = s.find('\n', i);
      i = end == std::string_view::npos ? s.size() : end + 1;
    } else if (s.substr(i, 2) == "/*") {
      auto end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      return false;
    }
  }
  return true;
}

// oms_search_fold(text): the search fold of src/storage/search_text.hpp, which the search
// triggers of migrations/sqlite/0002_search.sql call (PostgreSQL has it as an SQL function).
void search_fold_function(sqlite3_context* context, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  const int size = sqlite3_value_bytes(args[0]);
  std::string folded = search_fold(std::string_view(text ? text : "", static_cast<std::size_t>(size)));
  sqlite3_result_text64(context, folded.data(), folded.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

}  // namespace

SqliteConnection::SqliteConnection(const std::string& uri, bool writer) {
  configure_sqlite_once();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
  // The writer's WAL writes are gathered into one write a commit (wal_write_buffer.hpp).
  int rc = sqlite3_open_v2(uri.c_str(), &db_, flags, writer ? wal_write_buffer_vfs() : nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw DatabaseError("cannot open SQLite database '" + uri + "': " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, k_busy_timeout_ms);
  try {
    rc = sqlite3_create_function_v2(db_, "oms_search_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                    nullptr, &search_fold_function, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) fail(rc, "SQLite: registering oms_search_fold");
    if (writer) exec("PRAGMA journal_mode=WAL");
    // Every acknowledged write is durable: the writer syncs the WAL at each COMMIT (the group
    // commit shares one COMMIT among many sessions); readers never write.
    exec(writer ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    // The group commit makes every write session a savepoint of its batch, and SQLite copies the
    // original of each page a savepoint changes to a sub-journal. With temporary files on disk (the
    // default) that journal moves to a file past 64 KiB and stays there for the rest of the batch:
    // two pwrite calls a page on the writer's critical path, a quarter of a durable create's CPU. In
    // memory, a session's journal is the pages it changes (tens for a use case; a migration that
    // rewrites a big table holds that table's pages while it runs). A bounded spill
    // (SQLITE_CONFIG_STMTJRNL_SPILL) would be better, but SQLite 3.40 fails with SQLITE_FULL when
    // a journal spills past a limit above 128 KiB.
    if (writer) exec("PRAGMA temp_store=MEMORY");
    if (!writer) exec("PRAGMA query_only=ON");
  } catch (...) {
    sqlite3_close_v2(db_);
    throw;
  }
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

void SqliteConnection::fail(int rc, std::string_view what) const {
  std::string message = std::string(what) + ": " + sqlite3_errmsg(db_);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) throw UniqueViolation(message);
  throw DatabaseError(message);
}

void SqliteConnection::exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    std::string what = std::string("SQLite ") + std::string(sql).substr(0, 60) + ": " + message;
    int code = sqlite3_extended_errcode(db_);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) throw UniqueViolation(what);
    throw DatabaseError(what);
  }
}

SqliteConnection::Cached& SqliteConnection::prepare(std::string_view sql) {
  auto key = std::string(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  std::string rewritten = rewrite_placeholders(sql);
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, rewritten.c_str(), static_cast<int>(rewritten.size() + 1), SQLITE_PREPARE_PERSISTENT,
                              &stmt, &tail);
  if (rc != SQLITE_OK) fail(rc, "SQLite prepare");
  Cached cached;
  if (stmt != nullptr && tail != nullptr && !only_trivia(tail)) {
    sqlite3_finalize(stmt);  // several statements: run as a script
    stmt = nullptr;
  }
  cached.stmt = stmt;
  if (stmt != nullptr) {
    std::vector<std::string> names;
    int count = sqlite3_column_count(stmt);
    names.reserve(static_cast<std::size_t>(count));
    for (int c = 0; c < count; ++c) names.emplace_back(sqlite3_column_name(stmt, c));
    cached.columns = intern_columns(names);
  }
  return statements_.emplace(std::move(key), cached).first->second;
}

Result SqliteConnection::execute(std::string_view sql, const Params& params) {
  Cached& cached = prepare(sql);
  Result result;
  if (cached.stmt == nullptr) {
    if (!params.empty()) throw DatabaseError("SQLite: parameters given for a multi-statement SQL text");
    // Blank or a script (several statements): sqlite3_exec runs them all.
    exec(std::string(sql).c_str());
    return result;
  }
  sqlite3_stmt* stmt = cached.stmt;
  // Reset on every exit so the cached statement is reusable and holds no read lock.
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{stmt};

  int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    throw DatabaseError("SQLite: statement expects " + std::to_string(expected) + " parameters, got " +
                        std::to_string(params.size()));
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    int index = static_cast<int>(i + 1);
    int rc = std::visit(
        [&](const auto& v) -> int {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Null>) {
            return sqlite3_bind_null(stmt, index);
          } else if constexpr (std::is_same_v<T, bool>) {
            return sqlite3_bind_int(stmt, index, v ? 1 : 0);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(stmt, index, v);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(stmt, index, v);
          } else {
            return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          }
        },
        params[i]);
    if (rc != SQLITE_OK) fail(rc, "SQLite bind");
  }

  result.columns = cached.columns;
  const auto changes_before = sqlite3_total_changes64(db_);
  const int width = sqlite3_column_count(stmt);
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) fail(rc, "SQLite");
    std::vector<std::optional<std::string>> values;
    values.reserve(static_cast<std::size_t>(width));
    for (int c = 0; c < width; ++c) {
      if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
        values.emplace_back(std::nullopt);
      } else {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        values.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
      }
    }
    result.rows.emplace_back(cached.columns, std::move(values));
  }
  // sqlite3_changes keeps its value across statements that change nothing, so only trust it
  // when this statement did change something.
  if (sqlite3_total_changes64(db_) != changes_before) result.affected = sqlite3_changes64(db_);
  return result;
}

}  // namespace oms::storage::sqlite
