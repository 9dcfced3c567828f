// Streaming writes to both object stores: file:// (a temporary file renamed into place) and
// s3:// against a real local S3 that verifies SigV4 (@20minutes/s3rver from tests/s3rver,
// started here on 127.0.0.1): multipart with parts of at least 5 MiB, a small object in one
// PutObject, replacement of an earlier object, nothing visible before finish(), nothing left
// after abort(). s3rver implements Create/UploadPart/CompleteMultipartUpload but not
// AbortMultipartUpload (it answers 405): the abort case checks that no object appears.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/error.hpp"
#include "objects/file_store.hpp"
#include "objects/s3_writer.hpp"
#include "support/free_port.hpp"
#include "support/run_until_done.hpp"
#include "util/encoding.hpp"

extern char** environ;

namespace oms::objects {
namespace {

using oms::testing::run_until_done;

namespace fs = std::filesystem;
namespace asio = boost::asio;
using oms::testing::free_port;

class RealClock final : public domain::Clock {
 public:
  domain::Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
};

fs::path scratch(const std::string& name) {
  const char* tmp = std::getenv("OMS_TEST_TMPDIR");
  fs::path dir = fs::path(tmp != nullptr ? tmp : "/tmp") / (name + "-" + util::hex_encode(util::random_bytes(6)));
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Deterministic bytes that differ from part to part (so a misplaced part changes the hash).
std::string pattern(std::size_t n, char seed) {
  std::string out(n, '\0');
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>(seed + static_cast<char>((i * 31 + i / 4099) % 251));
  return out;
}

awaitable<void> write_in_chunks(ObjectWriter& writer, const std::string& data, std::size_t chunk) {
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    const std::string_view piece = std::string_view(data).substr(at, chunk);
    co_await writer.write(piece);
  }
}

std::vector<fs::path> temporaries(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(root))
    if (e.path().filename().string().starts_with(".tmp-")) out.push_back(e.path());
  return out;
}

// ---------------------------------------------------------------------------------- file://

class FileWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = scratch("file-writer");
    store_ = std::make_unique<FileStore>("exports", base_ / "root", "secret", [] { return std::string("http://oms"); });
  }
  void TearDown() override { fs::remove_all(base_); }
  fs::path root() const { return base_ / "root"; }

  asio::io_context io_;
  fs::path base_;
  std::unique_ptr<FileStore> store_;
};

TEST_F(FileWriterTest, StreamsChunksIntoOneObjectVisibleOnlyAfterFinish) {
  const std::string data = pattern(3 * 1024 * 1024 + 17, 'a');
  auto writer = run_until_done(io_, store_->open_writer("user-1/export-1.csv", "text/csv"));
  run_until_done(io_, write_in_chunks(*writer, data, 1000));
  EXPECT_FALSE(fs::exists(root() / "user-1" / "export-1.csv")) << "visible before finish()";
  EXPECT_EQ(temporaries(root()).size(), 1U);
  run_until_done(io_, writer->finish());
  EXPECT_EQ(writer->bytes_written(), data.size());
  EXPECT_EQ(util::sha256_hex(slurp(root() / "user-1" / "export-1.csv")), util::sha256_hex(data));
  EXPECT_TRUE(temporaries(root()).empty());
}

TEST_F(FileWriterTest, ChunksLargerThanTheBufferAreWrittenWhole) {
  const std::string data = pattern(1024 * 1024, 'x');
  auto writer = run_until_done(io_, store_->open_writer("k/big", "application/octet-stream"));
  run_until_done(io_, writer->write("head:"));
  run_until_done(io_, writer->write(data));
  run_until_done(io_, writer->finish());
  EXPECT_EQ(slurp(root() / "k" / "big"), "head:" + data);
}

TEST_F(FileWriterTest, ARetriedWriteReplacesTheEarlierObject) {
  auto first = run_until_done(io_, store_->open_writer("k/obj", "text/csv"));
  run_until_done(io_, first->write("first, longer content\n"));
  run_until_done(io_, first->finish());
  auto second = run_until_done(io_, store_->open_writer("k/obj", "text/csv"));
  run_until_done(io_, second->write("second\n"));
  run_until_done(io_, second->finish());
  EXPECT_EQ(slurp(root() / "k" / "obj"), "second\n");
}

