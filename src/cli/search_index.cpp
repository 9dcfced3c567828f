// `oms search-index`: indexes for search the opportunities another program wrote into the
// embedded SQLite database (storage/sqlite/search_index.hpp), before oms's next write transaction
// would index them all inside some request. PostgreSQL keeps its search index as it writes.
#include "storage/sqlite/search_index.hpp"

#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config.hpp"

namespace oms::cli {
namespace {

constexpr const char* k_search_index_help =
    "usage: oms search-index [--database-url U] [--data-dir D] [--config FILE]\n"
    "Indexes for search the opportunities another program (an import, rows copied in with SQL)\n"
    "wrote into the embedded SQLite database: they wait in its search queue, unsearchable, until\n"
    "oms's next write transaction indexes all of them inside that transaction. Then merges the\n"
    "index. One transaction: oms's writes wait while it runs. On PostgreSQL there is nothing to do.\n";

}  // namespace

int run_search_index(const std::vector<std::string>& args) {
  Flags flags = parse_flags(args, setting_names());
  if (flags.help) {
    std::cout << k_search_index_help;
    return 0;
  }
  const Config config = resolve_config(flags, process_env);
  constexpr std::string_view prefix = "sqlite://";
  if (!config.database_url.starts_with(prefix)) {
    std::cout << "PostgreSQL indexes every row as it is written: nothing to do\n";
    return 0;
  }
  const std::string file = config.database_url.substr(prefix.size());
  if (file.empty() || file == ":memory:") {
    throw ConfigError("an in-memory database lives only in the process that opened it: nothing to index");
  }
  // Opening a missing file would create an empty database.
  if (!std::filesystem::exists(file)) throw ConfigError("there is no database at " + file);
  const storage::sqlite::SearchBacklogReport report = storage::sqlite::index_search_backlog(file);
  if (report.indexed == 0) {
    std::cout << "the search queue of " << file << " is empty\n";
  } else {
    std::cout << "indexed " << report.indexed << " queued opportunities of " << file
              << " for search and merged the index\n";
  }
  return 0;
}

}  // namespace oms::cli
