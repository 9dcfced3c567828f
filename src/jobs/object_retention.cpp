#include "jobs/object_retention.hpp"

#include "storage/repositories/attachment_repository.hpp"
#include "storage/repositories/export_repository.hpp"

namespace oms::jobs {

using storage::AttachmentRepository;

boost::asio::awaitable<RetentionReport> ObjectRetention::run_once() {
  RetentionReport report;
  const auto now = clock_.now();
  const auto removed_before = now - std::chrono::duration_cast<std::chrono::microseconds>(options_.retention);
  const auto expired_before = now - std::chrono::duration_cast<std::chrono::microseconds>(options_.abandoned_after);
  for (int i = 0; i < options_.max_batches; ++i) {
    auto read = co_await db_.begin(storage::Access::read_only);
    const auto due = co_await AttachmentRepository::removed_before(*read, removed_before, options_.batch);
    co_await read->commit();
    for (const auto& candidate : due) {
      co_await store_.remove(candidate.object_key);
      auto write = co_await db_.begin(storage::Access::read_write);
      co_await AttachmentRepository::mark_purged(*write, candidate.id, now);
      co_await write->commit();
      ++report.attachments_purged;
    }
    if (static_cast<int>(due.size()) < options_.batch) break;
  }
  for (int i = 0; i < options_.max_batches; ++i) {
    auto read = co_await db_.begin(storage::Access::read_only);
    const auto due = co_await AttachmentRepository::abandoned_uploads(*read, expired_before, options_.batch);
    co_await read->commit();
    for (const auto& candidate : due) {
      co_await store_.remove(candidate.object_key);
      auto write = co_await db_.begin(storage::Access::read_write);
      co_await AttachmentRepository::delete_upload(*write, candidate.id);
      co_await write->commit();
      ++report.uploads_purged;
    }
    if (static_cast<int>(due.size()) < options_.batch) break;
  }
  for (int i = 0; exports_ != nullptr && i < options_.max_batches; ++i) {
    auto read = co_await db_.begin(storage::Access::read_only);
    const auto due = co_await storage::ExportRepository::expired(*read, now, options_.batch);
    co_await read->commit();
    for (const auto& candidate : due) {
      co_await exports_->remove(candidate.object_key);
      auto write = co_await db_.begin(storage::Access::read_write);
      co_await storage::ExportRepository::mark_purged(*write, candidate.id, now);
      co_await write->commit();
      ++report.exports_purged;
    }
    if (static_cast<int>(due.size()) < options_.batch) break;
  }
  co_return report;
}

}  // namespace oms::jobs
