#pragma once
// The demo users of the embedded profile: the people scripts/run.sh prints tokens for and the
// web page's development sign-in lists. Never used in the production profile.
#include <string>
#include <vector>

#include "domain/types.hpp"

namespace oms::identity {

struct DemoUser {
  std::string id;  // the token subject
  std::string name;
  std::string email;
  domain::Role role;
};

const std::vector<DemoUser>& demo_users();

}  // namespace oms::identity
