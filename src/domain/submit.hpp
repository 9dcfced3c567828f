#pragma once
// The submission rule of domain.md: DRAFT -> SUBMITTED once every prerequisite is met (story: submit).
#include <vector>

#include "domain/entities.hpp"
#include "domain/error.hpp"

namespace oms::domain {

// Every unmet submission rule (field + message), empty when the opportunity may be submitted.
std::vector<FieldError> submission_problems(const Opportunity& o);
// Throws INVALID_TRANSITION unless DRAFT, then SUBMISSION_INCOMPLETE listing every unmet rule.
void check_submit(const Opportunity& o);

}  // namespace oms::domain
