#pragma once
// The opportunity state machine of domain.md.
#include <vector>

#include "domain/entities.hpp"
#include "domain/error.hpp"

namespace oms::domain {

inline constexpr auto k_reactivation_window = std::chrono::days(90);

// The system-owned forward steps: SUBMITTED -> MATCHING_IN_PROGRESS -> MATCHES_FOUND ->
// ARCHITECT_SELECTED -> COMPLETED. Only these are allowed through POST .../status.
bool is_system_transition(Status from, Status to) noexcept;
// Throws INVALID_TRANSITION unless is_system_transition; VALIDATION_ERROR when
// ARCHITECT_SELECTED comes without a selected architect id.
void check_system_transition(const Opportunity& o, Status to, const std::optional<std::string>& selected_architect);

// Every unmet submission rule (field + message), empty when the opportunity may be submitted.
std::vector<FieldError> submission_problems(const Opportunity& o);
// Throws INVALID_TRANSITION unless DRAFT, then SUBMISSION_INCOMPLETE listing every unmet rule.
void check_submit(const Opportunity& o);

// Cancel: any status but COMPLETED and CANCELLED (INVALID_TRANSITION); reason 1..500 (VALIDATION_ERROR).
void check_cancel(const Opportunity& o, const std::optional<std::string>& reason);

Timestamp reactivation_deadline(Timestamp cancelled_at) noexcept;
// Only CANCELLED (INVALID_TRANSITION), only until cancelled_at + 90 days inclusive
// (REACTIVATION_WINDOW_EXPIRED). Returns the status to go back to.
Status check_reactivate(const Opportunity& o, Timestamp now);

}  // namespace oms::domain
