#pragma once
// Read-your-writes on a streaming replica, for every caller and every process: a read-only
// session goes to the replica only once the replica has replayed everything the primary had
// written when the read began. So a read never sees a version older than one acknowledged
// before it started — whichever process wrote it — and a cache filled from it is never older
// than the database (the cache-aside leases rely on that).
//
//   read: L = the primary's WAL insert position, probed after the read arrived (one probe,
//         coalesced, serves every read that arrived before it was sent);
//         replica replayed >= L (known, or asked)  -> the replica serves it;
//         still behind after k_max_replica_wait    -> the primary serves it;
//         replica unreachable                      -> the primary serves it.
//   write: always the primary.
// Lag (bytes of WAL the replica has still to replay, as last observed) and where reads went are
// metrics (render_replica_metrics).
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "storage/database.hpp"

namespace oms::storage::postgres {

inline constexpr std::chrono::milliseconds k_max_replica_wait{100};

class FencedReplicaDatabase final : public Database {
 public:
  FencedReplicaDatabase(std::shared_ptr<Database> primary, std::shared_ptr<Database> replica,
                        std::chrono::milliseconds max_replica_wait = k_max_replica_wait);
  ~FencedReplicaDatabase() override;

  awaitable<std::unique_ptr<Session>> begin(Access access) override;
  Dialect dialect() const noexcept override { return Dialect::postgres; }
  awaitable<std::string> check() override { return primary_->check(); }
  PoolStats pool_stats() const override;
  void close() override;

  struct Counters {
    std::atomic<std::uint64_t> replica{0};              // reads served by the replica
    std::atomic<std::uint64_t> primary_lagging{0};      // replica still behind after the wait
    std::atomic<std::uint64_t> primary_unavailable{0};  // replica (or the probe) failed
    std::atomic<std::uint64_t> probes{0};               // primary WAL position probes
    std::atomic<std::uint64_t> primary_lsn{0};          // last observed, bytes
    std::atomic<std::uint64_t> replica_lsn{0};          // last observed replay position, bytes
  };
  const Counters& counters() const noexcept { return *counters_; }
  std::string render_metrics() const;

  struct ProbeState;  // coalesced primary probes (replica_fence.cpp)

 private:
  awaitable<std::unique_ptr<Session>> fenced_read(Access access);
  awaitable<bool> replica_replayed(std::uint64_t needed);

  std::shared_ptr<Database> primary_;
  std::shared_ptr<Database> replica_;
  std::chrono::milliseconds max_replica_wait_;
  std::shared_ptr<Counters> counters_ = std::make_shared<Counters>();
  std::shared_ptr<ProbeState> probes_;
};

// The fence's Prometheus lines when `db` is a FencedReplicaDatabase, else "".
std::string render_replica_metrics(const Database& db);

}  // namespace oms::storage::postgres
