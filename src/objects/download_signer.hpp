#pragma once
// A port beside the object store: who signs download URLs when they are not the store's own.
// Set for attachments on S3 with CloudFront configured (objects/cloudfront_signer.hpp): downloads
// then go through the distribution, with CloudFront signed URLs; uploads still go to S3.
#include "objects/object_store.hpp"

namespace oms::objects {

class DownloadSigner {
 public:
  virtual ~DownloadSigner() = default;
  // Throws domain::DomainError UNAVAILABLE when it cannot sign (no usable key).
  virtual SignedRequest sign_get(const GetSpec& spec, domain::Timestamp now) const = 0;
};

}  // namespace oms::objects