TEST_F(FileWriterTest, AbortAndAnUnfinishedWriterLeaveNothing) {
  {
    auto writer = run_until_done(io_, store_->open_writer("k/aborted", "text/csv"));
    run_until_done(io_, writer->write(pattern(200000, 'q')));
    run_until_done(io_, writer->abort());
    EXPECT_THROW(run_until_done(io_, writer->write("more")), std::logic_error);
  }
  {
    auto writer = run_until_done(io_, store_->open_writer("k/dropped", "text/csv"));
    run_until_done(io_, writer->write("partial"));
  }  // destroyed unfinished
  EXPECT_FALSE(fs::exists(root() / "k" / "aborted"));
  EXPECT_FALSE(fs::exists(root() / "k" / "dropped"));
  EXPECT_TRUE(temporaries(root()).empty());
}

TEST_F(FileWriterTest, AKeyOutsideTheRootIsRefused) {
  for (const char* key : {"../escape", "a/../../b", "/abs", ".hidden/x", ""}) {
    try {
      run_until_done(io_, store_->open_writer(key, "text/csv"));
      ADD_FAILURE() << key << " was accepted";
    } catch (const domain::DomainError& e) {
      EXPECT_EQ(e.code(), domain::ErrorCode::not_found) << key;
    }
  }
  EXPECT_FALSE(fs::exists(base_ / "escape"));
  EXPECT_TRUE(temporaries(root()).empty());
}

// ------------------------------------------------------------------------------------ s3://

constexpr const char* k_bucket = "oms-exports-test";

// node tests/s3rver/start.js PORT DIR BUCKET, until destroyed (SIGTERM, then waited for).
class S3rver {
 public:
  explicit S3rver(const fs::path& dir) {
    const fs::path start = fs::path(OMS_SOURCE_DIR) / "tests" / "s3rver" / "start.js";
    if (!fs::exists(fs::path(OMS_SOURCE_DIR) / "tests" / "s3rver" / "node_modules"))
      throw std::runtime_error("tests/s3rver/node_modules is missing: run scripts/setup.sh");
    port_ = free_port();
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string port = std::to_string(port_);
    const std::string directory = dir.string();
    std::vector<std::string> args = {"node", start.string(), port, directory, k_bucket};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      throw std::runtime_error("cannot start node");
    }
    FILE* f = ::fdopen(out[0], "r");
    char line[256] = {};
    const bool ready = std::fgets(line, sizeof line, f) != nullptr && std::string(line).starts_with("ready");
    std::fclose(f);
    if (!ready) {
      stop();
      throw std::runtime_error("s3rver did not start");
    }
  }
  ~S3rver() { stop(); }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

std::optional<std::string> env_with(const char* name, const std::string& secret) {
  const std::string n(name);
  if (n == "AWS_ACCESS_KEY_ID") return std::string("S3RVER");
  if (n == "AWS_SECRET_ACCESS_KEY") return secret;
  return std::nullopt;
}

class S3WriterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(scratch("s3-writer"));
    server_ = new S3rver(*dir_);
  }
  static void TearDownTestSuite() {
    delete server_;
    fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    const std::string url = std::string("s3://") + k_bucket + "?endpoint=" + server_->endpoint() + "&region=us-east-1";
    location_ = parse_s3_url(url, [](const char* name) { return env_with(name, "S3RVER"); });
    credentials_ = credentials_with("S3RVER");
  }
  std::shared_ptr<CredentialsProvider> credentials_with(std::string secret) {
    return std::make_shared<CredentialsProvider>(
        io_.get_executor(), [secret](const char* name) { return env_with(name, secret); }, clock_);
  }
  std::unique_ptr<S3ObjectWriter> writer(const std::string& key, std::size_t part_size = k_s3_min_part_size) {
    return std::make_unique<S3ObjectWriter>(io_.get_executor(), location_, credentials_, clock_, key, "text/csv",
                                            part_size);
  }
  // GET (or HEAD) of the object through a signed call: (status, body, content type).
  util::HttpReply fetch(const std::string& key, const char* method = "GET") {
    return run_until_done(
        io_, s3_call(io_.get_executor(), location_, *credentials_, clock_, method, key, {}, "", {}, 64 * 1024 * 1024));
  }

  static fs::path* dir_;
  static S3rver* server_;
  asio::io_context io_;
  RealClock clock_;
  S3Location location_;
  std::shared_ptr<CredentialsProvider> credentials_;
};
fs::path* S3WriterTest::dir_ = nullptr;
S3rver* S3WriterTest::server_ = nullptr;

