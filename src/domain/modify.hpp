#pragma once
// What may change in which status (domain.md, "Modification rules").
#include <optional>
#include <string>

#include "domain/entities.hpp"

namespace oms::domain {

enum class ModificationMode {
  free,         // DRAFT: anything, no reason needed
  with_reason,  // SUBMITTED, MATCHING_IN_PROGRESS, MATCHES_FOUND: reason 1..500, change records
  forbidden     // ARCHITECT_SELECTED, COMPLETED, CANCELLED
};

ModificationMode modification_mode(Status s) noexcept;
// Throws MODIFICATION_NOT_ALLOWED when forbidden; VALIDATION_ERROR (field "reason") when a reason
// is required and missing or out of range. Returns true when change records must be written.
bool check_modification(Status s, const std::optional<std::string>& reason);

}  // namespace oms::domain
