#include "storage/repositories/attachment_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_upload_columns =
    "id, opportunity_id, object_key, file_name, content_type, size_bytes, checksum_sha256, created_by, created_at, "
    "expires_at, completed_at";
constexpr const char* k_attachment_columns =
    "id, file_name, content_type, size_bytes, object_key, checksum_sha256, uploaded_by, uploaded_at";

UploadRow read_upload(const Row& r) {
  UploadRow u;
  u.id = r.str(0);
  u.opportunity_id = r.str(1);
  u.object_key = r.str(2);
  u.file_name = r.str(3);
  u.content_type = r.str(4);
  u.size_bytes = r.i64(5);
  u.checksum_sha256 = r.str(6);
  u.created_by = r.str(7);
  u.created_at = r.timestamp(8);
  u.expires_at = r.timestamp(9);
  u.completed_at = r.opt_timestamp(10);
  return u;
}

PurgeCandidate read_candidate(const Row& r) { return PurgeCandidate{r.str(0), r.str(1)}; }

}  // namespace

domain::Attachment read_attachment(const Row& r) {
  domain::Attachment a;
  a.id = r.str(0);
  a.file_name = r.str(1);
  a.content_type = r.str(2);
  a.size_bytes = r.i64(3);
  a.object_key = r.str(4);
  a.checksum_sha256 = r.str(5);
  a.uploaded_by = r.str(6);
  a.uploaded_at = r.timestamp(7);
  return a;
}

awaitable<void> AttachmentRepository::insert_upload(Session& s, const UploadRow& u) {
  Params p{u.id,         u.opportunity_id,  u.object_key, u.file_name,         u.content_type,
           u.size_bytes, u.checksum_sha256, u.created_by, param(u.created_at), param(u.expires_at)};
  co_await s.query(std::string("INSERT INTO attachment_uploads (") + k_upload_columns +
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)",
                   std::move(p));
}

awaitable<std::optional<UploadRow>> AttachmentRepository::find_upload(Session& s, const std::string& id) {
  Params p{id};
  auto r = co_await s.query(std::string("SELECT ") + k_upload_columns + " FROM attachment_uploads WHERE id = $1",
                            std::move(p));
  auto rows = read_rows(r, read_upload);
  if (rows.empty()) co_return std::nullopt;
  co_return std::move(rows.front());
}

awaitable<bool> AttachmentRepository::complete_upload(Session& s, const std::string& id, domain::Timestamp now) {
  Params p{id, param(now)};
  auto r = co_await s.query("UPDATE attachment_uploads SET completed_at = $2 WHERE id = $1 AND completed_at IS NULL",
                            std::move(p));
  co_return r.affected > 0;
}

awaitable<void> AttachmentRepository::insert(Session& s, const std::string& opportunity_id,
                                             const domain::Attachment& a) {
  Params p{a.id,         opportunity_id,    a.file_name,   a.content_type,      a.size_bytes,
           a.object_key, a.checksum_sha256, a.uploaded_by, param(a.uploaded_at)};
  co_await s.query(
      "INSERT INTO attachments (id, opportunity_id, file_name, content_type, size_bytes, object_key, checksum_sha256, "
      "uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      std::move(p));
}

awaitable<std::vector<domain::Attachment>> AttachmentRepository::list(Session& s, const std::string& opportunity_id) {
  Params p{opportunity_id};
  auto r = co_await s.query(std::string("SELECT ") + k_attachment_columns +
                                " FROM attachments WHERE opportunity_id = $1 AND removed_at IS NULL "
                                "ORDER BY uploaded_at, id",
                            std::move(p));
  co_return read_rows(r, read_attachment);
}

awaitable<std::optional<domain::Attachment>> AttachmentRepository::find(Session& s, const std::string& opportunity_id,
                                                                        const std::string& id) {
  Params p{opportunity_id, id};
  auto r = co_await s.query(std::string("SELECT ") + k_attachment_columns +
                                " FROM attachments WHERE opportunity_id = $1 AND id = $2 AND removed_at IS NULL",
                            std::move(p));
  auto rows = read_rows(r, read_attachment);
  if (rows.empty()) co_return std::nullopt;
  co_return std::move(rows.front());
}

awaitable<bool> AttachmentRepository::remove(Session& s, const std::string& id, const std::string& by,
                                             domain::Timestamp now) {
  Params p{id, by, param(now)};
  auto r = co_await s.query(
      "UPDATE attachments SET removed_at = $3, removed_by = $2 WHERE id = $1 AND removed_at IS NULL", std::move(p));
  co_return r.affected > 0;
}

awaitable<std::vector<PurgeCandidate>> AttachmentRepository::removed_before(Session& s, domain::Timestamp cutoff,
                                                                            int limit) {
  Params p{param(cutoff), std::int64_t{limit}};
  auto r = co_await s.query(
      "SELECT id, object_key FROM attachments WHERE removed_at IS NOT NULL AND purged_at IS NULL AND removed_at < $1 "
      "ORDER BY removed_at, id LIMIT $2",
      std::move(p));
  co_return read_rows(r, read_candidate);
}

awaitable<void> AttachmentRepository::mark_purged(Session& s, const std::string& id, domain::Timestamp now) {
  Params p{id, param(now)};
  co_await s.query("UPDATE attachments SET purged_at = $2 WHERE id = $1", std::move(p));
}

awaitable<std::vector<PurgeCandidate>> AttachmentRepository::abandoned_uploads(Session& s, domain::Timestamp cutoff,
                                                                               int limit) {
  Params p{param(cutoff), std::int64_t{limit}};
  auto r = co_await s.query(
      "SELECT id, object_key FROM attachment_uploads WHERE completed_at IS NULL AND expires_at < $1 "
      "ORDER BY expires_at, id LIMIT $2",
      std::move(p));
  co_return read_rows(r, read_candidate);
}

awaitable<void> AttachmentRepository::delete_upload(Session& s, const std::string& id) {
  Params p{id};
  co_await s.query("DELETE FROM attachment_uploads WHERE id = $1", std::move(p));
}

}  // namespace oms::storage
