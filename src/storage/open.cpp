// Picks the adapter from the database URL and validates the options.
#include "storage/open.hpp"

#include <stdexcept>

#include "storage/postgres/pg_database.hpp"
#include "storage/postgres/replica_fence.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace oms::storage {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_postgres(std::string_view url) { return starts_with(url, "postgresql://") || starts_with(url, "postgres://"); }

// sqlite::memory: -> ":memory:"; sqlite://relative/x.db -> "relative/x.db"; sqlite:///abs -> "/abs".
std::string sqlite_location(std::string_view url) {
  if (url == "sqlite::memory:") return ":memory:";
  std::string_view rest = url.substr(std::string_view("sqlite://").size());
  if (rest.empty()) throw std::invalid_argument("database URL '" + std::string(url) + "' names no file");
  if (rest.find('?') != std::string_view::npos) {
    throw std::invalid_argument("database URL '" + std::string(url) + "': SQLite URLs take no query parameters");
  }
  return std::string(rest);
}

}  // namespace

std::unique_ptr<Database> open_database(boost::asio::any_io_executor io, const DatabaseOptions& options) {
  if (options.pool_size == 0) throw std::invalid_argument("database pool size must be at least 1");
  if (options.query_timeout.count() <= 0) throw std::invalid_argument("database query timeout must be positive");
  const std::string& url = options.url;
  if (url == "sqlite::memory:" || starts_with(url, "sqlite://")) {
    if (options.replica_url) throw std::invalid_argument("a read replica URL needs a postgresql:// database URL");
    return std::make_unique<sqlite::SqliteDatabase>(io, sqlite_location(url), options.pool_size, options.pool_wait);
  }
  if (is_postgres(url)) {
    if (options.replica_url && !is_postgres(*options.replica_url)) {
      throw std::invalid_argument("database replica URL must start with postgresql://");
    }
    postgres::PgSettings settings;
    settings.url = url;
    settings.password = options.password;
    settings.prepared_statements = options.prepared_statements;
    settings.query_timeout = options.query_timeout;
    settings.pool_wait = options.pool_wait;
    if (options.replica_url) {
      // Reads go to the replica only once it has replayed what they must see (replica_fence.hpp).
      postgres::PgSettings replica = settings;
      replica.url = *options.replica_url;
      auto primary_db = std::make_shared<postgres::PgDatabase>(io, std::move(settings), options.pool_size);
      auto replica_db = std::make_shared<postgres::PgDatabase>(io, std::move(replica), options.pool_size);
      return std::make_unique<postgres::FencedReplicaDatabase>(std::move(primary_db), std::move(replica_db));
    }
    return std::make_unique<postgres::PgDatabase>(io, std::move(settings), options.pool_size);
  }
  throw std::invalid_argument("unsupported database URL '" + url +
                              "': expected sqlite://path, sqlite::memory: or postgresql://...");
}

}  // namespace oms::storage
