#include "cli/config.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "cache/redis_options.hpp"

namespace oms::cli {
namespace {

struct Setting {
  const char* name;
  const char* env;    // nullptr: no environment variable
  const char* value;  // shown in help
  const char* help;
};

// The table of docs/configuration.md (plus the rate limiter).
const std::vector<Setting>& settings() {
  static const std::vector<Setting> all{
      {"profile", "OMS_PROFILE", "embedded", "embedded | production"},
      {"environment", "OMS_ENVIRONMENT", "local", "environment name (log field, metric dimension)"},
      {"address", "OMS_HTTP_ADDRESS", "127.0.0.1", "listen address"},
      {"port", "OMS_HTTP_PORT", "8000", "listen port"},
      {"metrics-port", "OMS_METRICS_PORT", "0; production 9100",
       "internal port for /metrics, same address (0 = off); production serves /metrics only there"},
      {"io-threads", "OMS_IO_THREADS", "cores", "I/O threads"},
      {"data-dir", "OMS_DATA_DIR", "./data", "data directory (embedded profile)"},
      {"database-url", "OMS_DATABASE_URL", "sqlite://<data-dir>/oms.db", "sqlite://FILE or postgresql://..."},
      {"database-replica-url", "OMS_DATABASE_REPLICA_URL", "none", "PostgreSQL read replica"},
      {"database-pool-size", "OMS_DATABASE_POOL_SIZE", "20 (PostgreSQL), 4 (SQLite readers)", "connections per pool"},
      {"database-prepared", "OMS_DATABASE_PREPARED", "true", "use prepared statements (false behind PgBouncer)"},
      {"cache-url", "OMS_CACHE_URL", "memory://", "memory://, none or redis[s]://host:port"},
      {"cache-local-tier-mb", "OMS_CACHE_LOCAL_TIER_MB", "16",
       "in-process tier in front of standalone Redis, MiB (0 = off); invalidated across processes by pub/sub"},
      {"attachments-url", "OMS_ATTACHMENTS_URL", "file://<data-dir>/objects/attachments", "file://DIR or s3://BUCKET"},
      {"exports-url", "OMS_EXPORTS_URL", "file://<data-dir>/objects/exports", "file://DIR or s3://BUCKET"},
      {"attachments-cdn-domain", "OMS_ATTACHMENTS_CDN_DOMAIN", "none",
       "CloudFront domain for attachment downloads (s3:// attachments; signed URLs)"},
      {"attachments-cdn-key-pair-id", "OMS_ATTACHMENTS_CDN_KEY_PAIR_ID", "none",
       "id of the CloudFront public key that verifies the download URLs"},
      {"attachments-cdn-private-key-file", "OMS_ATTACHMENTS_CDN_PRIVATE_KEY_FILE", "none",
       "PEM RSA private key signing them (or the PEM itself in OMS_ATTACHMENTS_CDN_PRIVATE_KEY)"},
      {"exports-url-ttl-seconds", "OMS_EXPORTS_URL_TTL_SECONDS", "300",
       "how long an export's signed download URL is valid"},
      {"jwt-issuer", "OMS_JWT_ISSUER", "oms-local", "accepted token issuer (iss)"},
      {"jwt-client-id", "OMS_JWT_CLIENT_ID", "oms", "app client id: aud of ID tokens, client_id of access tokens"},
      {"jwt-audience", "OMS_JWT_AUDIENCE", "none", "older name of --jwt-client-id (must agree with it)"},
      {"jwt-service-scope", "OMS_JWT_SERVICE_SCOPE", "none", "scope making a client-credentials token SERVICE"},
      {"cognito-domain", "OMS_COGNITO_DOMAIN", "none",
       "Cognito Hosted UI base URL (https://...) the web page signs in with (production)"},
      {"jwks-url", "OMS_JWKS_URL", "file://<data-dir>/jwks.json", "file:// or https:// JWKS"},
      {"trace-sample-rate", "OMS_TRACE_SAMPLE_RATE", "0.05",
       "share of requests traced to X-Ray (0-1) when the caller made no decision; setting it (or "
       "AWS_XRAY_DAEMON_ADDRESS) turns tracing on"},
      {"log-level", "OMS_LOG_LEVEL", "info", "trace | debug | info | warn | error | critical | off"},
      {"max-body-bytes", "OMS_MAX_BODY_BYTES", "1048576", "default request body limit"},
      {"shutdown-grace-seconds", "OMS_SHUTDOWN_GRACE_SECONDS", "20", "drain time on SIGTERM"},
      {"rate-limit-per-second", "OMS_RATE_LIMIT_PER_SECOND", "50", "requests per second per caller (0 disables)"},
      {"rate-limit-burst", "OMS_RATE_LIMIT_BURST", "100", "burst size per caller"},
      {"audit-reads", "OMS_AUDIT_READS", "true", "audit admin reads of personal data (batched, once a second)"},
      {"worker-concurrency", "OMS_WORKER_CONCURRENCY", "4", "jobs a worker runs at once"},
      {"worker-port", "OMS_WORKER_PORT", "8081", "`oms worker` port for /health and /metrics"},
      {"worker-in-serve", "OMS_WORKER_IN_SERVE", "true (embedded), false (production)",
       "`oms serve` also runs the worker in-process"},
      {"worker-poll-ms", "OMS_WORKER_POLL_MS", "500", "wait after finding no job to claim"},
      {"job-lease-seconds", "OMS_JOB_LEASE_SECONDS", "60", "visibility timeout of a claimed job"},
      {"job-max-attempts", "OMS_JOB_MAX_ATTEMPTS", "10", "attempts before a job is dead-lettered"},
      {"job-backoff-base-ms", "OMS_JOB_BACKOFF_BASE_MS", "1000", "first retry delay (doubles, with jitter)"},
      {"job-backoff-max-seconds", "OMS_JOB_BACKOFF_MAX_SECONDS", "300", "longest retry delay"},
      {"job-retention-days", "OMS_JOB_RETENTION_DAYS", "7", "days SUCCEEDED jobs are kept"},
      {"outbox-relay-interval-ms", "OMS_OUTBOX_RELAY_INTERVAL_MS", "1000", "outbox scan period"},
      {"event-log-sink", "OMS_EVENT_LOG_SINK", "true", "log every outbox event as a JSON line"},
      {"webhook-url", "OMS_WEBHOOK_URLS", "none", "comma-separated http(s):// event webhooks"},
      {"webhook-key-id", "OMS_WEBHOOK_KEY_ID", "k1", "key id named in Oms-Signature"},
      {"webhook-timeout-seconds", "OMS_WEBHOOK_TIMEOUT_SECONDS", "10", "time for one webhook delivery"},
      {"metrics-emf-interval-seconds", "OMS_METRICS_EMF_INTERVAL_SECONDS", "60",
       "period of the JobQueueDepth EMF line (0 disables)"},
      {"idle-timeout-seconds", "OMS_HTTP_IDLE_TIMEOUT_SECONDS", "75", "keep-alive idle timeout (above the ALB's 60 s)"},
      {"header-timeout-seconds", "OMS_HTTP_HEADER_TIMEOUT_SECONDS", "10", "time to receive a request header (408)"},
      {"body-timeout-seconds", "OMS_HTTP_BODY_TIMEOUT_SECONDS", "30", "time to receive a request body (408)"},
      {"min-transfer-rate", "OMS_HTTP_MIN_TRANSFER_RATE", "1024", "minimum body rate in bytes/s (0 disables)"},
      {"max-connections", "OMS_HTTP_MAX_CONNECTIONS", "auto",
       "open connections at most (auto: descriptor limit - headroom)"},
      {"database-pool-wait-ms", "OMS_DATABASE_POOL_WAIT_MS", "3000", "longest wait for a pooled connection (503)"},
      {"config", "OMS_CONFIG", "none", "configuration file of key = value lines"},
  };
  return all;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::map<std::string, std::string> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("--config (OMS_CONFIG): cannot read \"" + path + "\"");
  std::map<std::string, std::string> out;
  std::string line;
  int number = 0;
  const auto& known = setting_names();
  while (std::getline(in, line)) {
    ++number;
    std::string t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) throw ConfigError(path + ":" + std::to_string(number) + ": expected \"key = value\"");
    std::string key = trim(std::string_view(t).substr(0, eq));
    if (key.starts_with("--")) key = key.substr(2);
    std::string value = trim(std::string_view(t).substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (key == "config" || std::find(known.begin(), known.end(), key) == known.end())
      throw ConfigError(path + ":" + std::to_string(number) + ": unknown setting \"" + key + "\"");
    out[key] = value;
  }
  return out;
}

struct Source {
  std::string value;
  std::string origin;  // for messages: "--port", "OMS_HTTP_PORT", "file.conf"
};

class Resolver {
 public:
  Resolver(const Flags& flags, const std::function<std::optional<std::string>(const char*)>& env)
      : flags_(flags), env_(env) {
    std::optional<std::string> file;
    if (auto it = flags.values.find("config"); it != flags.values.end()) {
      file = it->second;
    } else {
      file = env("OMS_CONFIG");
    }
    if (file && !file->empty()) file_ = read_config_file(*file), file_name_ = *file;
  }

