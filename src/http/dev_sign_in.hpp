#pragma once
// The embedded profile's development sign-in, for the web page (registered only there; in the
// production profile these paths are 404):
//   GET  /api/v1/dev/users    the demo users (identity/demo_users.hpp)
//   POST /api/v1/dev/tokens   {"user_id": "sm-1"} -> a token signed with the local key
#include <chrono>
#include <string>
#include <string_view>

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

// The development sign-in makes whoever reaches it any demo user, admin included: it is offered
// only when the server listens on a loopback address (127.0.0.0/8, ::1, localhost), never on
// 0.0.0.0 or a routable address, whatever the profile says.
bool is_loopback_address(std::string_view address);

}  // namespace oms::http
