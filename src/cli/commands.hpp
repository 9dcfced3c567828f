#pragma once
// The subcommands of `oms`. Each returns the process exit code.
#include <string>
#include <vector>

namespace oms::cli {

inline constexpr const char* k_version = "0.1.0";

int run_serve(const std::vector<std::string>& args);
int run_migrate(const std::vector<std::string>& args);
int run_seed(const std::vector<std::string>& args);
int run_token(const std::vector<std::string>& args);
int run_worker(const std::vector<std::string>& args);
int run_backup(const std::vector<std::string>& args);
int run_restore(const std::vector<std::string>& args);
int run_search_index(const std::vector<std::string>& args);

}  // namespace oms::cli