  std::optional<Source> get(const std::string& name) const {
    if (auto it = flags_.values.find(name); it != flags_.values.end()) return Source{it->second, "--" + name};
    const Setting* s = find(name);
    if (s != nullptr && s->env != nullptr) {
      if (auto v = env_(s->env); v && !v->empty()) return Source{*v, std::string(s->env)};
    }
    if (auto it = file_.find(name); it != file_.end()) return Source{it->second, file_name_ + " (" + name + ")"};
    return std::nullopt;
  }

  std::string label(const std::string& name) const {
    const Setting* s = find(name);
    return "--" + name + (s != nullptr && s->env != nullptr ? std::string(" (") + s->env + ")" : std::string());
  }

 private:
  static const Setting* find(const std::string& name) {
    for (const auto& s : settings())
      if (name == s.name) return &s;
    return nullptr;
  }
  const Flags& flags_;
  const std::function<std::optional<std::string>(const char*)>& env_;
  std::map<std::string, std::string> file_;
  std::string file_name_;
};

[[noreturn]] void bad(const Resolver& r, const std::string& name, const std::string& what, const Source& s) {
  throw ConfigError(r.label(name) + ": " + what + ", got \"" + s.value + "\" (from " + s.origin + ")");
}

template <class T>
T integer(const Resolver& r, const std::string& name, T fallback, long long lo, long long hi) {
  auto s = r.get(name);
  if (!s) return fallback;
  long long v = 0;
  auto [p, ec] = std::from_chars(s->value.data(), s->value.data() + s->value.size(), v);
  if (ec != std::errc() || p != s->value.data() + s->value.size() || v < lo || v > hi)
    bad(r, name, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi), *s);
  return static_cast<T>(v);
}

double number(const Resolver& r, const std::string& name, double fallback, double lo, double hi) {
  auto s = r.get(name);
  if (!s) return fallback;
  char* end = nullptr;
  double v = std::strtod(s->value.c_str(), &end);
  if (s->value.empty() || end != s->value.c_str() + s->value.size() || !(v >= lo && v <= hi))
    bad(r, name,
        "expected a number from " + std::to_string(static_cast<long long>(lo)) + " to " +
            std::to_string(static_cast<long long>(hi)),
        *s);
  return v;
}

bool boolean(const Resolver& r, const std::string& name, bool fallback) {
  auto s = r.get(name);
  if (!s) return fallback;
  std::string v = s->value;
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  bad(r, name, "expected true or false", *s);
}

std::string text(const Resolver& r, const std::string& name, std::string fallback) {
  auto s = r.get(name);
  return s ? s->value : std::move(fallback);
}

void require_scheme(const Resolver& r, const std::string& name, const std::string& value,
                    std::initializer_list<const char*> schemes) {
  for (const char* sch : schemes)
    if (value.starts_with(sch) && value.size() > std::string_view(sch).size()) return;
  std::string list;
  for (const char* sch : schemes) list += (list.empty() ? "" : ", ") + std::string(sch);
  bad(r, name, "expected a URL starting with " + list, Source{value, r.get(name) ? r.get(name)->origin : "default"});
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    std::string item =
        trim(std::string_view(text).substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// CloudFront downloads of attachments: all three or none, only for s3:// attachments. The key
// is read here; whether it parses is checked when the signer is made (cli/object_stores.cpp).
void resolve_attachments_cdn(const Resolver& r, const std::function<std::optional<std::string>(const char*)>& env,
                             Config& c) {
  c.attachments_cdn_domain = text(r, "attachments-cdn-domain", "");
  c.attachments_cdn_key_pair_id = text(r, "attachments-cdn-key-pair-id", "");
  const auto file = r.get("attachments-cdn-private-key-file");
  auto pem = env("OMS_ATTACHMENTS_CDN_PRIVATE_KEY");
  if (pem && pem->empty()) pem.reset();
  if (file && pem)
    throw ConfigError(r.label("attachments-cdn-private-key-file") +
                      ": set either it or OMS_ATTACHMENTS_CDN_PRIVATE_KEY, not both");
  if (file) {
    std::ifstream in(file->value, std::ios::binary);
    std::stringstream text_of;
    text_of << in.rdbuf();
    if (!in || text_of.str().empty()) bad(r, "attachments-cdn-private-key-file", "expected a readable PEM file", *file);
    pem = text_of.str();
  }
  if (c.attachments_cdn_domain.empty() && c.attachments_cdn_key_pair_id.empty() && !pem) return;
  if (c.attachments_cdn_domain.empty() || c.attachments_cdn_key_pair_id.empty() || !pem)
    throw ConfigError(r.label("attachments-cdn-domain") + ", " + r.label("attachments-cdn-key-pair-id") + " and " +
                      r.label("attachments-cdn-private-key-file") +
                      " (or OMS_ATTACHMENTS_CDN_PRIVATE_KEY) go together: set all or none");
  if (!c.attachments_url.starts_with("s3://"))
    bad(r, "attachments-cdn-domain", "needs s3:// attachments (" + r.label("attachments-url") + ")",
        *r.get("attachments-cdn-domain"));
  const bool host_like = std::all_of(c.attachments_cdn_domain.begin(), c.attachments_cdn_domain.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-';
  });
  if (!host_like || c.attachments_cdn_domain.size() > 253)
    bad(r, "attachments-cdn-domain", "expected a host name such as d111111abcdef8.cloudfront.net",
        *r.get("attachments-cdn-domain"));
  const std::string& id = c.attachments_cdn_key_pair_id;
  if (id.size() > 64 ||
      !std::all_of(id.begin(), id.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)); }))
    bad(r, "attachments-cdn-key-pair-id", "expected a CloudFront public key id (letters and digits)",
        *r.get("attachments-cdn-key-pair-id"));
  c.attachments_cdn_private_key = std::move(pem);
}

