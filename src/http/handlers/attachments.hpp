#pragma once
// Attachment routes (api.md): upload intent, complete, list, download (302), delete; and the
// routes of the stores whose signed URLs oms serves itself (file://): PUT/GET /objects/{store}/...
#include <string>
#include <utility>
#include <vector>

#include "app/services.hpp"
#include "http/router.hpp"
#include "objects/object_store.hpp"

namespace oms::http::handlers {

void register_attachment_routes(Router& router, app::Services& services);

struct ServedStore {
  std::string name;  // the {store} path segment
  objects::SelfServedStore* store = nullptr;
  std::size_t max_body_bytes = 0;
};
void register_object_routes(Router& router, std::vector<ServedStore> stores, const domain::Clock& clock);

}  // namespace oms::http::handlers
