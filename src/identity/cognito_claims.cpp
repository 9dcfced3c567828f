#include "identity/cognito_claims.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string_view>

#include "identity/claims.hpp"

namespace oms::identity {
namespace {

using detail::reject_token;
using detail::string_claim;
using domain::Role;

std::optional<std::string> non_empty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

bool audience_matches(const boost::json::value* aud, const std::string& expected) {
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->as_string() == expected;
  if (aud->is_array()) {
    for (const auto& a : aud->as_array())
      if (a.is_string() && a.as_string() == expected) return true;
  }
  return false;
}

// The role named by `cognito:groups`: the first listed group that is a role of this service
// (a pool may hold other groups too). nullopt when the claim is absent; rejects a present claim
// that names no role.
std::optional<Role> role_from_groups(const boost::json::object& p) {
  const auto* groups = p.if_contains("cognito:groups");
  if (groups == nullptr) return std::nullopt;
  if (!groups->is_array()) reject_token("The token's \"cognito:groups\" claim is not an array.");
  std::string seen;
  for (const auto& g : groups->as_array()) {
    if (!g.is_string()) continue;
    if (auto role = domain::parse_enum<Role>(std::string_view(g.as_string()))) return role;
    seen += (seen.empty() ? "" : ", ") + std::string(g.as_string());
  }
  reject_token("None of the token's cognito:groups (" + (seen.empty() ? std::string("none") : seen) +
               ") is a role of this service (SALES_MANAGER, ADMIN, SOLUTION_ARCHITECT, SERVICE).");
}

std::string require_subject(const boost::json::object& p) {
  auto sub = non_empty(string_claim(p, "sub"));
  if (!sub) reject_token("The token has no subject (sub).");
  return std::move(*sub);
}

bool has_scope(std::string_view scopes, std::string_view wanted) {
  while (!scopes.empty()) {
    const auto space = scopes.find(' ');
    if (scopes.substr(0, space) == wanted) return true;
    if (space == std::string_view::npos) break;
    scopes.remove_prefix(space + 1);
  }
  return false;
}

MappedToken map_id_token(const boost::json::object& p, const ClaimRules& rules) {
  if (!audience_matches(p.if_contains("aud"), rules.client_id))
    reject_token("The ID token's audience (aud) is not the configured app client.");
  MappedToken out;
  out.kind = TokenKind::id;
  out.principal.user_id = require_subject(p);
  if (const auto* custom = p.if_contains("custom:role"); custom != nullptr) {
    if (!custom->is_string()) reject_token("The token's \"custom:role\" claim is not a string.");
    const std::string text(custom->as_string());
    auto role = domain::parse_enum<Role>(text);
    if (!role) reject_token("The token's role \"" + text + "\" is not a role of this service.");
    out.principal.role = *role;
  } else if (auto role = role_from_groups(p)) {
    out.principal.role = *role;
  } else {
    reject_token("The ID token has no role claim (custom:role or cognito:groups).");
  }
  auto name = non_empty(string_claim(p, "name"));
  if (!name) {
    auto given = string_claim(p, "given_name").value_or("");
    auto family = string_claim(p, "family_name").value_or("");
    std::string joined = given + (given.empty() || family.empty() ? "" : " ") + family;
    if (!joined.empty()) name = std::move(joined);
  }
  if (!name) name = non_empty(string_claim(p, "cognito:username"));
  out.principal.name = name.value_or("");
  out.principal.email = string_claim(p, "email").value_or("");
  out.principal.employee_id = string_claim(p, "custom:employee_id");
  out.principal.department = string_claim(p, "custom:department");
  out.principal.profile_from_token = true;
  return out;
}

MappedToken map_access_token(const boost::json::object& p, const ClaimRules& rules) {
  auto client_id = non_empty(string_claim(p, "client_id"));
  if (!client_id) reject_token("The access token has no client_id.");
  MappedToken out;
  out.principal.user_id = require_subject(p);
  out.principal.profile_from_token = false;
  auto username = non_empty(string_claim(p, "username"));
  const bool for_user = username.has_value() || p.contains("cognito:groups");
  if (for_user) {
    if (*client_id != rules.client_id) reject_token("The access token's client_id is not the configured app client.");
    auto role = role_from_groups(p);
    if (!role) reject_token("The access token has no cognito:groups claim naming the caller's role.");
    out.kind = TokenKind::access;
    out.principal.role = *role;
    out.principal.name = username.value_or(out.principal.user_id);
    return out;
  }
  // No user: an app client's own token (client-credentials grant).
  if (rules.service_scope.empty())
    reject_token("Client-credentials tokens are not accepted: no service scope is configured.");
  const auto* scope = p.if_contains("scope");
  if (scope == nullptr || !scope->is_string())
    reject_token("The client-credentials token has no scope; it needs \"" + rules.service_scope + "\".");
  if (!has_scope(std::string_view(scope->as_string()), rules.service_scope))
    reject_token("The client-credentials token's scope does not include \"" + rules.service_scope + "\".");
  out.kind = TokenKind::client_credentials;
  out.principal.role = Role::service;
  out.principal.name = *client_id;
  return out;
}

}  // namespace

MappedToken map_cognito_claims(const boost::json::object& payload, const ClaimRules& rules) {
  const auto* use = payload.if_contains("token_use");
  if (use == nullptr)
    reject_token(R"(The token has no token_use claim (a Cognito "id" or "access" token is expected).)");
  if (use->is_string() && use->as_string() == "id") return map_id_token(payload, rules);
  if (use->is_string() && use->as_string() == "access") return map_access_token(payload, rules);
  reject_token(R"(The token's token_use is not accepted ("id" or "access" is expected).)");
}

}  // namespace oms::identity