void resolve_worker(const Resolver& r, const std::function<std::optional<std::string>(const char*)>& env, Config& c) {
  c.worker_concurrency = integer<unsigned>(r, "worker-concurrency", 4, 1, 256);
  c.worker_port = integer<unsigned short>(r, "worker-port", 8081, 0, 65535);
  c.worker_in_serve = boolean(r, "worker-in-serve", c.embedded());
  c.audit_reads = boolean(r, "audit-reads", true);
  c.worker_poll = std::chrono::milliseconds(integer<long>(r, "worker-poll-ms", 500, 10, 60000));
  c.job_lease = std::chrono::seconds(integer<long>(r, "job-lease-seconds", 60, 1, 86400));
  c.job_max_attempts = integer<int>(r, "job-max-attempts", 10, 1, 1000);
  c.job_backoff_base = std::chrono::milliseconds(integer<long>(r, "job-backoff-base-ms", 1000, 1, 3600000));
  c.job_backoff_max = std::chrono::seconds(integer<long>(r, "job-backoff-max-seconds", 300, 1, 86400));
  c.job_retention_days = integer<int>(r, "job-retention-days", 7, 1, 3650);
  c.outbox_relay_interval = std::chrono::milliseconds(integer<long>(r, "outbox-relay-interval-ms", 1000, 10, 3600000));
  c.event_log_sink = boolean(r, "event-log-sink", true);
  if (auto s = r.get("webhook-url")) {
    c.webhook_urls = split_list(s->value);
    for (const auto& url : c.webhook_urls) {
      if (!(url.starts_with("http://") || url.starts_with("https://")) || url.find_first_of(" \t") != std::string::npos)
        bad(r, "webhook-url", "expected comma-separated http:// or https:// URLs", *s);
    }
  }
  if (auto secret = env("OMS_WEBHOOK_SECRET"); secret && !secret->empty()) c.webhook_secret = *secret;
  if (!c.webhook_urls.empty() && (!c.webhook_secret || c.webhook_secret->size() < 16))
    throw ConfigError(r.label("webhook-url") + " needs OMS_WEBHOOK_SECRET (at least 16 characters) to sign deliveries");
  c.webhook_key_id = text(r, "webhook-key-id", "k1");
  if (c.webhook_key_id.empty() || c.webhook_key_id.size() > 64 ||
      !std::all_of(c.webhook_key_id.begin(), c.webhook_key_id.end(),
                   [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_'; }))
    bad(r, "webhook-key-id", "expected 1-64 letters, digits, '-' or '_'", *r.get("webhook-key-id"));
  c.webhook_timeout = std::chrono::seconds(integer<long>(r, "webhook-timeout-seconds", 10, 1, 300));
  c.metrics_emf_interval = std::chrono::seconds(integer<long>(r, "metrics-emf-interval-seconds", 60, 0, 3600));
}

}  // namespace

Flags parse_flags(const std::vector<std::string>& args, const std::vector<std::string>& allowed) {
  Flags out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      continue;
    }
    if (!a.starts_with("--") || a.size() == 2) throw ConfigError("unexpected argument \"" + a + "\"");
    std::string name = a.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      throw ConfigError("unknown option --" + name + " (see --help)");
    if (!value) {
      if (i + 1 >= args.size()) throw ConfigError("--" + name + " needs a value");
      value = args[++i];
    }
    out.values[name] = *value;
  }
  return out;
}

