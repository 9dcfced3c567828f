#include "objects/store_errors.hpp"

namespace oms::objects {

domain::DomainError store_unavailable(std::string cause) {
  domain::DomainError error(domain::ErrorCode::unavailable, "The file store is unavailable; try again shortly.");
  error.with_log_detail(std::move(cause));
  return error;
}

}  // namespace oms::objects
