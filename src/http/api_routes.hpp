#pragma once
// Registers every /api/v1 route (except openapi.json, which the server registers) on a router.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http {

void register_api_routes(Router& router, app::Services& services);

}  // namespace oms::http
