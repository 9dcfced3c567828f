#include "domain/status.hpp"

#include <algorithm>
#include <string>

#include "domain/validation.hpp"

namespace oms::domain {
void refuse_transition(Status from, std::string_view action) {
  throw DomainError(ErrorCode::invalid_transition, "Cannot " + std::string(action) + " an opportunity in status " +
                                                       std::string(to_string(from)) + ".");
}

bool is_system_transition(Status from, Status to) noexcept {
  switch (from) {
    case Status::submitted:
      return to == Status::matching_in_progress;
    case Status::matching_in_progress:
      return to == Status::matches_found;
    case Status::matches_found:
      return to == Status::architect_selected;
    case Status::architect_selected:
      return to == Status::completed;
    default:
      return false;
  }
}

void check_system_transition(const Opportunity& o, Status to, const std::optional<std::string>& selected_architect) {
  if (!is_system_transition(o.status, to))
    throw DomainError(ErrorCode::invalid_transition, "Cannot move an opportunity from " +
                                                         std::string(to_string(o.status)) + " to " +
                                                         std::string(to_string(to)) + ".");
  if (to == Status::architect_selected) {
    Validator v;
    if (!selected_architect)
      v.add("selected_architect_id", "is required for ARCHITECT_SELECTED");
    else
      check_text(v, "selected_architect_id", *selected_architect, 1, 255, false);
    v.throw_if_failed();
  }
}

}  // namespace oms::domain
