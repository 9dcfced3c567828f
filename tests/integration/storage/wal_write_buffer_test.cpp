// The WAL write buffer (src/storage/sqlite/wal_write_buffer.hpp) on real files: a commit's frames
// reach the file in one write, and nothing SQLite has synced or published is only in memory.
#include "storage/sqlite/wal_write_buffer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace oms::storage::sqlite {
namespace {

namespace fs = std::filesystem;

class Db {
 public:
  Db(const std::string& file, const char* vfs) {
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK)
      throw std::runtime_error(std::string("open: ") + sqlite3_errmsg(db_));
  }
  ~Db() { sqlite3_close_v2(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(sql.substr(0, 60) + ": " + message);
    }
  }
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db_));
    std::string out;
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr)
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const std::string error = rc == SQLITE_ROW || rc == SQLITE_DONE ? "" : sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    if (!error.empty()) throw std::runtime_error(sql.substr(0, 60) + ": " + error);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

class WalWriteBufferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("OMS_TEST_TMPDIR");
    dir_ = fs::path(base ? base : fs::temp_directory_path().string()) /
           ("wal-buffer-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    file_ = (dir_ / "t.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A writer through the buffer, in WAL mode at `synchronous`, with the table `t`.
  std::unique_ptr<Db> writer(const char* synchronous) {
    auto db = std::make_unique<Db>(file_, wal_write_buffer_vfs());
    db->exec("PRAGMA journal_mode=WAL");
    db->exec(std::string("PRAGMA synchronous=") + synchronous);
    db->exec("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data BLOB)");
    return db;
  }

  fs::path dir_;
  std::string file_;
};

TEST_F(WalWriteBufferTest, ACommitsFramesReachTheFileInOneWrite) {
  ASSERT_NE(wal_write_buffer_vfs(), nullptr);
  auto db = writer("FULL");
  const WalWriteCounts before = wal_write_counts();
  // 40 rows of 3,000 bytes: ~40 pages, two writes asked a frame.
  db->exec(
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) "
      "INSERT INTO t (id, data) SELECT i, randomblob(3000) FROM n; COMMIT");
  const WalWriteCounts after = wal_write_counts();
  EXPECT_GE(after.asked - before.asked, 80u);
  EXPECT_EQ(after.made - before.made, 2u);  // ~165 KiB: two writes of at most 124 KiB
  Db reader(file_, nullptr);
  EXPECT_EQ(reader.text("SELECT count(*) FROM t"), "40");
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
}

// At synchronous=NORMAL SQLite commits without a sync and then tells other connections of the
// new frames: the last frame of a commit must take the frames out with it.
TEST_F(WalWriteBufferTest, ACommitWithoutASyncIsInTheFileBeforeReadersSeeIt) {
  auto db = writer("NORMAL");
  Db reader(file_, nullptr);
  for (int round = 1; round <= 8; ++round) {
    db->exec(
        "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
        "INSERT INTO t (data) SELECT randomblob(2000) FROM n; COMMIT");
    EXPECT_EQ(reader.text("SELECT count(*) FROM t"), std::to_string(round * 10)) << "round " << round;
    EXPECT_EQ(reader.text("SELECT count(*) FROM t WHERE length(data) = 2000"), std::to_string(round * 10));
    // A checkpoint syncs the WAL: the next commit is held in memory again until its last frame.
    db->exec("PRAGMA wal_checkpoint(PASSIVE)");
  }
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
}

// A page cache of 10 pages spills a large transaction's pages into the WAL before its commit,
// and the commit then writes some of those pages again in place and rewrites frames' checksums.
TEST_F(WalWriteBufferTest, PagesWrittenTwiceInOneTransactionLandAsTheirLastVersion) {
  auto db = writer("FULL");
  db->exec("PRAGMA cache_size=10");
  db->exec(
      "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
      "INSERT INTO t (id, data) SELECT i, zeroblob(1000) FROM n; COMMIT");
  db->exec(
      "BEGIN; UPDATE t SET data = randomblob(1000); UPDATE t SET data = randomblob(900) WHERE id % 2 = 0; "
      "UPDATE t SET data = zeroblob(800) WHERE id % 3 = 0; COMMIT");
  Db reader(file_, nullptr);
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reader.text("SELECT count(*) FROM t WHERE length(data) = 800"), "100");
  EXPECT_EQ(reader.text("SELECT count(*) FROM t WHERE length(data) = 900"), "100");  // even, not a multiple of 3
  EXPECT_EQ(reader.text("SELECT count(*) FROM t WHERE length(data) = 1000"), "100");
  EXPECT_EQ(reader.text("SELECT sum(data = zeroblob(800)) FROM t"), "100");
}

// A writer killed after its commits returned loses none of them (at synchronous=FULL a COMMIT
// returns after the sync), and the file it leaves is whole. 50 commits of ~4 frames: past one
// 512 KiB flush, short of an automatic checkpoint.
TEST_F(WalWriteBufferTest, AKilledWriterLeavesEveryCommitAndAWholeFile) {
  constexpr int k_commits = 50;
  writer("FULL");
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(pipe_fds[0]);
    try {
      auto db = writer("FULL");
      for (int round = 1; round <= k_commits; ++round) {
        db->exec(
            "BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) "
            "INSERT INTO t (data) SELECT randomblob(1500) FROM n; COMMIT");
        const char done = 'c';
        if (::write(pipe_fds[1], &done, 1) != 1) ::_exit(2);
      }
      for (;;) ::pause();  // killed here, its connection still open
    } catch (...) {
      ::_exit(3);
    }
  }
  ::close(pipe_fds[1]);
  int committed = 0;
  char done = 0;
  while (committed < k_commits && ::read(pipe_fds[0], &done, 1) == 1) ++committed;
  ::kill(child, SIGKILL);
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer ended on its own: " << status;
  ASSERT_EQ(committed, k_commits);
  Db reader(file_, nullptr);
  EXPECT_EQ(reader.text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reader.text("SELECT count(*) FROM t"), std::to_string(k_commits * 5));
}

}  // namespace
}  // namespace oms::storage::sqlite
