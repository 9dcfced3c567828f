#pragma once
// The file:// object store, the embedded default: objects are files under a root directory, and
// oms serves its own signed, expiring URLs for them at
//   PUT|GET {origin}/objects/{store}/{key}?expires=<unix seconds>&signature=<hex HMAC-SHA256>
// The signature covers the method, store, key and expiry, and for a PUT the content type, length
// and SHA-256 (all checked against the body received), for a GET the offered name and type.
// Writes go to a temporary file in the root and are renamed into place (atomic); a key is checked
// segment by segment so that no path leaves the root.
#include <filesystem>
#include <functional>
#include <string>

#include "objects/object_store.hpp"

namespace oms::objects {

// Keys are "<segment>/<segment>...": each segment 1..128 of [A-Za-z0-9._-], not starting with '.'.
bool valid_key(std::string_view key);

class FileStore final : public ObjectStore, public SelfServedStore {
 public:
  // `secret` signs the URLs; `origin` ("http://127.0.0.1:8000") is read whenever a URL is made
  // (the port is known only once the server listens).
  FileStore(std::string name, std::filesystem::path root, std::string secret, std::function<std::string()> origin);

  awaitable<SignedRequest> presign_put(PutSpec spec, domain::Timestamp now) override;
  awaitable<SignedRequest> presign_get(GetSpec spec, domain::Timestamp now) override;
  awaitable<std::optional<ObjectHead>> head(std::string key) override;
  awaitable<void> remove(std::string key) override;
  // objects/file_writer.cpp: a temporary file in the root, flushed, then renamed over the key.
  awaitable<std::unique_ptr<ObjectWriter>> open_writer(std::string key, std::string content_type) override;

  awaitable<void> accept_put(ServedRequest request, domain::Timestamp now) override;
  awaitable<ServedObject> serve_get(ServedRequest request, domain::Timestamp now) override;

  const std::string& name() const noexcept { return name_; }

 private:
  std::filesystem::path path_of(std::string_view key) const;  // throws NOT_FOUND for an invalid key
  std::string sign(std::string_view text) const;

  std::string name_;
  std::filesystem::path root_;
  std::string secret_;
  std::function<std::string()> origin_;
};

}  // namespace oms::objects
