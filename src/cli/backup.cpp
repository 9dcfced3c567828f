// `oms backup` and `oms restore`: the embedded store's online backup and its restore
// (storage/sqlite/backup.hpp). PostgreSQL is backed up by its own tools (base backups and the
// WAL archive: deploy/local/dr-drill, docs/operations.md).
#include "storage/sqlite/backup.hpp"

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config.hpp"

namespace oms::cli {
namespace {

constexpr const char* k_backup_help =
    "usage: oms backup --to FILE [--database-url U] [--data-dir D] [--config FILE]\n"
    "Copies the embedded SQLite database, online and consistent (SQLite's backup API), into the new\n"
    "file FILE, checks the copy (PRAGMA integrity_check), and only then names it FILE. oms serve and\n"
    "oms worker may keep running.\n";
constexpr const char* k_restore_help =
    "usage: oms restore --from FILE [--database-url U] [--data-dir D] [--config FILE]\n"
    "Checks the backup FILE, then replaces the embedded SQLite database's content with it in one\n"
    "transaction. Stop oms serve and oms worker first (their caches would keep newer rows).\n";

// The file behind a sqlite:// URL; anything else is refused with where to look instead.
std::string sqlite_file(const Config& config, const char* command) {
  constexpr std::string_view prefix = "sqlite://";
  const std::string& url = config.database_url;
  if (url.rfind(prefix, 0) != 0 || url.size() == prefix.size()) {
    throw ConfigError(std::string("oms ") + command +
                      " works on the embedded SQLite store (a sqlite://FILE database URL); PostgreSQL is "
                      "backed up with base backups and its WAL archive (deploy/local/dr-drill, docs/operations.md)");
  }
  return url.substr(prefix.size());
}

// Splits this command's own flag from the settings.
std::pair<Config, std::string> parse(const std::vector<std::string>& args, const char* own, const char* help,
                                     bool& show_help) {
  std::vector<std::string> allowed = setting_names();
  allowed.emplace_back(own);
  Flags flags = parse_flags(args, allowed);
  show_help = flags.help;
  if (show_help) {
    std::cout << help;
    return {};
  }
  auto it = flags.values.find(own);
  if (it == flags.values.end() || it->second.empty()) throw ConfigError(std::string("--") + own + " FILE is required");
  std::string file = it->second;
  flags.values.erase(it);
  return {resolve_config(flags, process_env), file};
}

}  // namespace

int run_backup(const std::vector<std::string>& args) {
  bool help = false;
  auto [config, to] = parse(args, "to", k_backup_help, help);
  if (help) return 0;
  const std::string from = sqlite_file(config, "backup");
  const storage::sqlite::CopyReport report = storage::sqlite::backup_database(from, to);
  std::cout << "backed up " << from << " to " << to << " (" << report.pages << " pages, " << report.bytes
            << " bytes, integrity ok)\n";
  return 0;
}

int run_restore(const std::vector<std::string>& args) {
  bool help = false;
  auto [config, from] = parse(args, "from", k_restore_help, help);
  if (help) return 0;
  const std::string to = sqlite_file(config, "restore");
  const storage::sqlite::CopyReport report = storage::sqlite::restore_database(from, to);
  std::cout << "restored " << from << " into " << to << " (" << report.pages << " pages, integrity ok)\n";
  return 0;
}

}  // namespace oms::cli
