#include "objects/file_store.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include "domain/error.hpp"
#include "objects/checksum.hpp"
#include "objects/sigv4.hpp"
#include "util/encoding.hpp"

namespace oms::objects {
namespace {

using domain::DomainError;
using domain::ErrorCode;

std::optional<std::string_view> find(const std::vector<std::pair<std::string, std::string>>& pairs,
                                     std::string_view name) {
  for (const auto& [n, v] : pairs)
    if (n == name) return std::string_view(v);
  return std::nullopt;
}

std::int64_t unix_seconds(domain::Timestamp t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

[[noreturn]] void forbidden(std::string detail) { throw DomainError(ErrorCode::forbidden, std::move(detail)); }

// The SHA-256 an upload was verified against, kept on the file as S3 keeps an object's checksum,
// so head() answers from stat() and this attribute instead of reading and hashing up to 20 MiB
// on the I/O thread. Where the filesystem has no user attributes, head() hashes the content.
constexpr const char* k_sha256_attribute = "user.oms.sha256";

std::optional<std::string> stored_sha256(const std::filesystem::path& path) {
  char hex[64];
  const ssize_t n = ::getxattr(path.c_str(), k_sha256_attribute, hex, sizeof hex);
  if (n != static_cast<ssize_t>(sizeof hex)) return std::nullopt;
  std::string out(hex, sizeof hex);
  if (!std::all_of(out.begin(), out.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }))
    return std::nullopt;
  return out;
}

// Writes `body` to a new file in `dir` (with its verified SHA-256 as an attribute, best effort)
// and flushes it to disk; returns its path.
std::filesystem::path write_temporary(const std::filesystem::path& dir, std::string_view body,
                                      std::string_view sha256_hex) {
  std::filesystem::path tmp = dir / (".tmp-" + util::hex_encode(util::random_bytes(12)));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "create " + tmp.string());
  std::size_t written = 0;
  while (written < body.size()) {
    const ssize_t n = ::write(fd, body.data() + written, body.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw std::system_error(e, std::generic_category(), "write " + tmp.string());
    }
    written += static_cast<std::size_t>(n);
  }
  (void)::fsetxattr(fd, k_sha256_attribute, sha256_hex.data(), sha256_hex.size(), 0);  // ENOTSUP: head() hashes
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int e = errno;
    ::unlink(tmp.c_str());
    throw std::system_error(e, std::generic_category(), "flush " + tmp.string());
  }
  return tmp;
}

}  // namespace

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 512) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = key.find('/', start);
    const std::string_view segment = key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (segment.empty() || segment.size() > 128 || segment.front() == '.') return false;
    for (char c : segment) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

FileStore::FileStore(std::string name, std::filesystem::path root, std::string secret,
                     std::function<std::string()> origin)
    : name_(std::move(name)), root_(std::move(root)), secret_(std::move(secret)), origin_(std::move(origin)) {
  std::filesystem::create_directories(root_);
}

std::filesystem::path FileStore::path_of(std::string_view key) const {
  if (!valid_key(key)) throw DomainError(ErrorCode::not_found, "No such object.");
  return root_ / std::filesystem::path(std::string(key));
}

std::string FileStore::sign(std::string_view text) const { return util::hex_encode(util::hmac_sha256(secret_, text)); }

awaitable<SignedRequest> FileStore::presign_put(PutSpec spec, domain::Timestamp now) {
  path_of(spec.key);
  const std::string expires = std::to_string(unix_seconds(now + spec.ttl));
  const std::string text = "PUT\n" + name_ + "\n" + spec.key + "\n" + expires + "\n" + spec.content_type + "\n" +
                           std::to_string(spec.size_bytes) + "\n" + spec.sha256_hex;
  SignedRequest out;
  out.method = "PUT";
  out.url = origin_() + "/objects/" + name_ + "/" + spec.key + "?expires=" + expires + "&signature=" + sign(text);
  std::string digest;
  for (std::size_t i = 0; i + 1 < spec.sha256_hex.size(); i += 2)
    digest += static_cast<char>(std::stoi(spec.sha256_hex.substr(i, 2), nullptr, 16));
  out.headers = {
      {"Content-Length", std::to_string(spec.size_bytes)},
      {"Content-Type", spec.content_type},
      {"x-amz-checksum-sha256", util::base64_encode(digest)},
  };
  out.expires_at = now + spec.ttl;
  co_return out;
}

