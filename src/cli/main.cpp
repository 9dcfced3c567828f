// oms: the Opportunity Management Service. `oms --help` lists the subcommands.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "cli/allocator.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"

namespace {

constexpr const char* k_usage =
    "usage: oms <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve     run the HTTP API (embedded profile: migrates the database first)\n"
    "  migrate   apply the database migrations and exit\n"
    "  seed      load the demo skills catalog and customers (idempotent)\n"
    "  token     print a development JWT signed with the local key (embedded profile only)\n"
    "  worker    run the background job worker (outbox delivery; /health and /metrics on --worker-port)\n"
    "  backup    copy the embedded SQLite database, online and consistent, to a new file\n"
    "  restore   replace the embedded SQLite database's content with a backup\n"
    "  search-index  index for search the rows another program wrote into the SQLite database\n"
    "  version   print the version\n"
    "  help      show this help\n"
    "\n"
    "`oms <command> --help` shows the options of a command. Settings come from flags, then\n"
    "OMS_* environment variables, then --config FILE (key = value lines), then defaults.\n";

}  // namespace

int main(int argc, char** argv) {
  oms::cli::configure_allocator();
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << k_usage;
    return 2;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  try {
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << k_usage;
      return 0;
    }
    if (command == "version" || command == "--version") {
      std::cout << "oms " << oms::cli::k_version << " (" << oms::cli::allocator_name() << ")\n";
      return 0;
    }
    if (command == "serve") return oms::cli::run_serve(args);
    if (command == "migrate") return oms::cli::run_migrate(args);
    if (command == "seed") return oms::cli::run_seed(args);
    if (command == "token") return oms::cli::run_token(args);
    if (command == "worker") return oms::cli::run_worker(args);
    if (command == "backup") return oms::cli::run_backup(args);
    if (command == "restore") return oms::cli::run_restore(args);
    if (command == "search-index") return oms::cli::run_search_index(args);
    std::cerr << "oms: unknown command \"" << command << "\"\n\n" << k_usage;
    return 2;
  } catch (const oms::cli::ConfigError& e) {
    std::cerr << "oms " << command << ": " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "oms " << command << ": " << e.what() << "\n";
    return 1;
  }
}
