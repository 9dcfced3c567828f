#include "storage/sqlite/backup.hpp"

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace oms::storage::sqlite {
namespace {

constexpr int k_pages_per_step = 256;
constexpr std::chrono::seconds k_bound{300};  // busy retries and restarts end here

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, Closer>;

Handle open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Handle db(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error("cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

void check_integrity(sqlite3* db, const std::string& what) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &raw, nullptr) != SQLITE_OK) {
    throw std::runtime_error(what + ": " + sqlite3_errmsg(db));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  std::string result;
  while (sqlite3_step(raw) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    if (!result.empty()) result += "; ";
    result += text ? text : "";
  }
  if (result != "ok") throw std::runtime_error(what + " failed its integrity check: " + result);
}

// The backup API loop: steps until done, waiting on busy or locked pages, bounded in time.
CopyReport copy(sqlite3* source, sqlite3* dest, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
  if (backup == nullptr) throw std::runtime_error(what + ": " + sqlite3_errmsg(dest));
  const auto deadline = std::chrono::steady_clock::now() + k_bound;
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    rc = sqlite3_backup_step(backup, k_pages_per_step);
    if (rc == SQLITE_DONE) break;
    if (std::chrono::steady_clock::now() > deadline) break;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  }
  CopyReport report;
  report.pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    throw std::runtime_error(what +
                             " did not finish: " + (rc == SQLITE_OK ? "time bound reached" : sqlite3_errstr(rc)));
  }
  return report;
}

std::int64_t file_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

}  // namespace

CopyReport backup_database(const std::string& from, const std::string& to) {
  if (std::filesystem::exists(to)) throw std::runtime_error(to + " exists already: a backup never overwrites");
  if (!std::filesystem::exists(from)) throw std::runtime_error("no database at " + from);
  const std::string partial = to + ".partial";
  std::filesystem::remove(partial);
  CopyReport report;
  {
    Handle source = open(from, SQLITE_OPEN_READONLY);
    Handle dest = open(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    report = copy(source.get(), dest.get(), "the backup of " + from);
    check_integrity(dest.get(), "the backup " + partial);
  }
  std::filesystem::rename(partial, to);
  report.bytes = file_bytes(to);
  return report;
}

CopyReport restore_database(const std::string& from, const std::string& to) {
  if (!std::filesystem::exists(from)) throw std::runtime_error("no backup at " + from);
  Handle source = open(from, SQLITE_OPEN_READONLY);
  check_integrity(source.get(), "the backup " + from);
  Handle dest = open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  CopyReport report = copy(source.get(), dest.get(), "the restore into " + to);
  check_integrity(dest.get(), "the restored database " + to);
  report.bytes = file_bytes(from);
  return report;
}

}  // namespace oms::storage::sqlite
