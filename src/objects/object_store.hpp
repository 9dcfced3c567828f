#pragma once
// The object store port: where attachment and export bytes live. Clients move the bytes
// themselves through pre-signed, expiring URLs; oms only signs, checks (HEAD) and deletes.
// Implementations: file:// (objects/file_store.hpp, served by oms itself) and s3://
// (objects/s3_store.hpp, SigV4). Keys are chosen by oms ("<opportunity id>/<upload id>"), never
// by clients.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/types.hpp"
#include "util/file_handle.hpp"

namespace oms::objects {

template <class T>
using awaitable = boost::asio::awaitable<T>;

struct PutSpec {
  std::string key;
  std::string content_type;
  std::uint64_t size_bytes = 0;
  std::string sha256_hex;  // lower-case hex of the content; bound into the signature
  std::chrono::seconds ttl{900};
};

struct GetSpec {
  std::string key;
  std::string file_name;  // offered to the browser (Content-Disposition: attachment)
  std::string content_type;
  std::chrono::seconds ttl{60};
};

// A request the client makes itself: send exactly these headers, or the store refuses it.
struct SignedRequest {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  domain::Timestamp expires_at{};
};

struct ObjectHead {
  std::uint64_t size_bytes = 0;
  std::string sha256_hex;  // as the store verified it on upload; empty when it has none
  std::string content_type;
};

// A streaming write made by oms itself (exports, data-subject documents): the bytes arrive in
// chunks and become the object only on finish(); before that nobody sees a partial object.
// Memory is bounded (one buffer or one multipart part, whatever the object's size). finish()
// replaces an existing object of the same key, so a retried job overwrites its earlier result.
// abort(), or destroying an unfinished writer, leaves no object behind (best effort on S3: an
// upload that cannot be aborted is removed by the bucket's lifecycle rule for incomplete uploads).
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  // `chunk` must stay valid until the write completes.
  virtual awaitable<void> write(std::string_view chunk) = 0;
  virtual awaitable<void> finish() = 0;
  virtual awaitable<void> abort() = 0;
  virtual std::uint64_t bytes_written() const noexcept = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  virtual awaitable<SignedRequest> presign_put(PutSpec spec, domain::Timestamp now) = 0;
  virtual awaitable<SignedRequest> presign_get(GetSpec spec, domain::Timestamp now) = 0;
  // nullopt: no such object.
  virtual awaitable<std::optional<ObjectHead>> head(std::string key) = 0;
  // Idempotent: removing a missing object is not an error.
  virtual awaitable<void> remove(std::string key) = 0;
  // Starts a streaming write of `key` (objects/object_store.hpp, ObjectWriter).
  virtual awaitable<std::unique_ptr<ObjectWriter>> open_writer(std::string key, std::string content_type) = 0;
};

}  // namespace oms::objects

namespace oms::objects {

// A store whose signed URLs oms serves itself (file://): the HTTP layer hands it the requests
// that arrive at /objects/{store}/... and sends back what it answers.
struct ServedRequest {
  std::string method;                                        // "PUT" or "GET"
  std::string key;                                           // decoded, from the path
  std::vector<std::pair<std::string, std::string>> query;    // decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
};

struct ServedObject {
  std::string content_type;
  std::string file_name;
  // The object, opened for reading: the HTTP layer streams it, so a download never holds the
  // whole object in memory.
  std::shared_ptr<util::FileHandle> file;
  std::uint64_t size_bytes = 0;
};

class SelfServedStore {
 public:
  virtual ~SelfServedStore() = default;
  // Throws domain::DomainError: FORBIDDEN for a bad or expired signature, VALIDATION_ERROR or
  // PAYLOAD_TOO_LARGE when the body or headers differ from what was signed, CONFLICT when the
  // object exists already (a replayed upload), NOT_FOUND for a missing object.
  virtual awaitable<void> accept_put(ServedRequest request, domain::Timestamp now) = 0;
  virtual awaitable<ServedObject> serve_get(ServedRequest request, domain::Timestamp now) = 0;
};

}  // namespace oms::objects
