#include "identity/local_key.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include "identity/jwks.hpp"
#include "identity/jwt.hpp"
#include "util/encoding.hpp"

namespace oms::identity {
namespace fs = std::filesystem;
namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path unique_temp(const fs::path& target) {
  return fs::path(target.string() + ".tmp-" + util::hex_encode(util::random_bytes(6)));
}

void write_file(const fs::path& path, const std::string& data, fs::perms perms) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + path.string());
    out << data;
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
  }
  fs::permissions(path, perms);
}

std::string role_word(domain::Role role) { return util::to_lower_ascii(domain::to_string(role)); }

}  // namespace

LocalIdentity ensure_local_key(const fs::path& data_dir) {
  fs::create_directories(data_dir);
  const fs::path key_path = data_dir / "jwt_signing_key.pem";
  const fs::path jwks_path = data_dir / "jwks.json";
  if (!fs::exists(key_path)) {
    // Write aside, then hard-link into place: link fails if another process won the race, in
    // which case its key is the one everybody uses.
    const fs::path tmp = unique_temp(key_path);
    write_file(tmp, RsaKey::generate(2048).private_pem(), fs::perms::owner_read | fs::perms::owner_write);
    std::error_code ec;
    fs::create_hard_link(tmp, key_path, ec);
    fs::remove(tmp);
    if (ec && ec != std::errc::file_exists)
      throw std::runtime_error("cannot create " + key_path.string() + ": " + ec.message());
  }
  LocalIdentity id{RsaKey::from_private_pem(read_file(key_path)), "", key_path, jwks_path};
  id.kid = id.key.kid();
  const std::string jwks = jwks_document(id.key, id.kid);
  if (!fs::exists(jwks_path) || read_file(jwks_path) != jwks) {
    const fs::path tmp = unique_temp(jwks_path);
    write_file(tmp, jwks,
               fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
    fs::rename(tmp, jwks_path);
  }
  return id;
}

std::string issue_dev_token(const LocalIdentity& identity, const DevTokenRequest& r, std::chrono::sys_seconds now) {
  const auto t = now.time_since_epoch().count();
  boost::json::object claims;
  claims["sub"] = r.sub.empty() ? default_subject(r.role) : r.sub;
  claims["custom:role"] = domain::to_string(r.role);
  claims["name"] = r.name.empty() ? "Local " + role_word(r.role) : r.name;
  claims["email"] = r.email.empty() ? role_word(r.role) + "@oms.local" : r.email;
  if (r.employee_id) claims["custom:employee_id"] = *r.employee_id;
  if (r.department) claims["custom:department"] = *r.department;
  claims["iss"] = r.issuer;
  claims["aud"] = r.audience;
  claims["token_use"] = "id";  // shaped like a Cognito ID token (cognito_claims.hpp)
  claims["iat"] = t;
  claims["nbf"] = t;
  claims["exp"] = t + r.ttl.count();
  claims["jti"] = util::hex_encode(util::random_bytes(16));
  return sign_token(claims, identity.key, identity.kid);
}

std::string default_subject(domain::Role role) {
  // Name-based: the first 16 bytes of sha256, shaped as an RFC 4122 version 5 style UUID.
  std::string h = util::sha256_hex(std::string("oms-local-user:") + std::string(domain::to_string(role))).substr(0, 32);
  h[12] = '5';
  h[16] = "89ab"[std::stoi(h.substr(16, 1), nullptr, 16) & 3];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20, 12);
}

}  // namespace oms::identity
