#include "storage/postgres/replica_fence.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace oms::storage::postgres {
namespace {

using Clock = std::chrono::steady_clock;
using Timer = boost::asio::steady_timer;

// WAL positions as byte offsets. On a server that is not in recovery (a promoted replica, or a
// stand-in) the replay position is its own insert position.
constexpr std::string_view k_primary_position = "SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint";
constexpr std::string_view k_replica_position =
    "SELECT (COALESCE(pg_last_wal_replay_lsn(), pg_current_wal_insert_lsn()) - '0/0'::pg_lsn)::bigint";
// How often a read waiting for a probe, or for the replica's replay, looks again. Polling keeps
// every timer on its own coroutine (no cross-thread cancel); a probe takes a few milliseconds.
constexpr std::chrono::milliseconds k_probe_poll{1};
constexpr std::chrono::milliseconds k_replay_poll{5};
constexpr std::chrono::seconds k_probe_bound{10};

void raise_to(std::atomic<std::uint64_t>& value, std::uint64_t seen) {
  std::uint64_t current = value.load();
  while (current < seen && !value.compare_exchange_weak(current, seen)) {
  }
}

awaitable<void> pause(Timer& timer, std::chrono::milliseconds d) {
  timer.expires_after(d);
  boost::system::error_code ignored;
  co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
}

}  // namespace

// One probe of the primary's WAL position: every read that joined it arrived before it was sent.
struct Round {
  std::mutex mutex;
  bool done = false;
  std::uint64_t position = 0;
  std::string error;  // non-empty: the probe failed
};

struct FencedReplicaDatabase::ProbeState {
  std::mutex mutex;
  std::shared_ptr<Round> pending;  // collecting readers, not sent yet
  bool probing = false;            // a round is in flight
};

namespace {

awaitable<void> probe_once(std::shared_ptr<Database> primary, std::shared_ptr<FencedReplicaDatabase::Counters> counters,
                           std::shared_ptr<Round> round) {
  std::uint64_t position = 0;
  std::string error;
  try {
    auto session = co_await primary->begin(Access::read_one);
    Result r = co_await session->query(k_primary_position);
    co_await session->commit();
    position = static_cast<std::uint64_t>(r.rows.at(0).i64(0));
    counters->probes++;
    raise_to(counters->primary_lsn, position);
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "probe failed";
  }
  std::lock_guard lock(round->mutex);
  round->done = true;
  round->position = position;
  round->error = std::move(error);
}

// Runs rounds back to back while readers keep arriving.
awaitable<void> run_probes(std::shared_ptr<Database> primary, std::shared_ptr<FencedReplicaDatabase::Counters> counters,
                           std::shared_ptr<FencedReplicaDatabase::ProbeState> state, std::shared_ptr<Round> round) {
  for (;;) {
    co_await probe_once(primary, counters, round);
    std::lock_guard lock(state->mutex);
    if (!state->pending) {
      state->probing = false;
      co_return;
    }
    round = std::move(state->pending);
    state->pending.reset();
  }
}

// The primary's WAL position as of some moment after this call began.
awaitable<std::uint64_t> primary_position_from_now(const std::shared_ptr<Database>& primary,
                                                   const std::shared_ptr<FencedReplicaDatabase::Counters>& counters,
                                                   const std::shared_ptr<FencedReplicaDatabase::ProbeState>& state) {
  std::shared_ptr<Round> round;
  bool start = false;
  {
    std::lock_guard lock(state->mutex);
    if (!state->pending) state->pending = std::make_shared<Round>();
    round = state->pending;
    if (!state->probing) {
      state->probing = true;
      state->pending.reset();
      start = true;
    }
  }
  auto ex = co_await boost::asio::this_coro::executor;
  if (start) boost::asio::co_spawn(ex, run_probes(primary, counters, state, round), boost::asio::detached);
  Timer timer(ex);
  const auto deadline = Clock::now() + k_probe_bound;
  for (;;) {
    {
      std::lock_guard lock(round->mutex);
      if (round->done) {
        if (!round->error.empty()) throw DatabaseError(round->error);
        co_return round->position;
      }
    }
    if (Clock::now() >= deadline) throw DatabaseError("PostgreSQL: the primary's WAL position did not come back");
    co_await pause(timer, k_probe_poll);
  }
}

}  // namespace

