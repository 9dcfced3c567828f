#pragma once
// The embedded profile's development sign-in, for the web page (registered only there; in the
// production profile these paths are 404):
//   GET  /api/v1/dev/users    the demo users (identity/demo_users.hpp)
//   POST /api/v1/dev/tokens   {"user_id": "sm-1"} -> a token signed with the local key
#include <chrono>
#include <string>

#include "http/router.hpp"
#include "identity/local_key.hpp"

namespace oms::http {

struct DevSignInOptions {
  identity::LocalIdentity identity;
  std::string issuer;
  std::string audience;
  std::chrono::seconds ttl{12 * 3600};
};

void register_dev_sign_in_routes(Router& router, DevSignInOptions options);

}  // namespace oms::http
