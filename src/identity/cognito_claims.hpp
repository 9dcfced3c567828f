#pragma once
// Who a verified token names, by the rules of Amazon Cognito's three token shapes:
//  - ID token      (token_use "id"):     `aud` is the app client; role from `custom:role`, else
//                                         `cognito:groups`; the profile (name, email, custom:*)
//                                         comes from its claims.
//  - access token  (token_use "access", with `username` or `cognito:groups`): `client_id` is the
//                                         app client; role from `cognito:groups`; no profile.
//  - client-credentials token (token_use "access", no `username`, no `cognito:groups`): an app
//                                         client acting for itself; it is the SERVICE role when its
//                                         `scope` holds the configured service scope. Any app
//                                         client of the issuer may hold it: Cognito only grants a
//                                         custom scope to the app clients allowed to request it,
//                                         and machine clients are separate app clients.
// The local development tokens (`oms token`) are ID tokens.
// Signature, issuer and lifetime are checked before this (jwt.cpp).
#include <boost/json/object.hpp>
#include <string>

#include "domain/entities.hpp"

namespace oms::identity {

struct ClaimRules {
  std::string client_id;      // the app client id
  std::string service_scope;  // e.g. "oms/service"; empty: client-credentials tokens are refused
};

enum class TokenKind { id, access, client_credentials };

struct MappedToken {
  domain::Principal principal;
  TokenKind kind{};
};

// Throws DomainError(UNAUTHENTICATED) with a precise detail when the claims name no caller.
MappedToken map_cognito_claims(const boost::json::object& payload, const ClaimRules& rules);

}  // namespace oms::identity
