#pragma once
// The storage port, traced: a Database decorator that records, under the current span
// (context.hpp), one subsegment per session (transaction) named after the engine, in namespace
// "remote" with its `sql` block, and inside it one subsegment per query with the SQL text
// (parameterised, so values never appear). Work outside a traced coroutine passes straight
// through. Storage itself knows nothing of tracing or HTTP.
#include <string>

#include "storage/database.hpp"

namespace oms::tracing {

class TracedDatabase final : public storage::Database {
 public:
  // `url` names the database in the trace; credentials and query are removed from it.
  TracedDatabase(storage::Database& inner, std::string url);

  storage::awaitable<std::unique_ptr<storage::Session>> begin(storage::Access access) override;
  storage::Dialect dialect() const noexcept override { return inner_.dialect(); }
  storage::awaitable<std::string> check() override { return inner_.check(); }
  storage::PoolStats pool_stats() const override { return inner_.pool_stats(); }
  void close() override { inner_.close(); }

  const std::string& name() const noexcept { return name_; }

 private:
  storage::Database& inner_;
  std::string name_;  // "PostgreSQL" | "SQLite"
  std::string url_;
};

// "postgresql://user:secret@host:5432/db?sslmode=..." -> "postgresql://host:5432/db".
std::string sanitized_database_url(std::string_view url);

}  // namespace oms::tracing
