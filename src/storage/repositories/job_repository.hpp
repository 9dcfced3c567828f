#pragma once
// SQL of the durable job queue (migrations/*/0003_jobs.sql): every statement the queue runs is
// here. Claims lease jobs to one owner until lease_expires_at; PostgreSQL claims with
// FOR UPDATE SKIP LOCKED so concurrent workers never take the same job, SQLite through its single
// writer (BEGIN IMMEDIATE), which gives the same guarantee. Every transition after a claim checks
// the lease owner, so a worker that lost its lease cannot overwrite the job's new run.
#include <optional>
#include <string>
#include <vector>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace oms::storage {

inline constexpr const char* k_job_queued = "QUEUED";
inline constexpr const char* k_job_running = "RUNNING";
inline constexpr const char* k_job_succeeded = "SUCCEEDED";
inline constexpr const char* k_job_dead = "DEAD";

struct JobRow {
  std::string id;
  std::string type;
  std::string idempotency_key;
  std::string payload;  // JSON
  std::string state;
  std::int64_t attempts = 0;
  std::int64_t max_attempts = 1;
  domain::Timestamp run_after{};
  std::optional<std::string> lease_owner;
  std::optional<domain::Timestamp> lease_expires_at;
  std::optional<std::string> last_error;
  domain::Timestamp created_at{};
  domain::Timestamp updated_at{};
  std::optional<domain::Timestamp> finished_at;
};

struct NewJob {
  std::string id;
  std::string type;
  std::string idempotency_key;
  std::string payload;
  std::int64_t max_attempts = 1;
  domain::Timestamp run_after{};
  domain::Timestamp now{};
};

struct JobFilter {
  std::optional<std::string> state;
  std::optional<std::string> type;
  // Keyset position of the last row of the previous page: (created_at, id), newest first.
  std::optional<std::pair<domain::Timestamp, std::string>> before;
  int limit = 20;
};

struct JobDepth {
  std::string type;
  std::string state;
  std::int64_t count = 0;
};

class JobRepository {
 public:
  // Inserts unless a job of the same type and idempotency key exists; true when inserted.
  static awaitable<bool> enqueue(Session& s, const NewJob& job);
  // Marks RUNNING jobs whose lease expired after their last attempt DEAD; returns how many.
  static awaitable<std::int64_t> bury_expired(Session& s, domain::Timestamp now);
  // Leases up to `limit` claimable jobs (QUEUED and due, or RUNNING with an expired lease and
  // attempts left) to `owner` until `lease_until`, counting an attempt each; oldest due first.
  static awaitable<std::vector<JobRow>> claim(Session& s, const std::string& owner, domain::Timestamp now,
                                              domain::Timestamp lease_until, int limit);
  // Transitions of a leased job; false when `owner` no longer holds its lease.
  static awaitable<bool> succeed(Session& s, const std::string& id, const std::string& owner, domain::Timestamp now);
  static awaitable<bool> retry_later(Session& s, const std::string& id, const std::string& owner, domain::Timestamp now,
                                     domain::Timestamp run_after, const std::string& error);
  static awaitable<bool> bury(Session& s, const std::string& id, const std::string& owner, domain::Timestamp now,
                              const std::string& error);
  // Heartbeat: moves the lease of a job `owner` still holds to `lease_until`; false when lost.
  static awaitable<bool> extend_lease(Session& s, const std::string& id, const std::string& owner,
                                      domain::Timestamp now, domain::Timestamp lease_until);
  // Gives a lease back unused (draining): QUEUED, due now, the attempt not counted.
  static awaitable<bool> release(Session& s, const std::string& id, const std::string& owner, domain::Timestamp now);
  // DEAD -> QUEUED with a fresh count of attempts; false when the job is not DEAD.
  static awaitable<bool> revive(Session& s, const std::string& id, domain::Timestamp now);

  // Deletes up to `limit` SUCCEEDED jobs finished before `before` (retention); returns how many.
  static awaitable<std::int64_t> purge_succeeded(Session& s, domain::Timestamp before, int limit);

  static awaitable<std::optional<JobRow>> find(Session& s, const std::string& id);
  static awaitable<std::vector<JobRow>> list(Session& s, const JobFilter& f);  // newest first
  // Jobs by type and state, for the depth gauge (SUCCEEDED is left out: it only grows).
  static awaitable<std::vector<JobDepth>> depth(Session& s);
};

}  // namespace oms::storage
