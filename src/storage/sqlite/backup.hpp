#pragma once
// Online, consistent copies of an SQLite database through SQLite's backup API: a backup reads
// one snapshot of the live database (writers may go on; the copy restarts if one writes through
// another connection mid-copy, bounded) into a new file, checks it (PRAGMA integrity_check) and
// only then moves it into place. A restore checks the backup first and copies it into the
// database as one transaction, so readers see the old or the new content, never a mix.
#include <cstdint>
#include <string>

namespace oms::storage::sqlite {

struct CopyReport {
  std::int64_t pages = 0;
  std::int64_t bytes = 0;
};

// Copies the database at `from` into the new file `to` (which must not exist). Throws
// std::runtime_error with the reason.
CopyReport backup_database(const std::string& from, const std::string& to);
// Replaces the content of the database at `to` (created if missing) with the backup at `from`.
CopyReport restore_database(const std::string& from, const std::string& to);

}  // namespace oms::storage::sqlite
