#pragma once
// /api/v1/customers: create, list and read customers.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_customer_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
