#pragma once
// The s3:// object store: pre-signed PUT/GET URLs (SigV4 query authentication) and signed
// HEAD/DELETE requests made by oms itself.
//
//   s3://BUCKET[/PREFIX][?region=REGION&endpoint=http://127.0.0.1:4569]
//
// Without `endpoint`, objects are addressed virtual-hosted style at
// https://BUCKET.s3.REGION.amazonaws.com; with it, path style at ENDPOINT/BUCKET (a local S3).
// The region defaults to AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1.
#include <boost/asio/any_io_executor.hpp>
#include <memory>

#include "domain/clock.hpp"
#include "objects/aws_credentials.hpp"
#include "objects/object_store.hpp"

namespace oms::objects {

struct S3Location {
  std::string bucket;
  std::string prefix;  // "" or "exports/" (always ends in '/')
  std::string region;
  std::string scheme_host;  // "https://bucket.s3.eu-west-1.amazonaws.com" or "http://127.0.0.1:4569"
  std::string host;         // the Host header: host[:port] (the port only when not the scheme's)
  std::string base_path;    // "" (virtual-hosted) or "/bucket" (path style)
};

// Throws std::invalid_argument naming what is wrong.
S3Location parse_s3_url(std::string_view url, const EnvLookup& env);

// The decoded path of `key` at `location` ("/bucket/prefix/key" or "/prefix/key").
std::string s3_object_path(const S3Location& location, std::string_view key);

// The pre-signed URL and the headers the client must send; `amz_date` is "YYYYMMDDTHHMMSSZ".
SignedRequest s3_presign_put(const S3Location& location, const sigv4::Credentials& credentials, const PutSpec& spec,
                             domain::Timestamp now);
SignedRequest s3_presign_get(const S3Location& location, const sigv4::Credentials& credentials, const GetSpec& spec,
                             domain::Timestamp now);

// "20150830T123600Z"
std::string amz_date(domain::Timestamp t);

class S3Store final : public ObjectStore {
 public:
  S3Store(boost::asio::any_io_executor executor, S3Location location, std::shared_ptr<CredentialsProvider> credentials,
          const domain::Clock& clock)
      : executor_(std::move(executor)),
        location_(std::move(location)),
        credentials_(std::move(credentials)),
        clock_(clock) {}
  awaitable<SignedRequest> presign_put(PutSpec spec, domain::Timestamp now) override;
  awaitable<SignedRequest> presign_get(GetSpec spec, domain::Timestamp now) override;
  awaitable<std::optional<ObjectHead>> head(std::string key) override;
  awaitable<void> remove(std::string key) override;
  // objects/s3_writer.cpp: a multipart upload.
  awaitable<std::unique_ptr<ObjectWriter>> open_writer(std::string key, std::string content_type) override;

 private:
  awaitable<std::optional<std::string>> read_sha256(const std::string& key, std::uint64_t size);

  boost::asio::any_io_executor executor_;
  S3Location location_;
  std::shared_ptr<CredentialsProvider> credentials_;
  const domain::Clock& clock_;
};

}  // namespace oms::objects
