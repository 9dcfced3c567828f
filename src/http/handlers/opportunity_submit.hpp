#pragma once
// The state machine over HTTP: submit, cancel, reactivate, system transitions, and the status and
// change histories.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_opportunity_status_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
