#pragma once
// The embedded profile's own identity provider: a signing key kept in the data directory
// (<data-dir>/jwt_signing_key.pem, PKCS#8, RSA 2048) and its JWKS (<data-dir>/jwks.json),
// created on first use, and the development tokens `oms token` prints.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "domain/types.hpp"
#include "identity/rsa_key.hpp"

namespace oms::identity {

inline constexpr const char* k_local_issuer = "oms-local";
inline constexpr const char* k_local_audience = "oms";

struct LocalIdentity {
  RsaKey key;
  std::string kid;
  std::filesystem::path private_key_path;
  std::filesystem::path jwks_path;
};

// Loads the key, creating it (and the data directory) when absent; safe when several processes
// start at once. Rewrites jwks.json when it is missing. Throws std::runtime_error.
LocalIdentity ensure_local_key(const std::filesystem::path& data_dir);

struct DevTokenRequest {
  domain::Role role = domain::Role::sales_manager;
  std::string sub;    // empty: default_subject(role)
  std::string name;   // empty: "Local <role>"
  std::string email;  // empty: "<role>@oms.local"
  std::optional<std::string> employee_id;
  std::optional<std::string> department;
  std::chrono::seconds ttl{3600};
  std::string issuer = k_local_issuer;
  std::string audience = k_local_audience;
};

std::string issue_dev_token(const LocalIdentity& identity, const DevTokenRequest& request,
                            std::chrono::sys_seconds now);

// A stable UUID per role, so that tokens issued for a role without --sub name the same user.
std::string default_subject(domain::Role role);

}  // namespace oms::identity
