// The file:// store: its signed URLs bind what was signed, expire, refuse replays, never leave
// the root, and write atomically.
#include "objects/file_store.hpp"

#include <gtest/gtest.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/url/parse.hpp>
#include <cerrno>
#include <cstring>

#include "domain/error.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"

namespace oms::objects {
namespace {

namespace fs = std::filesystem;

template <class T>
T run(boost::asio::awaitable<T> work) {
  boost::asio::io_context io;
  auto done = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.run();
  return done.get();
}

domain::Timestamp at(const char* text) { return *util::parse_timestamp(text); }

// The request a client makes from a SignedRequest (path and query decoded as the server does).
ServedRequest served(const SignedRequest& s, std::string body) {
  auto url = boost::urls::parse_uri(s.url).value();
  ServedRequest r;
  r.method = s.method;
  std::string path = url.path();
  r.key = path.substr(std::string("/objects/attachments/").size());
  for (const auto& p : url.params()) r.query.emplace_back(p.key, p.value);
  for (const auto& [n, v] : s.headers) r.headers.emplace_back(util::to_lower_ascii(n), v);
  r.body = std::move(body);
  return r;
}

class FileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("OMS_TEST_TMPDIR");
    base_ = fs::path(tmp != nullptr ? tmp : "/tmp") / ("file-store-" + util::hex_encode(util::random_bytes(6)));
    root_ = base_ / "root";
    store_ = std::make_unique<FileStore>("attachments", root_, "secret", [] { return std::string("http://oms"); });
  }
  void TearDown() override { fs::remove_all(base_); }

  PutSpec spec(const std::string& body) {
    PutSpec s;
    s.key = "opp/upload-1";
    s.content_type = "application/pdf";
    s.size_bytes = body.size();
    s.sha256_hex = util::sha256_hex(body);
    return s;
  }

  fs::path base_;
  fs::path root_;
  std::unique_ptr<FileStore> store_;
  const domain::Timestamp now_ = at("2026-11-29T12:00:00Z");
};

TEST_F(FileStoreTest, UploadThenHeadThenDownloadThenRemove) {
  const std::string body = "%PDF-1.7 hello";
  const SignedRequest put = run(store_->presign_put(spec(body), now_));
  EXPECT_EQ(put.expires_at, now_ + std::chrono::minutes(15));
  run(store_->accept_put(served(put, body), now_ + std::chrono::minutes(14)));
  const auto head = run(store_->head("opp/upload-1"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size_bytes, body.size());
  EXPECT_EQ(head->sha256_hex, util::sha256_hex(body));

  GetSpec get_spec{"opp/upload-1", "report q3.pdf", "application/pdf", std::chrono::seconds(60)};
  const SignedRequest get = run(store_->presign_get(get_spec, now_));
  const ServedObject object = run(store_->serve_get(served(get, ""), now_));
  ASSERT_TRUE(object.file && *object.file);  // open, streamed by the HTTP layer
  EXPECT_EQ(object.size_bytes, body.size());
  std::string read(body.size() + 1, '\0');
  EXPECT_EQ(::pread(object.file->get(), read.data(), read.size(), 0), static_cast<ssize_t>(body.size()));
  read.resize(body.size());
  EXPECT_EQ(read, body);
  EXPECT_EQ(object.file_name, "report q3.pdf");
  EXPECT_THROW(run(store_->serve_get(served(get, ""), now_ + std::chrono::seconds(61))), domain::DomainError);

  run(store_->remove("opp/upload-1"));
  EXPECT_FALSE(run(store_->head("opp/upload-1")));
  // Only the object was ever in the root: no temporary file is left behind.
  EXPECT_EQ(std::distance(fs::recursive_directory_iterator(root_), fs::recursive_directory_iterator()), 1);
}

// head() answers from the checksum the upload was verified against (kept on the file, as S3
// keeps it), and hashes the content of a file that has none.
TEST_F(FileStoreTest, HeadAnswersFromTheVerifiedChecksumOrHashesTheContent) {
  const std::string body(300000, 'x');
  const SignedRequest put = run(store_->presign_put(spec(body), now_));
  run(store_->accept_put(served(put, body), now_));
  const fs::path stored = root_ / "opp" / "upload-1";
  char attribute[64];
  ASSERT_EQ(::getxattr(stored.c_str(), "user.oms.sha256", attribute, sizeof attribute), 64)
      << "no user attributes on " << root_ << ": " << std::strerror(errno);
  EXPECT_EQ(std::string(attribute, 64), util::sha256_hex(body));
  auto head = run(store_->head("opp/upload-1"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->size_bytes, body.size());
  EXPECT_EQ(head->sha256_hex, util::sha256_hex(body));

  // A file without the attribute (written by other means): hashed.
  ASSERT_EQ(::removexattr(stored.c_str(), "user.oms.sha256"), 0);
  head = run(store_->head("opp/upload-1"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->sha256_hex, util::sha256_hex(body));
  // An attribute that is not a SHA-256 in hex is not believed.
  ASSERT_EQ(::setxattr(stored.c_str(), "user.oms.sha256", std::string(64, 'Z').data(), 64, 0), 0);
  head = run(store_->head("opp/upload-1"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->sha256_hex, util::sha256_hex(body));
}

TEST_F(FileStoreTest, RefusesExpiredTamperedAlteredAndReplayedUploads) {
  const std::string body = "abc";
  const SignedRequest put = run(store_->presign_put(spec(body), now_));
  auto code_of = [&](ServedRequest r, domain::Timestamp t) {
    try {
      run(store_->accept_put(std::move(r), t));
    } catch (const domain::DomainError& e) {
      return e.code();
    }
    return domain::ErrorCode::internal;  // accepted
  };
  EXPECT_EQ(code_of(served(put, body), now_ + std::chrono::minutes(16)), domain::ErrorCode::forbidden);
  ServedRequest other_type = served(put, body);
  other_type.headers[1].second = "text/html";
  EXPECT_EQ(code_of(other_type, now_), domain::ErrorCode::forbidden);
  EXPECT_EQ(code_of(served(put, "abcd"), now_), domain::ErrorCode::forbidden);        // other length
  EXPECT_EQ(code_of(served(put, "abd"), now_), domain::ErrorCode::validation_error);  // same length, other bytes
  ServedRequest other_key = served(put, body);
  other_key.key = "opp/upload-2";
  EXPECT_EQ(code_of(other_key, now_), domain::ErrorCode::forbidden);
  EXPECT_FALSE(run(store_->head("opp/upload-1")));
  EXPECT_EQ(code_of(served(put, body), now_), domain::ErrorCode::internal);  // the genuine upload
  EXPECT_EQ(code_of(served(put, body), now_), domain::ErrorCode::conflict);  // its replay
}

TEST_F(FileStoreTest, KeysNeverLeaveTheRoot) {
  for (const char* key : {"../x", "a/../../x", "/etc/passwd", "a//b", ".hidden", "a/.tmp-1", "a\\b", "a b", "", "a/"}) {
    SCOPED_TRACE(key);
    EXPECT_FALSE(valid_key(key));
    EXPECT_FALSE(run(store_->head(key)));
    ServedRequest r;
    r.key = key;
    r.query = {{"expires", "9999999999"}, {"signature", "00"}};
    EXPECT_THROW(run(store_->accept_put(r, now_)), domain::DomainError);
  }
  EXPECT_TRUE(valid_key("0b4e-11/1f2a.pdf"));
  EXPECT_FALSE(fs::exists(base_ / "x"));
}

}  // namespace
}  // namespace oms::objects
