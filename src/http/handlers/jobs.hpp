#pragma once
// /api/v1/admin/jobs: list and inspect the job queue, retry dead jobs; admin only.
#include "app/services.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

void register_job_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
