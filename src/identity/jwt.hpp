#pragma once
// RS256 JSON Web Tokens: signing (development tokens) and verification (every request).
// Verification accepts alg "RS256" only (never "none", never HS256 with a public key as the
// secret), checks the signature against the key named by `kid`, then the claims.
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"
#include "identity/jwks.hpp"

namespace oms::identity {

struct VerifyOptions {
  std::string issuer;
  std::string client_id;            // the app client: `aud` of ID tokens, `client_id` of access tokens
  std::chrono::seconds leeway{60};  // clock skew tolerated for exp and nbf
  std::string service_scope;        // client-credentials tokens with this scope act as SERVICE ("": none)
};

// A token split and decoded, not yet trusted.
struct DecodedToken {
  std::string signing_input;  // "<header>.<payload>" as received
  std::string signature;      // raw bytes
  boost::json::object header;
  boost::json::object payload;
  std::string kid;
};

// Throws DomainError(UNAUTHENTICATED) for anything that is not a well-formed RS256 JWS with a kid.
DecodedToken decode_token(std::string_view token);

// Checks the signature with `key`, the issuer and lifetime at `now`, then maps the claims of
// Cognito's ID, access or client-credentials token (cognito_claims.hpp) to the caller; returns
// it and the token's expiry. Throws DomainError(UNAUTHENTICATED) with a precise detail.
struct VerifiedToken {
  domain::Principal principal;
  std::chrono::sys_seconds expires_at;
};
VerifiedToken verify_decoded(const DecodedToken& token, const RsaKey& key, const VerifyOptions& options,
                             std::chrono::sys_seconds now);

// decode + key lookup + verify_decoded. An unknown kid is UNAUTHENTICATED.
VerifiedToken verify_token(std::string_view token, const KeySet& keys, const VerifyOptions& options,
                           std::chrono::sys_seconds now);

// Signs header {alg: RS256, typ: JWT, kid} and the given payload.
std::string sign_token(const boost::json::object& payload, const RsaKey& key, const std::string& kid);

}  // namespace oms::identity
