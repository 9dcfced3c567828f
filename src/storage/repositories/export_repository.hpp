#pragma once
// SQL of exports and data-subject requests (migrations/*/0005_exports.sql). The worker's
// transitions are conditional on the current status, so a late or repeated run cannot move a
// finished request back.
#include <optional>
#include <string>
#include <vector>

#include "domain/export.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct ExpiredExport {
  std::string id;
  std::string object_key;
};

class ExportRepository {
 public:
  static awaitable<void> insert(Session& s, const domain::Export& e);
  static awaitable<std::optional<domain::Export>> find(Session& s, const std::string& id);
  // PENDING or RUNNING (a retried job) -> RUNNING with rows_done 0 and the total counted; false
  // when the request is finished already.
  static awaitable<bool> start(Session& s, const std::string& id, std::int64_t rows_total, domain::Timestamp now);
  static awaitable<void> progress(Session& s, const std::string& id, std::int64_t rows_done, domain::Timestamp now);
  // RUNNING -> COMPLETED; false when not RUNNING.
  static awaitable<bool> complete(Session& s, const std::string& id, const std::string& object_key,
                                  std::int64_t rows_done, domain::Timestamp now, domain::Timestamp expires_at);
  // PENDING or RUNNING -> FAILED with a coarse reason; false when finished already.
  static awaitable<bool> fail(Session& s, const std::string& id, const std::string& error, domain::Timestamp now);
  // COMPLETED requests whose result expired before `before` and was not purged yet (retention).
  static awaitable<std::vector<ExpiredExport>> expired(Session& s, domain::Timestamp before, int limit);
  static awaitable<void> mark_purged(Session& s, const std::string& id, domain::Timestamp now);
};

}  // namespace oms::storage
