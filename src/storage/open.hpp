#pragma once
// Chooses the storage adapter from a URL: sqlite://path/to/file.db or postgresql://...
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace oms::storage {

struct DatabaseOptions {
  std::string url;  // sqlite://data/oms.db | sqlite::memory: | postgresql://user@host:port/db?...
  std::optional<std::string> replica_url;  // PostgreSQL read replica for Access::read_only
  std::optional<std::string> password;     // from the environment, never in the URL on a command line
  std::size_t pool_size = 4;               // connections per pool (primary and replica each)
  bool prepared_statements = true;         // false behind PgBouncer in transaction pooling mode
  std::chrono::milliseconds query_timeout{5000};
  std::chrono::milliseconds pool_wait{0};  // longest wait for a pooled connection (0: unbounded)
};

// Validates the URL (throws std::invalid_argument with a clear message) and opens the pools.
// PostgreSQL connections are made lazily and asynchronously on `io`; SQLite work runs on a
// small pool of its own threads and resumes on `io`.
std::unique_ptr<Database> open_database(boost::asio::any_io_executor io, const DatabaseOptions& options);

}  // namespace oms::storage