FencedReplicaDatabase::FencedReplicaDatabase(std::shared_ptr<Database> primary, std::shared_ptr<Database> replica,
                                             std::chrono::milliseconds max_replica_wait)
    : primary_(std::move(primary)),
      replica_(std::move(replica)),
      max_replica_wait_(max_replica_wait),
      probes_(std::make_shared<ProbeState>()) {}

FencedReplicaDatabase::~FencedReplicaDatabase() { close(); }

awaitable<std::unique_ptr<Session>> FencedReplicaDatabase::begin(Access access) {
  if (access == Access::read_write) co_return co_await primary_->begin(access);
  co_return co_await fenced_read(access);
}

awaitable<std::unique_ptr<Session>> FencedReplicaDatabase::fenced_read(Access access) {
  std::uint64_t needed = 0;
  bool fenced = true;
  try {
    needed = co_await primary_position_from_now(primary_, counters_, probes_);
  } catch (const DatabaseError&) {
    fenced = false;
  }
  if (!fenced) {
    // Without the primary's position the replica cannot be trusted; the primary answers (or fails).
    counters_->primary_unavailable++;
    co_return co_await primary_->begin(access);
  }
  try {
    if (counters_->replica_lsn.load() >= needed || co_await replica_replayed(needed)) {
      // The session's snapshot is taken by its first statement, after the replay passed `needed`.
      auto session = co_await replica_->begin(access);
      counters_->replica++;
      co_return session;
    }
    counters_->primary_lagging++;
  } catch (const DatabaseError&) {
    counters_->primary_unavailable++;
  }
  co_return co_await primary_->begin(access);
}

// Polls the replica's replay position in autocommit statements (a transaction's snapshot would
// stay behind the replay it waits for) until it reaches `needed`, for at most max_replica_wait_.
awaitable<bool> FencedReplicaDatabase::replica_replayed(std::uint64_t needed) {
  auto probe = co_await replica_->begin(Access::read_one);
  auto ex = co_await boost::asio::this_coro::executor;
  Timer timer(ex);
  const auto deadline = Clock::now() + max_replica_wait_;
  for (;;) {
    Result r = co_await probe->query(k_replica_position);
    const auto replayed = static_cast<std::uint64_t>(r.rows.at(0).i64(0));
    raise_to(counters_->replica_lsn, replayed);
    if (replayed >= needed || Clock::now() >= deadline) {
      co_await probe->commit();
      co_return replayed >= needed;
    }
    co_await pause(timer, k_replay_poll);
  }
}

PoolStats FencedReplicaDatabase::pool_stats() const {
  PoolStats stats = primary_->pool_stats();
  const PoolStats r = replica_->pool_stats();
  stats.size += r.size;
  stats.in_use += r.in_use;
  stats.waiting += r.waiting;
  return stats;
}

void FencedReplicaDatabase::close() {
  primary_->close();
  replica_->close();
}

std::string FencedReplicaDatabase::render_metrics() const {
  const Counters& c = *counters_;
  const std::uint64_t primary = c.primary_lsn.load();
  const std::uint64_t replica = c.replica_lsn.load();
  std::string out;
  auto sample = [&out](std::string_view name, std::uint64_t value) {
    out += name;
    out += ' ';
    out += std::to_string(value);
    out += '\n';
  };
  out += "# HELP db_replica_lag_bytes WAL the read replica had still to replay, as last observed.\n";
  out += "# TYPE db_replica_lag_bytes gauge\n";
  sample("db_replica_lag_bytes", primary > replica ? primary - replica : 0);
  out += "# HELP db_replica_reads_total Read-only sessions by where they went (replica, or primary and why).\n";
  out += "# TYPE db_replica_reads_total counter\n";
  sample("db_replica_reads_total{served_by=\"replica\"}", c.replica.load());
  sample("db_replica_reads_total{served_by=\"primary_replica_lagging\"}", c.primary_lagging.load());
  sample("db_replica_reads_total{served_by=\"primary_replica_unavailable\"}", c.primary_unavailable.load());
  out += "# HELP db_primary_position_probes_total Probes of the primary's WAL position (one serves many reads).\n";
  out += "# TYPE db_primary_position_probes_total counter\n";
  sample("db_primary_position_probes_total", c.probes.load());
  return out;
}

std::string render_replica_metrics(const Database& db) {
  const auto* fenced = dynamic_cast<const FencedReplicaDatabase*>(&db);
  return fenced ? fenced->render_metrics() : std::string();
}

}  // namespace oms::storage::postgres
