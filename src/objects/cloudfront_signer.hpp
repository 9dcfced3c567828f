#pragma once
// CloudFront signed URLs with a canned policy (the distribution's trusted key group holds the
// public half of the key):
//
//   https://DOMAIN/PATH?QUERY&Expires=EPOCH&Signature=SIG&Key-Pair-Id=ID
//
// SIG is the RSA-SHA1 (PKCS #1 v1.5) signature of the policy
// {"Statement":[{"Resource":"<URL>","Condition":{"DateLessThan":{"AWS:EpochTime":EPOCH}}}]}
// in CloudFront's base64 ('+' -> '-', '=' -> '_', '/' -> '~'). Laid out byte for byte as
// botocore's CloudFrontSigner does (tests/api/test_cloudfront_botocore.py).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "objects/download_signer.hpp"

struct evp_pkey_st;

namespace oms::objects::cloudfront {

// Standard base64 with '+' -> '-', '=' -> '_', '/' -> '~'.
std::string url_safe_base64(std::string_view bytes);

// The canned policy for `resource`, as Python's json.dumps(..., separators=(',', ':')) writes it
// (non-ASCII and control characters as \uXXXX).
std::string canned_policy(std::string_view resource, std::int64_t expires_epoch);

class PrivateKey {
 public:
  // A PEM RSA private key (PKCS #1 or PKCS #8); throws std::invalid_argument otherwise.
  static PrivateKey from_pem(std::string_view pem);
  // RSA-SHA1 PKCS #1 v1.5 signature of `data`.
  std::string sign_sha1(std::string_view data) const;

 private:
  explicit PrivateKey(evp_pkey_st* key);
  std::shared_ptr<evp_pkey_st> key_;
};

// `url` with Expires, Signature and Key-Pair-Id appended ('?' or '&' as the URL needs).
std::string sign_canned_url(std::string_view url, std::int64_t expires_epoch, const PrivateKey& key,
                            std::string_view key_pair_id);

}  // namespace oms::objects::cloudfront

namespace oms::objects {

struct CloudFrontSettings {
  std::string domain;       // the distribution's domain name, "d111111abcdef8.cloudfront.net"
  std::string key_pair_id;  // the CloudFront public key's id
  std::string path_prefix;  // the S3 location's prefix ("" or "a/b/"): the origin is the bucket root
};

// Signs attachment downloads for CloudFront. Without a usable key (`key` empty: the secret still
// holds the stack's placeholder, say) every download is 503 UNAVAILABLE, `key_problem` logged.
class CloudFrontSigner final : public DownloadSigner {
 public:
  CloudFrontSigner(CloudFrontSettings settings, std::optional<cloudfront::PrivateKey> key, std::string key_problem)
      : settings_(std::move(settings)), key_(std::move(key)), key_problem_(std::move(key_problem)) {}
  SignedRequest sign_get(const GetSpec& spec, domain::Timestamp now) const override;
  // The URL before signing: https://DOMAIN/PREFIX/KEY?response-content-disposition=..&response-content-type=..
  std::string resource_url(const GetSpec& spec) const;

 private:
  CloudFrontSettings settings_;
  std::optional<cloudfront::PrivateKey> key_;
  std::string key_problem_;
};

}  // namespace oms::objects
