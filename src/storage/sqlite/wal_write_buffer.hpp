#pragma once
// A SQLite VFS that gathers the writes of a WAL file into one write at the sync.
//
// SQLite writes each WAL frame as two pwrite calls (its 24-byte header, then the page), so a group
// commit of ~6 creates (~65 frames) made ~130 system calls before its fsync; on this VM those
// calls and the fsync after them took ~1.1 ms, against ~0.45 ms for the same bytes in one write
// and the fsync (bench notes in docs/performance.md). This VFS wraps the default one: files other
// than WAL files pass straight through; a WAL file keeps contiguous writes in memory and writes
// them in one call when SQLite syncs it, reads it, asks its size, truncates or closes it, after
// the last frame of a commit (so a commit without a sync — synchronous=NORMAL — is still in the
// file before other connections learn of it), or when 512 KiB are held — in writes of at most
// 124 KiB, as the unix VFS writes no more than 128 KiB - 1 bytes a call. Nothing SQLite has
// synced or published is ever only in memory; what a crash loses is what SQLite had not synced.
#include <cstdint>

namespace oms::storage::sqlite {

// Writes SQLite asked of WAL files and writes made to the file system, since the start.
struct WalWriteCounts {
  std::uint64_t asked = 0;
  std::uint64_t made = 0;
};
WalWriteCounts wal_write_counts();

// Registers the VFS on first use (not as the default) and returns its name for sqlite3_open_v2.
const char* wal_write_buffer_vfs();

}  // namespace oms::storage::sqlite
