#pragma once
// Retention of attachment objects, run by the worker every hour (the seed's lifecycle: objects
// expire after 7 years; in production S3's lifecycle rule in infra/ does the same to the bucket):
// the object of an attachment removed (soft-deleted) more than `retention` ago is deleted and the
// attachment marked purged; the object of an upload intent never completed is deleted a day after
// its URL expired, with the intent, so an abandoned upload leaves no stray object. With an exports
// store, the result of an export whose expires_at passed is deleted and the export marked purged.
#include <chrono>
#include <cstdint>

#include "domain/clock.hpp"
#include "objects/object_store.hpp"
#include "storage/database.hpp"

namespace oms::jobs {

struct RetentionOptions {
  std::chrono::hours retention{24 * (365 * 7 + 2)};  // 7 years (with their leap days)
  std::chrono::hours abandoned_after{24};
  int batch = 100;
  int max_batches = 20;  // per run; the rest an hour later
};

struct RetentionReport {
  std::int64_t attachments_purged = 0;
  std::int64_t uploads_purged = 0;
  std::int64_t exports_purged = 0;
};

class ObjectRetention {
 public:
  ObjectRetention(storage::Database& db, const domain::Clock& clock, objects::ObjectStore& store,
                  RetentionOptions options = {}, objects::ObjectStore* exports = nullptr)
      : db_(db), clock_(clock), store_(store), options_(options), exports_(exports) {}
  // One pass; an object is deleted before its row is marked, so a failure repeats the deletion.
  boost::asio::awaitable<RetentionReport> run_once();

 private:
  storage::Database& db_;
  const domain::Clock& clock_;
  objects::ObjectStore& store_;
  RetentionOptions options_;
  objects::ObjectStore* exports_;
};

}  // namespace oms::jobs
