#pragma once
// SQL of attachments and their upload intents (migrations/*/0004_attachment_uploads.sql).
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct UploadRow {
  std::string id;
  std::string opportunity_id;
  std::string object_key;
  std::string file_name;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string checksum_sha256;
  std::string created_by;
  domain::Timestamp created_at{};
  domain::Timestamp expires_at{};
  std::optional<domain::Timestamp> completed_at;
};

// One attachment row, columns in this order: id, file_name, content_type, size_bytes, object_key,
// checksum_sha256, uploaded_by, uploaded_at (also the opportunity load's attachment columns).
domain::Attachment read_attachment(const Row& r);

struct PurgeCandidate {
  std::string id;  // attachment or upload id
  std::string object_key;
};

class AttachmentRepository {
 public:
  static awaitable<void> insert_upload(Session& s, const UploadRow& u);
  static awaitable<std::optional<UploadRow>> find_upload(Session& s, const std::string& id);
  // Marks the upload completed; false when it was completed meanwhile.
  static awaitable<bool> complete_upload(Session& s, const std::string& id, domain::Timestamp now);
  static awaitable<void> insert(Session& s, const std::string& opportunity_id, const domain::Attachment& a);
  // Attachments of an opportunity that are not removed, oldest first.
  static awaitable<std::vector<domain::Attachment>> list(Session& s, const std::string& opportunity_id);
  // One attachment of the opportunity that is not removed.
  static awaitable<std::optional<domain::Attachment>> find(Session& s, const std::string& opportunity_id,
                                                           const std::string& id);
  // Soft delete; false when it was removed meanwhile.
  static awaitable<bool> remove(Session& s, const std::string& id, const std::string& by, domain::Timestamp now);

  // Retention: attachments removed before `cutoff` whose object is still kept, and uploads that
  // expired before `cutoff` without completing.
  static awaitable<std::vector<PurgeCandidate>> removed_before(Session& s, domain::Timestamp cutoff, int limit);
  static awaitable<void> mark_purged(Session& s, const std::string& id, domain::Timestamp now);
  static awaitable<std::vector<PurgeCandidate>> abandoned_uploads(Session& s, domain::Timestamp cutoff, int limit);
  static awaitable<void> delete_upload(Session& s, const std::string& id);
};

}  // namespace oms::storage
