#pragma once
// The opportunity state machine of domain.md.
#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"
#include "domain/error.hpp"

namespace oms::domain {

// Throws INVALID_TRANSITION: "Cannot <action> an opportunity in status <from>." (submit, cancel,
// reactivate: src/domain/submit.hpp, cancel.hpp).
[[noreturn]] void refuse_transition(Status from, std::string_view action);

// The system-owned forward steps: SUBMITTED -> MATCHING_IN_PROGRESS -> MATCHES_FOUND ->
// ARCHITECT_SELECTED -> COMPLETED. Only these are allowed through POST .../status (story: track).
bool is_system_transition(Status from, Status to) noexcept;
// Throws INVALID_TRANSITION unless is_system_transition; VALIDATION_ERROR when
// ARCHITECT_SELECTED comes without a selected architect id.
void check_system_transition(const Opportunity& o, Status to, const std::optional<std::string>& selected_architect);

}  // namespace oms::domain
