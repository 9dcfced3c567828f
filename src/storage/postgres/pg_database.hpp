#pragma once
// The PostgreSQL adapter: a pool of non-blocking libpq connections to one server. Connections are
// made lazily and remade after a failure. A read replica is a second PgDatabase behind
// FencedReplicaDatabase (replica_fence.hpp), which owns the routing of reads.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "storage/connection_pool.hpp"
#include "storage/database.hpp"
#include "storage/postgres/pg_connection.hpp"

namespace oms::storage::postgres {

using PgPool = ConnectionPool<PgConnection>;

// Everything a session needs, shared so that a rollback finishing after the database object
// is gone still has it.
struct PgTarget {
  boost::asio::any_io_executor io;
  std::shared_ptr<boost::asio::thread_pool> cancel_threads;
  PgSettings settings;
  std::shared_ptr<PgPool> pool;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(boost::asio::any_io_executor io, PgSettings settings, std::size_t pool_size);
  ~PgDatabase() override;

  awaitable<std::unique_ptr<Session>> begin(Access access) override;
  Dialect dialect() const noexcept override { return Dialect::postgres; }
  awaitable<std::string> check() override;
  PoolStats pool_stats() const override;
  void close() override;

 private:
  std::shared_ptr<PgTarget> target_;
};

}  // namespace oms::storage::postgres