TEST_F(S3WriterTest, AnObjectLargerThanAPartGoesUpInPartsOfAtLeastFiveMiB) {
  const std::string data = pattern(2 * k_s3_min_part_size + 123457, 'm');
  auto w = writer("exports/multipart.csv");
  run_until_done(io_, write_in_chunks(*w, data, 64 * 1024 + 3));
  EXPECT_EQ(fetch("exports/multipart.csv", "HEAD").status, 404) << "visible before finish()";
  run_until_done(io_, w->finish());
  EXPECT_EQ(w->parts_sent(), 3U);
  EXPECT_EQ(w->bytes_written(), data.size());
  const auto got = fetch("exports/multipart.csv");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.size(), data.size());
  EXPECT_EQ(util::sha256_hex(got.body), util::sha256_hex(data));
  EXPECT_EQ(got.header("content-type").value_or(""), "text/csv");
}

TEST_F(S3WriterTest, ASmallObjectGoesUpInOnePut) {
  auto w = writer("exports/small.csv");
  run_until_done(io_, w->write("id,title\r\n"));
  run_until_done(io_, w->write("1,\"a, b\"\r\n"));
  run_until_done(io_, w->finish());
  EXPECT_EQ(w->parts_sent(), 0U);
  const auto got = fetch("exports/small.csv");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "id,title\r\n1,\"a, b\"\r\n");
}

TEST_F(S3WriterTest, ARetriedWriteReplacesTheEarlierObject) {
  auto first = writer("exports/retried.csv");
  run_until_done(io_, write_in_chunks(*first, pattern(k_s3_min_part_size + 10, 'f'), 1 << 20));
  run_until_done(io_, first->finish());
  const std::string data = pattern(k_s3_min_part_size + 99, 's');
  auto second = writer("exports/retried.csv");
  run_until_done(io_, write_in_chunks(*second, data, 1 << 20));
  run_until_done(io_, second->finish());
  const auto got = fetch("exports/retried.csv");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(util::sha256_hex(got.body), util::sha256_hex(data));
}

TEST_F(S3WriterTest, AnAbortedUploadNeverBecomesAnObject) {
  auto w = writer("exports/aborted.csv");
  run_until_done(io_, write_in_chunks(*w, pattern(k_s3_min_part_size + 1, 'z'), 1 << 20));  // one part sent
  ASSERT_EQ(w->parts_sent(), 1U);
  try {
    run_until_done(io_, w->abort());
  } catch (const std::exception& e) {
    // s3rver has no AbortMultipartUpload (405); real S3 answers 204.
    EXPECT_NE(std::string(e.what()).find("405"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fetch("exports/aborted.csv", "HEAD").status, 404);
  EXPECT_THROW(run_until_done(io_, w->write("more")), std::logic_error);
}

TEST_F(S3WriterTest, EveryCallIsSignedAndAWrongSecretIsRefused) {
  credentials_ = credentials_with("wrong");
  auto w = writer("exports/forged.csv");
  run_until_done(io_, w->write("x"));
  try {
    run_until_done(io_, w->finish());
    ADD_FAILURE() << "a wrongly signed PutObject was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("403"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SignatureDoesNotMatch"), std::string::npos) << e.what();
  }
  credentials_ = credentials_with("S3RVER");
  EXPECT_EQ(fetch("exports/forged.csv", "HEAD").status, 404);
}

TEST(S3Writer, APartBelowFiveMiBIsRefused) {
  asio::io_context io;
  RealClock clock;
  auto credentials = std::make_shared<CredentialsProvider>(
      io.get_executor(), [](const char* name) { return env_with(name, "S3RVER"); }, clock);
  S3Location location;
  EXPECT_THROW(S3ObjectWriter(io.get_executor(), location, credentials, clock, "k", "text/csv", 1024 * 1024),
               std::invalid_argument);
}

}  // namespace
}  // namespace oms::objects
