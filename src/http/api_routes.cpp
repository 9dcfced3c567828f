#include "http/api_routes.hpp"

#include "http/handlers/attachments.hpp"
#include "http/handlers/audit.hpp"
#include "http/handlers/customers.hpp"
#include "http/handlers/data_subjects.hpp"
#include "http/handlers/exports.hpp"
#include "http/handlers/jobs.hpp"
#include "http/handlers/me.hpp"
#include "http/handlers/opportunity_cancel.hpp"
#include "http/handlers/opportunity_create.hpp"
#include "http/handlers/opportunity_describe.hpp"
#include "http/handlers/opportunity_modify.hpp"
#include "http/handlers/opportunity_read.hpp"
#include "http/handlers/opportunity_requirements.hpp"
#include "http/handlers/opportunity_status.hpp"
#include "http/handlers/opportunity_submit.hpp"
#include "http/handlers/opportunity_timeline.hpp"
#include "http/handlers/skills.hpp"
#include "http/handlers/users.hpp"

namespace oms::http {

void register_api_routes(Router& router, app::Services& services) {
  handlers::register_me_routes(router, services);
  handlers::register_user_routes(router, services);
  handlers::register_customer_routes(router, services);
  handlers::register_skill_routes(router, services);
  handlers::register_opportunity_read_routes(router, services);
  handlers::register_opportunity_create_routes(router, services);
  handlers::register_opportunity_describe_routes(router, services);
  handlers::register_opportunity_requirements_routes(router, services);
  handlers::register_opportunity_timeline_routes(router, services);
  handlers::register_opportunity_submit_routes(router, services);
  handlers::register_opportunity_status_routes(router, services);
  handlers::register_opportunity_modify_routes(router, services);
  handlers::register_opportunity_cancel_routes(router, services);
  handlers::register_audit_routes(router, services);
  handlers::register_data_subject_routes(router, services);
  handlers::register_job_routes(router, services);
  handlers::register_attachment_routes(router, services);
  handlers::register_export_routes(router, services);
}

}  // namespace oms::http
