#pragma once
// Versioned schema migrations, embedded from migrations/<dialect>/NNNN_name.sql at build time.
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace oms::storage {

struct EmbeddedMigration {
  std::string_view dialect;  // "sqlite" or "postgres"
  std::string_view name;     // "0001_init": the number orders them
  std::string_view sql;
};

const std::vector<EmbeddedMigration>& embedded_migrations();

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this run
  std::string current;               // the newest applied name after the run
};

// Applies, in order and each in its own transaction, every migration of the database's dialect
// that is not yet recorded in schema_migrations. Safe to run concurrently from several
// processes (PostgreSQL: advisory lock; SQLite: BEGIN IMMEDIATE).
awaitable<MigrationReport> migrate(Database& db);
// The same with an explicit list (tests); entries of the other dialect are ignored.
awaitable<MigrationReport> migrate(Database& db, const std::vector<EmbeddedMigration>& migrations);

}  // namespace oms::storage
