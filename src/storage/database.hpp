#pragma once
// The SQL port. The application's repositories are written once against this interface;
// src/storage/sqlite and src/storage/postgres implement it. Every call is a coroutine so the
// I/O threads never block: PostgreSQL runs libpq non-blocking on the event loop, SQLite runs
// on its own small thread pool.
//
// SQL text uses PostgreSQL-style positional parameters ($1, $2, ...) in both dialects; the
// SQLite adapter binds them as ?NNN. Values cross the boundary as Param (typed) and come back as
// text (Row::text) with typed accessors that understand both dialects' spellings
// (PostgreSQL 't'/'f' and SQLite 1/0 for booleans; "YYYY-MM-DD HH:MM:SS.ffffff+00" and
// "YYYY-MM-DDTHH:MM:SS.ffffffZ" for timestamps).
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/types.hpp"
#include "util/pool_stats.hpp"

namespace oms::storage {

template <class T>
using awaitable = boost::asio::awaitable<T>;

enum class Dialect { sqlite, postgres };

struct Null {};
using Param = std::variant<Null, bool, std::int64_t, double, std::string>;
using Params = std::vector<Param>;

// Helpers to build params from optional values and domain types.
Param param(std::optional<std::string> v);
Param param(domain::Timestamp t);  // RFC 3339 text, microseconds, 'Z'
Param param(std::optional<domain::Timestamp> t);
Param param(domain::Date d);  // YYYY-MM-DD

class Row {
 public:
  Row(const std::vector<std::string>* columns, std::vector<std::optional<std::string>> values)
      : columns_(columns), values_(std::move(values)) {}

  std::size_t size() const noexcept { return values_.size(); }
  bool is_null(std::size_t i) const { return !values_.at(i).has_value(); }
  const std::optional<std::string>& text(std::size_t i) const { return values_.at(i); }
  std::string str(std::size_t i) const;  // "" when NULL
  std::int64_t i64(std::size_t i) const;
  bool boolean(std::size_t i) const;
  domain::Timestamp timestamp(std::size_t i) const;
  std::optional<domain::Timestamp> opt_timestamp(std::size_t i) const;
  domain::Date date(std::size_t i) const;
  // Lookup by column name (slower; for readability where it matters).
  std::size_t index(std::string_view column) const;

 private:
  const std::vector<std::string>* columns_;
  std::vector<std::optional<std::string>> values_;
};

struct Result {
  const std::vector<std::string>* columns = nullptr;  // interned (column_names.hpp): never copied per query
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

  bool empty() const noexcept { return rows.empty(); }
};

// Raised for constraint violations so the application can answer 409 DUPLICATE precisely.
struct UniqueViolation : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// Any other database failure (connection lost, timeout, syntax). Mapped to 503/500.
struct DatabaseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// No pooled connection became free within the pool wait deadline (mapped to 503 OVERLOADED).
struct PoolTimeout : DatabaseError {
  using DatabaseError::DatabaseError;
};

// One transaction on one connection, checked out of a pool. Destroying a Session that was not
// committed rolls it back and returns the connection.
class Session {
 public:
  virtual ~Session() = default;
  // With no params, `sql` may hold several statements separated by ';' (a migration script):
  // SQLite runs them through sqlite3_exec, PostgreSQL through the simple query protocol; the
  // rows of the last statement are returned (SQLite: none). With params, exactly one statement.
  virtual awaitable<Result> query(std::string_view sql, Params params = {}) = 0;
  // The same, planned for these parameter values every time (PostgreSQL: an unnamed statement, not
  // a cached prepared one whose generic plan cannot see how selective the values are). Still one
  // round trip; engines without plan caching run query().
  virtual awaitable<Result> query_planned_for_values(std::string_view sql, Params params) {
    co_return co_await query(sql, std::move(params));
  }
  virtual awaitable<void> commit() = 0;
  virtual awaitable<void> rollback() = 0;
  virtual Dialect dialect() const noexcept = 0;
};

// read_only: every statement of the session sees one snapshot (REPEATABLE READ on PostgreSQL,
// a read transaction on SQLite).
// read_one: a read-only session of ONE statement (or of statements that each may see a newer
// snapshot, as under READ COMMITTED). PostgreSQL runs it without BEGIN/COMMIT (autocommit: the
// statement is its own snapshot), which saves two round trips; SQLite treats it as read_only.
enum class Access { read_only, read_write, read_one };

using PoolStats = util::PoolStats;

class Database {
 public:
  virtual ~Database() = default;
  // Begins a transaction. read_only may be served by a replica; read_write always by the primary
  // and is serialised against other writers where the engine needs it (SQLite: BEGIN IMMEDIATE).
  virtual awaitable<std::unique_ptr<Session>> begin(Access access) = 0;
  virtual Dialect dialect() const noexcept = 0;
  // For /health/ready: runs a trivial query within a short deadline; returns an error text or "".
  virtual awaitable<std::string> check() = 0;
  virtual PoolStats pool_stats() const = 0;
  virtual void close() = 0;
};

}  // namespace oms::storage
