#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <iostream>

#include "adapters/system_clock.hpp"
#include "adapters/time_ordered_ids.hpp"
#include "app/services.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/database_options.hpp"
#include "cli/run_sync.hpp"
#include "storage/migrations.hpp"
#include "storage/open.hpp"

namespace oms::cli {
namespace {

constexpr const char* k_migrate_help =
    "usage: oms migrate [--database-url U] [--data-dir D] [--config FILE]\n"
    "Applies every pending migration of the database's dialect, then exits.\n";
constexpr const char* k_seed_help =
    "usage: oms seed [--database-url U] [--data-dir D] [--config FILE]\n"
    "Loads the demo skills catalog and two customers; does nothing when skills exist already.\n"
    "In the embedded profile the database is migrated first.\n";

void print_report(const storage::MigrationReport& report) {
  if (report.applied.empty()) {
    std::cout << "database is up to date at " << (report.current.empty() ? "(none)" : report.current) << "\n";
  } else {
    for (const auto& name : report.applied) std::cout << "applied " << name << "\n";
  }
}

}  // namespace

int run_migrate(const std::vector<std::string>& args) {
  Flags flags = parse_flags(args, setting_names());
  if (flags.help) {
    std::cout << k_migrate_help;
    return 0;
  }
  const Config config = resolve_config(flags, process_env);
  if (config.database_url.starts_with("sqlite://")) std::filesystem::create_directories(config.data_dir);
  boost::asio::io_context io;
  auto db = storage::open_database(io.get_executor(), database_options(config));
  const auto report = run_sync(io, storage::migrate(*db));
  db->close();
  print_report(report);
  return 0;
}

int run_seed(const std::vector<std::string>& args) {
  Flags flags = parse_flags(args, setting_names());
  if (flags.help) {
    std::cout << k_seed_help;
    return 0;
  }
  const Config config = resolve_config(flags, process_env);
  if (config.database_url.starts_with("sqlite://")) std::filesystem::create_directories(config.data_dir);
  boost::asio::io_context io;
  auto db = storage::open_database(io.get_executor(), database_options(config));
  if (config.embedded()) print_report(run_sync(io, storage::migrate(*db)));
  adapters::SystemClock clock;
  adapters::TimeOrderedIdGenerator ids;
  app::Ports ports{*db, clock, ids};
  run_sync(io, app::seed_demo(ports));
  db->close();
  std::cout << "demo data present\n";
  return 0;
}

}  // namespace oms::cli
