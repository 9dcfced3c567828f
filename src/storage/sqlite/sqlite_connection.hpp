#pragma once
// One SQLite connection with its cache of prepared statements. Synchronous: callers run it on
// the adapter's thread pool, one thread at a time per connection.
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/database.hpp"

namespace oms::storage::sqlite {

class SqliteConnection {
 public:
  // `uri` is a file name or a file: URI. Applies the pragmas (WAL when `writer`), and
  // query_only on readers.
  SqliteConnection(const std::string& uri, bool writer);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one statement with $N parameters. A SQL text holding several statements and no
  // parameters (a migration script) runs whole through sqlite3_exec and returns no rows.
  Result execute(std::string_view sql, const Params& params);
  // Runs a statement without parameters or results (BEGIN, COMMIT, pragmas).
  void exec(const char* sql);
  // True inside an open transaction (autocommit off).
  bool in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }
  // True when the main schema has this table.
  bool has_table(const char* name) const noexcept {
    return sqlite3_table_column_metadata(db_, "main", name, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr) ==
           SQLITE_OK;
  }

 private:
  struct Cached {
    sqlite3_stmt* stmt = nullptr;  // null: a multi-statement script
    const std::vector<std::string>* columns = nullptr;
  };
  Cached& prepare(std::string_view sql);
  [[noreturn]] void fail(int rc, std::string_view what) const;

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, Cached> statements_;
};

}  // namespace oms::storage::sqlite
