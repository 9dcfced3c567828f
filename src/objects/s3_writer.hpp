#pragma once
// The streaming writer of the s3:// store: S3 multipart upload, SigV4-signed (header
// authentication, the payload's SHA-256 signed too). Bytes are buffered up to one part
// (`part_size`, at least S3's 5 MiB minimum); a full part is sent with UploadPart, the first one
// after CreateMultipartUpload. finish() sends the last (possibly short) part and
// CompleteMultipartUpload; an object smaller than one part is sent with one PutObject instead.
// abort() and the destructor of an unfinished writer send AbortMultipartUpload (the destructor
// in the background); the bucket's lifecycle rule removes uploads that could not be aborted.
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>
#include <vector>

#include "domain/clock.hpp"
#include "objects/aws_credentials.hpp"
#include "objects/s3_store.hpp"
#include "util/http_client.hpp"

namespace oms::objects {

inline constexpr std::size_t k_s3_min_part_size = 5 * 1024 * 1024;
inline constexpr std::size_t k_s3_default_part_size = 8 * 1024 * 1024;

class S3ObjectWriter final : public ObjectWriter {
 public:
  // Throws std::invalid_argument when part_size is below k_s3_min_part_size.
  S3ObjectWriter(boost::asio::any_io_executor executor, S3Location location,
                 std::shared_ptr<CredentialsProvider> credentials, const domain::Clock& clock, std::string key,
                 std::string content_type, std::size_t part_size = k_s3_default_part_size);
  S3ObjectWriter(const S3ObjectWriter&) = delete;
  S3ObjectWriter& operator=(const S3ObjectWriter&) = delete;
  ~S3ObjectWriter() override;

  awaitable<void> write(std::string_view chunk) override;
  awaitable<void> finish() override;
  awaitable<void> abort() override;
  std::uint64_t bytes_written() const noexcept override { return written_; }

  // How many parts were sent (0 when the object went up as one PutObject); for tests.
  std::size_t parts_sent() const noexcept { return etags_.size(); }

 private:
  awaitable<void> send_part();

  boost::asio::any_io_executor executor_;
  S3Location location_;
  std::shared_ptr<CredentialsProvider> credentials_;
  const domain::Clock& clock_;
  std::string key_;
  std::string content_type_;
  std::size_t part_size_;
  std::string buffer_;
  std::string upload_id_;           // set once CreateMultipartUpload answered
  std::vector<std::string> etags_;  // of the parts sent, in order
  std::uint64_t written_ = 0;
  bool done_ = false;
};

// One signed S3 call made by oms (header authentication): `query` holds the operation's
// parameters (decoded), `body` the payload (its SHA-256 is signed); at most `max_reply` bytes of
// the answer's body are read. Exposed for the writer's tests.
awaitable<util::HttpReply> s3_call(boost::asio::any_io_executor executor, const S3Location& location,
                                   CredentialsProvider& credentials, const domain::Clock& clock, std::string method,
                                   const std::string& key, sigv4::Pairs query, std::string body, sigv4::Pairs headers,
                                   std::size_t max_reply = 64 * 1024);

}  // namespace oms::objects
