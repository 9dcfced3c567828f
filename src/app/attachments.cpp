#include "app/attachments.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "app/cached_reads.hpp"
#include "app/json_views.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "app/unit_of_work.hpp"
#include "domain/policy.hpp"
#include "storage/repositories/attachment_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;
using storage::AttachmentRepository;

namespace {

[[noreturn]] void attachment_not_found() { throw DomainError(ErrorCode::not_found, "Attachment not found."); }

// The attachment's one JSON shape (app/json_views.cpp), as audit snapshot text.
std::string attachment_snapshot(const domain::Attachment& a) { return json::serialize(json::value_from(a)); }

// The attachment id as stored (lower case), or NOT_FOUND when it cannot be one.
std::string normalize_attachment_id(const std::string& id) {
  if (!util::is_uuid(id)) attachment_not_found();
  return util::to_lower_ascii(id);
}

}  // namespace

objects::ObjectStore& Attachments::store() const {
  if (store_ == nullptr) throw DomainError(ErrorCode::unavailable, "No attachment store is configured.");
  return *store_;
}

awaitable<UploadIntent> Attachments::start_upload(const Ctx& ctx, const std::string& opportunity_id, UploadInput in) {
  domain::check_upload(in);
  in.sha256 = util::to_lower_ascii(in.sha256);

  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity o =
      co_await detail::load_for_write(uow, ctx, opportunity_id, std::nullopt, detail::WriteAccess::owner_or_admin);
  storage::UploadRow row;
  row.id = uow.new_id();
  row.opportunity_id = o.id;
  row.object_key = o.id + "/" + row.id;
  row.file_name = in.file_name;
  row.content_type = in.content_type;
  row.size_bytes = in.size_bytes;
  row.checksum_sha256 = in.sha256;
  row.created_by = uow.actor_id();
  row.created_at = uow.now();
  row.expires_at = uow.now() + k_upload_url_ttl;
  objects::PutSpec spec;
  spec.key = row.object_key;
  spec.content_type = row.content_type;
  spec.size_bytes = static_cast<std::uint64_t>(row.size_bytes);
  spec.sha256_hex = row.checksum_sha256;
  spec.ttl = k_upload_url_ttl;
  UploadIntent out;
  out.upload_id = row.id;
  out.request = co_await store().presign_put(spec, uow.now());
  co_await AttachmentRepository::insert_upload(uow.session(), row);
  co_await uow.commit();
  co_return out;
}

awaitable<domain::Attachment> Attachments::complete_upload(const Ctx& ctx, const std::string& opportunity_id,
                                                           const std::string& upload_id) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity o =
      co_await detail::load_for_write(uow, ctx, opportunity_id, std::nullopt, detail::WriteAccess::owner_or_admin);
  if (!util::is_uuid(upload_id)) throw DomainError(ErrorCode::not_found, "Upload not found.");
  auto upload = co_await AttachmentRepository::find_upload(uow.session(), util::to_lower_ascii(upload_id));
  // Someone else's upload is not found, like a foreign opportunity.
  if (!upload || upload->opportunity_id != o.id || upload->created_by != uow.actor_id())
    throw DomainError(ErrorCode::not_found, "Upload not found.");
  if (upload->completed_at) throw DomainError(ErrorCode::conflict, "The upload has been completed already.");

  const auto head = co_await store().head(upload->object_key);
  if (!head) throw DomainError(ErrorCode::conflict, "The file has not been uploaded yet.");
  if (head->size_bytes != static_cast<std::uint64_t>(upload->size_bytes) ||
      head->sha256_hex != upload->checksum_sha256) {
    // Not what was announced: the object goes, nothing is recorded.
    co_await store().remove(upload->object_key);
    throw DomainError(ErrorCode::conflict, "The uploaded file differs from the announced size or SHA-256.");
  }

  domain::Attachment a;
  a.id = upload->id;
  a.file_name = upload->file_name;
  a.content_type = upload->content_type;
  a.size_bytes = upload->size_bytes;
  a.object_key = upload->object_key;
  a.checksum_sha256 = upload->checksum_sha256;
  a.uploaded_by = uow.actor_id();
  a.uploaded_at = uow.now();
  if (!co_await AttachmentRepository::complete_upload(uow.session(), upload->id, uow.now()))
    throw DomainError(ErrorCode::conflict, "The upload has been completed already.");
  co_await AttachmentRepository::insert(uow.session(), o.id, a);
  AuditSpec audit{"attachment.create", "attachment", a.id, std::nullopt, attachment_snapshot(a)};
  co_await uow.audit(audit);
  EventSpec event{"opportunity.attachment_added", o.id, o.version,
                  json::object{{"attachment_id", a.id}, {"attachment", json::value_from(a)}}};
  co_await uow.event(event);
  uow.invalidate_after_commit(cached::opportunity_key(o.id));
  co_await uow.commit();
  co_return a;
}

awaitable<std::vector<domain::Attachment>> Attachments::list(const Ctx& ctx, const std::string& opportunity_id) {
  Opportunities opportunities(ports_);
  const domain::Opportunity o = co_await opportunities.get(ctx, opportunity_id);
  co_return o.attachments;
}

awaitable<objects::SignedRequest> Attachments::download(const Ctx& ctx, const std::string& opportunity_id,
                                                        const std::string& attachment_id) {
  const std::string id = normalize_attachment_id(attachment_id);
  Opportunities opportunities(ports_);
  const domain::Opportunity o = co_await opportunities.get(ctx, opportunity_id);
  auto it = std::find_if(o.attachments.begin(), o.attachments.end(), [&id](const auto& a) { return a.id == id; });
  if (it == o.attachments.end()) attachment_not_found();
  objects::GetSpec spec;
  spec.key = it->object_key;
  spec.file_name = it->file_name;
  spec.content_type = it->content_type;
  spec.ttl = k_download_url_ttl;
  if (download_signer_ != nullptr) co_return download_signer_->sign_get(spec, ports_.clock.now());
  co_return co_await store().presign_get(spec, ports_.clock.now());
}

awaitable<void> Attachments::remove(const Ctx& ctx, const std::string& opportunity_id,
                                    const std::string& attachment_id) {
  const std::string id = normalize_attachment_id(attachment_id);
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  const domain::Opportunity o =
      co_await detail::load_for_write(uow, ctx, opportunity_id, std::nullopt, detail::WriteAccess::owner_or_admin);
  auto it = std::find_if(o.attachments.begin(), o.attachments.end(), [&id](const auto& a) { return a.id == id; });
  if (it == o.attachments.end()) attachment_not_found();
  if (!co_await AttachmentRepository::remove(uow.session(), id, uow.actor_id(), uow.now())) attachment_not_found();
  // The object stays until retention purges it (7 years, like S3's lifecycle rule).
  AuditSpec audit{"attachment.remove", "attachment", id, attachment_snapshot(*it), std::nullopt};
  co_await uow.audit(audit);
  EventSpec event{"opportunity.attachment_removed", o.id, o.version,
                  json::object{{"attachment_id", id}, {"attachment", json::value_from(*it)}}};
  co_await uow.event(event);
  uow.invalidate_after_commit(cached::opportunity_key(o.id));
  co_await uow.commit();
}

}  // namespace oms::app