awaitable<SignedRequest> FileStore::presign_get(GetSpec spec, domain::Timestamp now) {
  path_of(spec.key);
  const std::string expires = std::to_string(unix_seconds(now + spec.ttl));
  const std::string text =
      "GET\n" + name_ + "\n" + spec.key + "\n" + expires + "\n" + spec.file_name + "\n" + spec.content_type;
  SignedRequest out;
  out.method = "GET";
  out.url = origin_() + "/objects/" + name_ + "/" + spec.key + "?name=" + sigv4::uri_encode(spec.file_name, false) +
            "&type=" + sigv4::uri_encode(spec.content_type, false) + "&expires=" + expires + "&signature=" + sign(text);
  out.expires_at = now + spec.ttl;
  co_return out;
}

awaitable<std::optional<ObjectHead>> FileStore::head(std::string key) {
  if (!valid_key(key)) co_return std::nullopt;
  const auto path = path_of(key);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) co_return std::nullopt;
  ObjectHead out;
  if (auto stored = stored_sha256(path)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec) {
      out.size_bytes = size;
      out.sha256_hex = std::move(*stored);
      co_return out;
    }
  }
  const std::string body = read_file(path);
  out.size_bytes = body.size();
  out.sha256_hex = util::sha256_hex(body);
  co_return out;
}

awaitable<void> FileStore::remove(std::string key) {
  if (!valid_key(key)) co_return;
  std::error_code ec;
  std::filesystem::remove(path_of(key), ec);
  co_return;
}

namespace {

// The expiry and signature of a served request; FORBIDDEN when absent, malformed or past.
std::pair<std::string, std::string> expiry_and_signature(const ServedRequest& r, domain::Timestamp now) {
  const auto expires = find(r.query, "expires");
  const auto signature = find(r.query, "signature");
  if (!expires || !signature) forbidden("The URL is not signed.");
  std::int64_t at = 0;
  const auto [end, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), at);
  if (ec != std::errc() || end != expires->data() + expires->size()) forbidden("The URL's expiry is malformed.");
  if (unix_seconds(now) > at) forbidden("The URL has expired.");
  return {std::string(*expires), std::string(*signature)};
}

void check_signature(const std::string& expected, const std::string& given) {
  if (expected.size() != given.size() || CRYPTO_memcmp(expected.data(), given.data(), expected.size()) != 0)
    forbidden("The signature does not match the request (wrong headers, or an altered URL).");
}

}  // namespace

awaitable<void> FileStore::accept_put(ServedRequest r, domain::Timestamp now) {
  const auto [expires, signature] = expiry_and_signature(r, now);
  const std::string content_type(find(r.headers, "content-type").value_or(""));
  const std::string checksum = sha256_hex_of_checksum(find(r.headers, "x-amz-checksum-sha256").value_or(""));
  const std::string text = "PUT\n" + name_ + "\n" + r.key + "\n" + expires + "\n" + content_type + "\n" +
                           std::to_string(r.body.size()) + "\n" + checksum;
  check_signature(sign(text), signature);
  // The signature bound the header's checksum; the body must have it too.
  if (util::sha256_hex(r.body) != checksum)
    throw DomainError(ErrorCode::validation_error, "The body does not have the signed SHA-256 checksum.",
                      {{"x-amz-checksum-sha256", "does not match the body"}});
  const auto path = path_of(r.key);
  std::filesystem::create_directories(path.parent_path());
  const auto tmp = write_temporary(root_, r.body, checksum);
  // link() refuses an existing name atomically: a replayed URL cannot overwrite an object.
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int e = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && e == EEXIST) throw DomainError(ErrorCode::conflict, "The object has been uploaded already.");
  if (linked != 0) throw std::system_error(e, std::generic_category(), "store " + path.string());
  co_return;
}

awaitable<ServedObject> FileStore::serve_get(ServedRequest r, domain::Timestamp now) {
  const auto [expires, signature] = expiry_and_signature(r, now);
  ServedObject out;
  out.file_name = std::string(find(r.query, "name").value_or(""));
  out.content_type = std::string(find(r.query, "type").value_or(""));
  const std::string text =
      "GET\n" + name_ + "\n" + r.key + "\n" + expires + "\n" + out.file_name + "\n" + out.content_type;
  check_signature(sign(text), signature);
  const auto path = path_of(r.key);
  util::FileHandle file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!file || ::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode))
    throw DomainError(ErrorCode::not_found, "No such object.");
  out.size_bytes = static_cast<std::uint64_t>(st.st_size);
  out.file = std::make_shared<util::FileHandle>(std::move(file));
  co_return out;
}

}  // namespace oms::objects
