#pragma once
// A Database decorator for tests (test code only, never in the binary): makes the Nth query of read-write sessions
// throw DatabaseError, so a test can show that a use case interrupted half-way leaves nothing behind.
#include <atomic>
#include <memory>

#include "storage/database.hpp"

namespace oms::storage {

class FaultInjectingDatabase final : public Database {
 public:
  explicit FaultInjectingDatabase(Database& inner) : inner_(inner) {}

  // Fail the n-th (1-based) query counted across read-write sessions from now on; 0 disables.
  void fail_at_query(int n) { countdown_ = n; }
  // Queries run in read-write sessions since construction (to size a sweep over every step).
  int write_queries_seen() const { return seen_; }

  awaitable<std::unique_ptr<Session>> begin(Access access) override;
  Dialect dialect() const noexcept override { return inner_.dialect(); }
  awaitable<std::string> check() override { return inner_.check(); }
  PoolStats pool_stats() const override { return inner_.pool_stats(); }
  void close() override { inner_.close(); }

 private:
  friend class FaultInjectingSession;
  Database& inner_;
  std::atomic<int> countdown_{0};
  std::atomic<int> seen_{0};
};

}  // namespace oms::storage
