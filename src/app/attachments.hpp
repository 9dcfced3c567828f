#pragma once
// Attachments of an opportunity (api.md; issue 11): the client uploads the bytes itself through a
// pre-signed URL, then completes; oms verifies the object (size and SHA-256) before it records
// anything. Who may do what is the opportunity's rule: owner SM or admin write, whoever sees the
// opportunity reads; a foreign opportunity is NOT_FOUND.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "domain/attachments.hpp"
#include "objects/download_signer.hpp"
#include "objects/object_store.hpp"

namespace oms::app {

inline constexpr std::chrono::minutes k_upload_url_ttl{15};
inline constexpr std::chrono::seconds k_download_url_ttl{60};

// The field rules of what is announced are the domain's (domain/attachments.hpp).
using UploadInput = domain::AttachmentUpload;

struct UploadIntent {
  std::string upload_id;
  objects::SignedRequest request;
};

class Attachments {
 public:
  Attachments(Ports ports, objects::ObjectStore* store) : ports_(ports), store_(store) {}
  awaitable<UploadIntent> start_upload(const Ctx& ctx, const std::string& opportunity_id, UploadInput in);
  awaitable<domain::Attachment> complete_upload(const Ctx& ctx, const std::string& opportunity_id,
                                                const std::string& upload_id);
  awaitable<std::vector<domain::Attachment>> list(const Ctx& ctx, const std::string& opportunity_id);
  awaitable<objects::SignedRequest> download(const Ctx& ctx, const std::string& opportunity_id,
                                             const std::string& attachment_id);
  awaitable<void> remove(const Ctx& ctx, const std::string& opportunity_id, const std::string& attachment_id);
  // Downloads signed by `signer` (CloudFront) instead of the store; nullptr: by the store.
  void use_download_signer(const objects::DownloadSigner* signer) { download_signer_ = signer; }

 private:
  objects::ObjectStore& store() const;

  Ports ports_;
  objects::ObjectStore* store_;
  const objects::DownloadSigner* download_signer_ = nullptr;
};

}  // namespace oms::app
