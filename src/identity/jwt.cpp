#include "identity/jwt.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "identity/claims.hpp"
#include "identity/cognito_claims.hpp"
#include "util/encoding.hpp"

namespace oms::identity {
namespace {

using detail::reject_token;
using detail::string_claim;

boost::json::object decode_json_part(std::string_view part, const char* what) {
  auto bytes = util::base64url_decode(part);
  if (!bytes) reject_token(std::string("The token's ") + what + " is not base64url.");
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*bytes, ec);
  if (ec || !v.is_object()) reject_token(std::string("The token's ") + what + " is not a JSON object.");
  return std::move(v.as_object());
}

// 9999-12-31T23:59:59Z. A NumericDate beyond it could not have the leeway added (int64) or be
// converted from a double without undefined behaviour; found by tests/fuzz/jwt_fuzz.
constexpr double k_max_numeric_date = 253'402'300'799.0;

// NumericDate: seconds since the epoch, integer or not.
std::optional<std::int64_t> time_claim(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) reject_token("The token's \"" + std::string(name) + "\" claim is not a number.");
  const double seconds = v->to_number<double>();  // exact for every integer in range
  if (!(std::fabs(seconds) <= k_max_numeric_date))
    reject_token("The token's \"" + std::string(name) + "\" claim is out of range.");
  return static_cast<std::int64_t>(std::floor(seconds));
}

}  // namespace

DecodedToken decode_token(std::string_view token) {
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    reject_token("The token is not a JWS in compact form (three segments).");
  DecodedToken out;
  out.header = decode_json_part(token.substr(0, first), "header");
  out.payload = decode_json_part(token.substr(first + 1, second - first - 1), "payload");
  auto sig = util::base64url_decode(token.substr(second + 1));
  if (!sig || sig->empty()) reject_token("The token's signature is missing or not base64url.");
  out.signature = std::move(*sig);
  out.signing_input = std::string(token.substr(0, second));
  // Exactly RS256: "none" and symmetric algorithms would let a public key forge tokens.
  if (string_claim(out.header, "alg") != std::optional<std::string>("RS256"))
    reject_token("The token's algorithm is not RS256.");
  auto kid = string_claim(out.header, "kid");
  if (!kid || kid->empty()) reject_token("The token has no key id (kid).");
  out.kid = std::move(*kid);
  return out;
}

VerifiedToken verify_decoded(const DecodedToken& token, const RsaKey& key, const VerifyOptions& options,
                             std::chrono::sys_seconds now) {
  if (!key.verify_sha256(token.signing_input, token.signature)) reject_token("The token's signature is invalid.");
  const auto& p = token.payload;
  if (string_claim(p, "iss") != std::optional<std::string>(options.issuer))
    reject_token("The token's issuer is not accepted.");
  auto exp = time_claim(p, "exp");
  if (!exp) reject_token("The token has no expiry (exp).");
  const auto t = now.time_since_epoch().count();
  const auto leeway = options.leeway.count();
  if (t > *exp + leeway) reject_token("The token has expired.");
  if (auto nbf = time_claim(p, "nbf"); nbf && t + leeway < *nbf) reject_token("The token is not valid yet (nbf).");
  const ClaimRules rules{options.client_id, options.service_scope};
  VerifiedToken out;
  out.principal = map_cognito_claims(p, rules).principal;
  out.expires_at = std::chrono::sys_seconds(std::chrono::seconds(*exp));
  return out;
}

VerifiedToken verify_token(std::string_view token, const KeySet& keys, const VerifyOptions& options,
                           std::chrono::sys_seconds now) {
  DecodedToken decoded = decode_token(token);
  const RsaKey* key = keys.find(decoded.kid);
  if (key == nullptr) reject_token("The token's key id is not known.");
  return verify_decoded(decoded, *key, options, now);
}

std::string sign_token(const boost::json::object& payload, const RsaKey& key, const std::string& kid) {
  boost::json::object header;
  header["alg"] = "RS256";
  header["typ"] = "JWT";
  header["kid"] = kid;
  std::string input = util::base64url_encode(boost::json::serialize(header)) + "." +
                      util::base64url_encode(boost::json::serialize(payload));
  std::string sig = key.sign_sha256(input);
  return input + "." + util::base64url_encode(sig);
}

}  // namespace oms::identity
