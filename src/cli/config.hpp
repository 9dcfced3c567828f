#pragma once
// Configuration of the `oms` subcommands (docs/configuration.md). Precedence: flag > environment
// (OMS_*) > configuration file (--config FILE or OMS_CONFIG; "key = value" lines with the flag
// names) > default. Every value is validated; a bad one stops the process with a ConfigError
// naming the setting.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace oms::cli {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Flags given on the command line, by name without "--".
struct Flags {
  std::map<std::string, std::string> values;
  bool help = false;
};

// Parses "--name value" and "--name=value"; `allowed` lists the names this command accepts.
Flags parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& allowed);

struct Config {
  std::string profile;  // embedded | production
  std::string environment;
  std::string address;
  unsigned short port = 8000;
  unsigned short metrics_port = 0;  // 0: no internal listener
  unsigned io_threads = 1;
  std::filesystem::path data_dir;
  std::string database_url;
  std::optional<std::string> database_replica_url;
  std::optional<std::string> database_password;  // environment only
  std::size_t database_pool_size = 4;            // parse: 20 on PostgreSQL, 4 SQLite readers
  bool database_prepared = true;
  std::string cache_url;
  std::optional<std::string> cache_auth_token;  // environment only (OMS_CACHE_AUTH_TOKEN)
  std::size_t cache_local_tier_mb = 16;         // 0: no in-process tier in front of Redis
  std::string attachments_url;
  std::string exports_url;
  // CloudFront for attachment downloads: all set or all empty (docs/configuration.md).
  std::string attachments_cdn_domain;
  std::string attachments_cdn_key_pair_id;
  std::optional<std::string> attachments_cdn_private_key;  // PEM: from the file or the environment
  std::chrono::seconds exports_url_ttl{300};
  std::string jwt_issuer;
  std::string jwt_client_id;      // --jwt-client-id, or the older --jwt-audience
  std::string jwt_service_scope;  // empty: client-credentials tokens are refused
  std::string cognito_domain;     // Hosted UI base URL for the web page's sign-in; empty: none
  std::string jwks_url;
  bool tracing = false;             // X-Ray segments are sent
  double trace_sample_rate = 0.05;  // --trace-sample-rate
  std::string xray_daemon_address;  // AWS_XRAY_DAEMON_ADDRESS (environment only)
  std::string log_level;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds shutdown_grace{20};
  double rate_limit_per_second = 50;
  double rate_limit_burst = 100;
  // The job worker (`oms worker`, and in-process under `oms serve` when worker_in_serve).
  unsigned worker_concurrency = 4;
  unsigned short worker_port = 8081;
  bool worker_in_serve = true;
  // Admin reads of personal data are audited (app/read_audit.hpp); off only to measure its cost.
  bool audit_reads = true;
  std::chrono::milliseconds worker_poll{500};
  std::chrono::seconds job_lease{60};
  int job_max_attempts = 10;
  std::chrono::milliseconds job_backoff_base{1000};
  std::chrono::seconds job_backoff_max{300};
  int job_retention_days = 7;
  std::chrono::milliseconds outbox_relay_interval{1000};
  bool event_log_sink = true;
  std::vector<std::string> webhook_urls;
  std::optional<std::string> webhook_secret;  // environment only
  std::string webhook_key_id = "k1";
  std::chrono::seconds webhook_timeout{10};
  std::chrono::seconds metrics_emf_interval{60};
  // The HTTP edge (docs/configuration.md, "HTTP edge").
  std::chrono::seconds idle_timeout{75};
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{30};
  std::size_t min_transfer_rate = 1024;  // bytes/s, 0 disables
  std::size_t max_connections = 0;       // 0: from the descriptor limit
  std::chrono::milliseconds database_pool_wait{3000};

  bool embedded() const { return profile == "embedded"; }
};

// The names of the service settings (without "--"), for --help and parse_flags.
const std::vector<std::string>& setting_names();
// One help line per setting: "  --port N   (OMS_HTTP_PORT, default 8000) ...".
std::string settings_help();

// Resolves every setting by precedence and validates it. `env` looks up an environment variable.
Config resolve_config(const Flags& flags, const std::function<std::optional<std::string>(const char*)>& env);

// The process environment.
std::optional<std::string> process_env(const char* name);

}  // namespace oms::cli
