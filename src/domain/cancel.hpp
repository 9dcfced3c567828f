#pragma once
// Cancelling and reactivating within 90 days (domain.md, state machine; story: cancel).
#include <chrono>
#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "domain/error.hpp"

namespace oms::domain {

inline constexpr auto k_reactivation_window = std::chrono::days(90);

// Cancel: any status but COMPLETED and CANCELLED (INVALID_TRANSITION); reason 1..500 (VALIDATION_ERROR).
void check_cancel(const Opportunity& o, const std::optional<std::string>& reason);

Timestamp reactivation_deadline(Timestamp cancelled_at) noexcept;
// Only CANCELLED (INVALID_TRANSITION), only until cancelled_at + 90 days inclusive
// (REACTIVATION_WINDOW_EXPIRED). Returns the status to go back to.
Status check_reactivate(const Opportunity& o, Timestamp now);

}  // namespace oms::domain
