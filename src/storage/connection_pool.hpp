#pragma once
// The storage adapters' pool (util/connection_pool.hpp) with the storage errors: a wait past the
// pool deadline is PoolTimeout (503 OVERLOADED), a closed pool a DatabaseError.
#include <chrono>
#include <string>

#include "storage/database.hpp"
#include "util/connection_pool.hpp"

namespace oms::storage {

struct PoolErrors {
  [[noreturn]] static void closed(const std::string& what) { throw DatabaseError("database " + what); }
  [[noreturn]] static void timed_out(std::size_t /*size*/, std::chrono::milliseconds wait) {
    throw PoolTimeout("no database connection became free within " + std::to_string(wait.count()) + " ms");
  }
};

template <class Conn>
using ConnectionPool = util::ConnectionPool<Conn, PoolErrors>;

}  // namespace oms::storage