const std::vector<std::string>& setting_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& s : settings()) n.emplace_back(s.name);
    return n;
  }();
  return names;
}

std::string settings_help() {
  std::string out;
  for (const auto& s : settings()) {
    std::string left = std::string("  --") + s.name;
    left.resize(std::max<std::size_t>(left.size() + 1, 28), ' ');
    out += left + s.help + " [" + (s.env != nullptr ? std::string(s.env) + ", " : "") + "default " + s.value + "]\n";
  }
  return out;
}

Config resolve_config(const Flags& flags, const std::function<std::optional<std::string>(const char*)>& env) {
  Resolver r(flags, env);
  Config c;
  c.profile = text(r, "profile", "embedded");
  if (c.profile != "embedded" && c.profile != "production")
    bad(r, "profile", "expected embedded or production", *r.get("profile"));
  c.environment = text(r, "environment", "local");
  if (c.environment.empty() || c.environment.size() > 32 ||
      !std::all_of(c.environment.begin(), c.environment.end(),
                   [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_'; }))
    bad(r, "environment", "expected 1-32 letters, digits, '-' or '_'", *r.get("environment"));
  c.address = text(r, "address", "127.0.0.1");
  if (c.address.empty()) bad(r, "address", "expected an IP address", *r.get("address"));
  c.port = integer<unsigned short>(r, "port", 8000, 0, 65535);
  c.metrics_port = integer<unsigned short>(r, "metrics-port", c.embedded() ? 0 : 9100, 0, 65535);
  if (c.metrics_port != 0 && c.metrics_port == c.port) {
    const auto s = r.get("metrics-port");
    bad(r, "metrics-port", "expected a port other than " + r.label("port"),
        s ? *s : Source{std::to_string(c.metrics_port), "default"});
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  c.io_threads = integer<unsigned>(r, "io-threads", cores, 1, 256);
  c.data_dir = text(r, "data-dir", "./data");
  if (c.data_dir.empty()) bad(r, "data-dir", "expected a directory", *r.get("data-dir"));

  c.database_url = text(r, "database-url", c.embedded() ? "sqlite://" + (c.data_dir / "oms.db").string() : "");
  if (c.database_url.empty()) throw ConfigError(r.label("database-url") + " is required in the production profile");
  require_scheme(r, "database-url", c.database_url, {"sqlite://", "postgresql://", "postgres://"});
  if (auto s = r.get("database-replica-url")) {
    c.database_replica_url = s->value;
    require_scheme(r, "database-replica-url", s->value, {"postgresql://", "postgres://"});
  }
  if (auto p = env("OMS_DATABASE_PASSWORD"); p && !p->empty()) c.database_password = *p;
  // PostgreSQL: the seed's 20 per container (a request waits for the database, not a core, so
  // the pool, not the cores, bounds the requests in flight; bench/run: 4 left GET at 60-90 % of
  // pgbench, 20 at 87-100 %). SQLite: readers, which only its two threads drive.
  const bool sqlite = c.database_url.rfind("sqlite://", 0) == 0;
  c.database_pool_size = integer<std::size_t>(r, "database-pool-size", sqlite ? 4 : 20, 1, 1000);
  c.database_prepared = boolean(r, "database-prepared", true);

  c.cache_url = text(r, "cache-url", "memory://");
  if (c.cache_url != "memory://" && c.cache_url != "none")
    require_scheme(r, "cache-url", c.cache_url, {"memory://", "redis://", "rediss://"});
  if (auto t = env("OMS_CACHE_AUTH_TOKEN"); t && !t->empty()) c.cache_auth_token = *t;
  if (c.cache_url != "memory://" && c.cache_url != "none") {
    try {
      cache::parse_redis_url(c.cache_url, c.cache_auth_token);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(r.label("cache-url") + ": " + e.what());
    }
  }
  c.cache_local_tier_mb = integer<std::size_t>(r, "cache-local-tier-mb", 16, 0, 4096);
  c.attachments_url = text(r, "attachments-url", "file://" + (c.data_dir / "objects" / "attachments").string());
  require_scheme(r, "attachments-url", c.attachments_url, {"file://", "s3://"});
  c.exports_url = text(r, "exports-url", "file://" + (c.data_dir / "objects" / "exports").string());
  require_scheme(r, "exports-url", c.exports_url, {"file://", "s3://"});
  resolve_attachments_cdn(r, env, c);
  c.exports_url_ttl = std::chrono::seconds(integer<long>(r, "exports-url-ttl-seconds", 300, 1, 3600));

  c.jwt_issuer = text(r, "jwt-issuer", c.embedded() ? "oms-local" : "");
  if (c.jwt_issuer.empty()) throw ConfigError(r.label("jwt-issuer") + " is required in the production profile");
  // --jwt-audience is the setting's older name; both may be given only when they agree.
  const auto client_id = r.get("jwt-client-id");
  const auto audience = r.get("jwt-audience");
  if (client_id && audience && client_id->value != audience->value)
    bad(r, "jwt-audience", "expected the same app client id as " + r.label("jwt-client-id"), *audience);
  c.jwt_client_id = client_id ? client_id->value : audience ? audience->value : c.embedded() ? "oms" : "";
  if (c.jwt_client_id.empty()) throw ConfigError(r.label("jwt-client-id") + " is required in the production profile");
  c.jwt_service_scope = text(r, "jwt-service-scope", "");
  if (c.jwt_service_scope.find_first_of(" \t") != std::string::npos)
    bad(r, "jwt-service-scope", "expected one scope name without spaces", *r.get("jwt-service-scope"));
  c.cognito_domain = text(r, "cognito-domain", "");
  // https only; plain http only on this machine (a local stand-in for the Hosted UI in tests).
  const bool loopback_http = c.cognito_domain.starts_with("http://127.0.0.1:") ||
                             c.cognito_domain.starts_with("http://localhost:") ||
                             c.cognito_domain == "http://127.0.0.1" || c.cognito_domain == "http://localhost";
  if (!c.cognito_domain.empty() && !c.cognito_domain.starts_with("https://") && !loopback_http)
    bad(r, "cognito-domain", "expected an https:// URL (http:// only on 127.0.0.1 or localhost)",
        *r.get("cognito-domain"));
  while (c.cognito_domain.ends_with('/')) c.cognito_domain.pop_back();
  c.jwks_url = text(r, "jwks-url", c.embedded() ? "file://" + (c.data_dir / "jwks.json").string() : "");
  if (c.jwks_url.empty()) throw ConfigError(r.label("jwks-url") + " is required in the production profile");
  require_scheme(r, "jwks-url", c.jwks_url, {"file://", "https://"});

  // X-Ray: on when the platform names a daemon (AWS_XRAY_DAEMON_ADDRESS, as ECS does for the
  // sidecar) or a sample rate is set; the daemon then defaults to 127.0.0.1:2000.
  c.trace_sample_rate = number(r, "trace-sample-rate", 0.05, 0, 1);
  if (auto a = env("AWS_XRAY_DAEMON_ADDRESS"); a && !a->empty()) c.xray_daemon_address = *a;
  c.tracing = !c.xray_daemon_address.empty() || r.get("trace-sample-rate").has_value();
  if (c.xray_daemon_address.empty()) c.xray_daemon_address = "127.0.0.1:2000";
  {
    const auto colon = c.xray_daemon_address.rfind(':');
    const std::string port = colon == std::string::npos ? "" : c.xray_daemon_address.substr(colon + 1);
    long long v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (colon == 0 || port.empty() || ec != std::errc() || p != port.data() + port.size() || v < 1 || v > 65535)
      throw ConfigError("AWS_XRAY_DAEMON_ADDRESS: expected host:port, got \"" + c.xray_daemon_address + "\"");
  }
  c.log_level = text(r, "log-level", "info");
  static const std::vector<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end())
    bad(r, "log-level", "expected one of trace, debug, info, warn, error, critical, off", *r.get("log-level"));
  c.max_body_bytes = integer<std::size_t>(r, "max-body-bytes", 1024 * 1024, 1, 1LL << 30);
  c.shutdown_grace = std::chrono::seconds(integer<long>(r, "shutdown-grace-seconds", 20, 0, 3600));
  c.rate_limit_per_second = number(r, "rate-limit-per-second", 50, 0, 1e6);
  c.rate_limit_burst = number(r, "rate-limit-burst", 100, 1, 1e6);
  resolve_worker(r, env, c);
  c.idle_timeout = std::chrono::seconds(integer<long>(r, "idle-timeout-seconds", 75, 1, 3600));
  c.header_timeout = std::chrono::seconds(integer<long>(r, "header-timeout-seconds", 10, 1, 3600));
  c.body_timeout = std::chrono::seconds(integer<long>(r, "body-timeout-seconds", 30, 1, 3600));
  c.min_transfer_rate = integer<std::size_t>(r, "min-transfer-rate", 1024, 0, 1LL << 30);
  if (auto s = r.get("max-connections"); s && s->value != "auto")
    c.max_connections = integer<std::size_t>(r, "max-connections", 0, 1, 10000000);
  c.database_pool_wait = std::chrono::milliseconds(integer<long>(r, "database-pool-wait-ms", 3000, 1, 600000));
  return c;
}

std::optional<std::string> process_env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace oms::cli
