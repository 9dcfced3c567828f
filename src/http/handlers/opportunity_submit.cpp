#include "http/handlers/opportunity_submit.hpp"

#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"

namespace oms::http::handlers {
void register_opportunity_submit_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  // submit accepts an empty body; the handler checks the media type of a non-empty one.
  const RouteOptions optional_body{.authenticated = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/submit",
      [s](Request& r) { return fieldless_transition(s->opportunities, r, &app::Opportunities::submit); },
      optional_body);
}

}  // namespace oms::http::handlers
