#pragma once
// Use cases of users (story: users): recorded from tokens on first sight; admins deactivate them.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

class Users {
 public:
  explicit Users(Ports ports) : ports_(ports) {}
  // Called on every authenticated request: records the user on first sight (and refreshes
  // name, email, role when the token says otherwise). Throws FORBIDDEN if deactivated.
  awaitable<domain::User> touch(const domain::Principal&);
  awaitable<domain::User> me(const Ctx&);
  awaitable<Page<domain::User>> list(const Ctx&, PageRequest);                                 // admin
  awaitable<domain::User> set_active(const Ctx&, const std::string& user_id, bool is_active);  // admin

 private:
  awaitable<domain::User> touch_database(const domain::Principal&);
  Ports ports_;
};

}  // namespace oms::app
