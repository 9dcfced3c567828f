#include "identity/demo_users.hpp"

namespace oms::identity {

const std::vector<DemoUser>& demo_users() {
  static const std::vector<DemoUser> all{
      {"sm-1", "Sam Seller", "sm-1@example.com", domain::Role::sales_manager},
      {"sm-2", "Sue Second", "sm-2@example.com", domain::Role::sales_manager},
      {"admin-1", "Ada Admin", "admin-1@example.com", domain::Role::admin},
      {"sa-1", "Sol Architect", "sa-1@example.com", domain::Role::solution_architect},
  };
  return all;
}

}  // namespace oms::identity
