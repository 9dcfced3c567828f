// Applies schema migrations, each in its own transaction together with its schema_migrations
// row. On PostgreSQL every transaction first takes an advisory lock, so concurrent migrators
// (several tasks starting at once) apply each migration exactly once; on SQLite the writer's
// BEGIN IMMEDIATE serialises them.
#include "storage/migrations.hpp"

#include <algorithm>

#include "util/time.hpp"

namespace oms::storage {
namespace {

constexpr std::int64_t k_advisory_lock_key = 7226;

std::string_view dialect_name(Dialect d) { return d == Dialect::postgres ? "postgres" : "sqlite"; }

awaitable<void> lock_if_postgres(Session& session) {
  if (session.dialect() != Dialect::postgres) co_return;
  Params key{k_advisory_lock_key};
  co_await session.query("SELECT pg_advisory_xact_lock($1)", std::move(key));
}

awaitable<void> ensure_table(Database& db) {
  auto session = co_await db.begin(Access::read_write);
  co_await lock_if_postgres(*session);
  co_await session->query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  co_await session->commit();
}

// True when applied now, false when it was already recorded.
awaitable<bool> apply_one(Database& db, const EmbeddedMigration& migration) {
  auto session = co_await db.begin(Access::read_write);
  co_await lock_if_postgres(*session);
  Params name{std::string(migration.name)};
  Result seen = co_await session->query("SELECT 1 FROM schema_migrations WHERE name = $1", name);
  if (!seen.empty()) {
    co_await session->rollback();
    co_return false;
  }
  // No parameters: both adapters run every statement of the script.
  co_await session->query(migration.sql);
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  Params record{std::string(migration.name), util::format_timestamp(now)};
  co_await session->query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", std::move(record));
  co_await session->commit();
  co_return true;
}

}  // namespace

awaitable<MigrationReport> migrate(Database& db) { co_return co_await migrate(db, embedded_migrations()); }

awaitable<MigrationReport> migrate(Database& db, const std::vector<EmbeddedMigration>& migrations) {
  std::vector<const EmbeddedMigration*> mine;
  for (const auto& m : migrations) {
    if (m.dialect == dialect_name(db.dialect())) mine.push_back(&m);
  }
  std::sort(mine.begin(), mine.end(), [](const auto* a, const auto* b) { return a->name < b->name; });

  co_await ensure_table(db);
  MigrationReport report;
  for (const EmbeddedMigration* m : mine) {
    try {
      if (co_await apply_one(db, *m)) report.applied.emplace_back(m->name);
    } catch (const UniqueViolation& e) {
      throw DatabaseError("migration " + std::string(m->name) + " failed: " + e.what());
    } catch (const DatabaseError& e) {
      throw DatabaseError("migration " + std::string(m->name) + " failed: " + e.what());
    }
  }
  auto session = co_await db.begin(Access::read_only);
  Result newest = co_await session->query("SELECT max(name) FROM schema_migrations");
  co_await session->commit();
  if (!newest.empty()) report.current = newest.rows.front().str(0);
  co_return report;
}

}  // namespace oms::storage
