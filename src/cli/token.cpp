#include <chrono>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "domain/types.hpp"
#include "identity/local_key.hpp"

namespace oms::cli {
namespace {

constexpr const char* k_help =
    "usage: oms token --role ROLE [--sub ID] [--name NAME] [--email EMAIL] [--ttl SECONDS]\n"
    "                 [--employee-id ID] [--department NAME] [--data-dir D]\n"
    "Prints a development JWT (RS256) signed with <data-dir>/jwt_signing_key.pem, created on\n"
    "first use. ROLE is SALES_MANAGER, ADMIN, SOLUTION_ARCHITECT or SERVICE. Without --sub the\n"
    "subject is a fixed UUID per role. Refused outside the embedded profile.\n";

const std::vector<std::string> k_token_flags{"role", "sub", "name", "email", "ttl", "employee-id", "department"};

}  // namespace

int run_token(const std::vector<std::string>& args) {
  std::vector<std::string> allowed = setting_names();
  allowed.insert(allowed.end(), k_token_flags.begin(), k_token_flags.end());
  Flags flags = parse_flags(args, allowed);
  if (flags.help) {
    std::cout << k_help;
    return 0;
  }
  Flags settings;
  for (const auto& [k, v] : flags.values)
    if (std::find(k_token_flags.begin(), k_token_flags.end(), k) == k_token_flags.end()) settings.values[k] = v;
  // Refuse before anything else, so production settings that are incomplete for signing do
  // not hide the real answer.
  auto profile =
      settings.values.count("profile") ? settings.values["profile"] : process_env("OMS_PROFILE").value_or("");
  if (profile == "production")
    throw ConfigError(
        "refusing to sign: development tokens exist only in the embedded profile (--profile is production)");
  const Config config = resolve_config(settings, process_env);
  if (!config.embedded())
    throw ConfigError("refusing to sign: development tokens exist only in the embedded profile (--profile is " +
                      config.profile + ")");

  auto get = [&](const char* name) -> std::optional<std::string> {
    auto it = flags.values.find(name);
    return it == flags.values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  identity::DevTokenRequest r;
  auto role_text = get("role");
  if (!role_text) throw ConfigError("--role is required (SALES_MANAGER, ADMIN, SOLUTION_ARCHITECT or SERVICE)");
  auto role = domain::parse_enum<domain::Role>(*role_text);
  if (!role)
    throw ConfigError("--role: expected SALES_MANAGER, ADMIN, SOLUTION_ARCHITECT or SERVICE, got \"" + *role_text +
                      "\"");
  r.role = *role;
  if (auto sub = get("sub")) {
    if (sub->empty()) throw ConfigError("--sub: must not be empty");
    r.sub = *sub;
  }
  r.name = get("name").value_or("");
  r.email = get("email").value_or("");
  r.employee_id = get("employee-id");
  r.department = get("department");
  if (auto ttl = get("ttl")) {
    long long v = 0;
    try {
      std::size_t used = 0;
      v = std::stoll(*ttl, &used);
      if (used != ttl->size()) v = 0;
    } catch (const std::exception&) {
      v = 0;
    }
    if (v < 1 || v > 366LL * 24 * 3600)
      throw ConfigError("--ttl: expected seconds from 1 to 31622400, got \"" + *ttl + "\"");
    r.ttl = std::chrono::seconds(v);
  }
  r.issuer = config.jwt_issuer;
  r.audience = config.jwt_client_id;
  const identity::LocalIdentity id = identity::ensure_local_key(config.data_dir);
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::cout << identity::issue_dev_token(id, r, now) << "\n";
  return 0;
}

}  // namespace oms::cli
