#include "storage/sqlite/wal_write_buffer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace oms::storage::sqlite {
namespace {

constexpr const char* k_vfs_name = "oms-wal-buffer";
constexpr std::size_t k_max_pending = 512 * 1024;
// SQLite's unix VFS writes at most 128 KiB - 1 bytes a call (seekAndWriteFd masks the size).
constexpr std::size_t k_max_write = 124 * 1024;
// A WAL frame's header: page number, then the database size in pages after a commit (0 otherwise).
constexpr int k_frame_header_bytes = 24;

sqlite3_vfs* g_base = nullptr;  // the default VFS this one wraps (set once, before registering)
std::atomic<std::uint64_t> g_asked{0};
std::atomic<std::uint64_t> g_made{0};

int write_out(sqlite3_file* real, const void* data, int amount, sqlite3_int64 offset) {
  g_made.fetch_add(1, std::memory_order_relaxed);
  return real->pMethods->xWrite(real, data, amount, offset);
}

// A WAL file: the wrapped file lives right after this struct in SQLite's allocation.
struct WalFile {
  sqlite3_file base{};  // first: SQLite sees a sqlite3_file
  sqlite3_file* real = nullptr;
  std::vector<char> pending;  // bytes from pending_at on, not yet written
  sqlite3_int64 pending_at = 0;
  bool commit_page_next = false;  // the commit frame's header was just written; its page comes next
  bool after_commit = false;      // from a commit frame to the next sync every write goes straight out
};

constexpr std::size_t k_real_offset = (sizeof(WalFile) + 15) / 16 * 16;

WalFile& wal(sqlite3_file* file) { return *reinterpret_cast<WalFile*>(file); }
const sqlite3_io_methods& real_methods(WalFile& f) { return *f.real->pMethods; }

int flush(WalFile& f) {
  int rc = SQLITE_OK;
  for (std::size_t done = 0; done < f.pending.size() && rc == SQLITE_OK; done += k_max_write) {
    const std::size_t n = std::min(k_max_write, f.pending.size() - done);
    rc = write_out(f.real, f.pending.data() + done, static_cast<int>(n),
                   f.pending_at + static_cast<sqlite3_int64>(done));
  }
  f.pending.clear();  // on failure too: SQLite rolls the commit back, and stale frames must not land later
  return rc;
}

int wal_close(sqlite3_file* file) {
  WalFile& f = wal(file);
  const int flushed = flush(f);
  const int rc = real_methods(f).xClose(f.real);
  f.~WalFile();
  return flushed != SQLITE_OK ? flushed : rc;
}

int wal_read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xRead(f.real, out, amount, offset);
}

int wal_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& f = wal(file);
  const auto* bytes = static_cast<const char*>(data);
  const auto size = static_cast<std::size_t>(amount);
  g_asked.fetch_add(1, std::memory_order_relaxed);
  if (f.after_commit) {  // checksum rewrites and padding after a commit frame: nothing held back
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    return write_out(f.real, data, amount, offset);
  }
  const sqlite3_int64 pending_end = f.pending_at + static_cast<sqlite3_int64>(f.pending.size());
  if (!f.pending.empty() && offset >= f.pending_at && offset + amount <= pending_end) {
    std::memcpy(f.pending.data() + (offset - f.pending_at), bytes, size);  // a frame rewritten in place
  } else if (size > k_max_write) {
    if (int rc = flush(f); rc != SQLITE_OK) return rc;
    if (int rc = write_out(f.real, data, amount, offset); rc != SQLITE_OK) return rc;
  } else {
    if (f.pending.empty() || offset != pending_end || f.pending.size() + size > k_max_pending) {
      if (int rc = flush(f); rc != SQLITE_OK) return rc;
      f.pending_at = offset;
    }
    f.pending.insert(f.pending.end(), bytes, bytes + size);
  }
  if (f.commit_page_next) {  // the commit frame is complete: out before anyone can be told of it
    f.commit_page_next = false;
    f.after_commit = true;
    return flush(f);
  }
  if (amount == k_frame_header_bytes) {
    std::uint32_t db_pages = 0;
    std::memcpy(&db_pages, bytes + 4, sizeof db_pages);
    f.commit_page_next = db_pages != 0;
  }
  return SQLITE_OK;
}

int wal_truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xTruncate(f.real, size);
}

int wal_sync(sqlite3_file* file, int flags) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  f.after_commit = false;
  return real_methods(f).xSync(f.real, flags);
}

int wal_file_size(sqlite3_file* file, sqlite3_int64* size) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xFileSize(f.real, size);
}

int wal_lock(sqlite3_file* file, int level) { return real_methods(wal(file)).xLock(wal(file).real, level); }
int wal_unlock(sqlite3_file* file, int level) { return real_methods(wal(file)).xUnlock(wal(file).real, level); }
int wal_check_reserved_lock(sqlite3_file* file, int* out) {
  return real_methods(wal(file)).xCheckReservedLock(wal(file).real, out);
}

int wal_file_control(sqlite3_file* file, int op, void* arg) {
  WalFile& f = wal(file);
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  return real_methods(f).xFileControl(f.real, op, arg);
}

int wal_sector_size(sqlite3_file* file) { return real_methods(wal(file)).xSectorSize(wal(file).real); }
int wal_device_characteristics(sqlite3_file* file) {
  return real_methods(wal(file)).xDeviceCharacteristics(wal(file).real);
}

// SQLite maps no shared memory or pages of a WAL file; forwarded all the same.
int wal_shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  WalFile& f = wal(file);
  if (real_methods(f).iVersion < 2 || real_methods(f).xShmMap == nullptr) return SQLITE_IOERR_SHMMAP;
  return real_methods(f).xShmMap(f.real, region, size, extend, out);
}
int wal_shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  WalFile& f = wal(file);
  if (real_methods(f).iVersion < 2 || real_methods(f).xShmLock == nullptr) return SQLITE_IOERR_SHMLOCK;
  return real_methods(f).xShmLock(f.real, offset, n, flags);
}
void wal_shm_barrier(sqlite3_file* file) {
  WalFile& f = wal(file);
  if (real_methods(f).iVersion >= 2 && real_methods(f).xShmBarrier != nullptr) real_methods(f).xShmBarrier(f.real);
}
int wal_shm_unmap(sqlite3_file* file, int delete_flag) {
  WalFile& f = wal(file);
  if (real_methods(f).iVersion < 2 || real_methods(f).xShmUnmap == nullptr) return SQLITE_OK;
  return real_methods(f).xShmUnmap(f.real, delete_flag);
}
int wal_fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  WalFile& f = wal(file);
  *out = nullptr;  // no mapping: SQLite reads instead
  if (int rc = flush(f); rc != SQLITE_OK) return rc;
  if (real_methods(f).iVersion < 3 || real_methods(f).xFetch == nullptr) return SQLITE_OK;
  return real_methods(f).xFetch(f.real, offset, amount, out);
}
int wal_unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  WalFile& f = wal(file);
  if (real_methods(f).iVersion < 3 || real_methods(f).xUnfetch == nullptr) return SQLITE_OK;
  return real_methods(f).xUnfetch(f.real, offset, page);
}

const sqlite3_io_methods k_wal_methods = {
    3,
    wal_close,
    wal_read,
    wal_write,
    wal_truncate,
    wal_sync,
    wal_file_size,
    wal_lock,
    wal_unlock,
    wal_check_reserved_lock,
    wal_file_control,
    wal_sector_size,
    wal_device_characteristics,
    wal_shm_map,
    wal_shm_lock,
    wal_shm_barrier,
    wal_shm_unmap,
    wal_fetch,
    wal_unfetch,
};

int vfs_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  // Every other file is the base VFS's own, opened in place (this VFS's szOsFile covers it).
  if ((flags & SQLITE_OPEN_WAL) == 0) return g_base->xOpen(g_base, name, file, flags, out_flags);
  auto* f = new (file) WalFile();
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + k_real_offset);
  f->real->pMethods = nullptr;
  const int rc = g_base->xOpen(g_base, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (f->real->pMethods != nullptr) f->real->pMethods->xClose(f->real);
    f->~WalFile();
    file->pMethods = nullptr;  // SQLite calls no method of a file whose open failed
    return rc;
  }
  f->base.pMethods = &k_wal_methods;
  return SQLITE_OK;
}

sqlite3_vfs g_vfs{};

void register_vfs() {
  g_base = sqlite3_vfs_find(nullptr);
  if (g_base == nullptr) return;
  // A copy of the base: its other methods ignore the VFS pointer they get or read only its
  // pAppData and mxPathname, which the copy keeps.
  g_vfs = *g_base;
  g_vfs.pNext = nullptr;
  g_vfs.zName = k_vfs_name;
  g_vfs.szOsFile = static_cast<int>(k_real_offset) + g_base->szOsFile;
  g_vfs.xOpen = vfs_open;
  sqlite3_vfs_register(&g_vfs, 0);
}

}  // namespace

WalWriteCounts wal_write_counts() {
  return {g_asked.load(std::memory_order_relaxed), g_made.load(std::memory_order_relaxed)};
}

const char* wal_write_buffer_vfs() {
  static std::once_flag once;
  std::call_once(once, register_vfs);
  return g_base != nullptr ? k_vfs_name : nullptr;
}

}  // namespace oms::storage::sqlite
