#pragma once
// Authorization (domain.md, "Actors and what they may do"). Another Sales Manager's opportunity
// is reported as NOT_FOUND, never FORBIDDEN.
#include <vector>

#include "domain/entities.hpp"

namespace oms::domain {

bool can_view(const Principal& p, const Opportunity& o) noexcept;
// Throws NOT_FOUND unless can_view.
void require_view(const Principal& p, const Opportunity& o);
// Owner SM or admin may change, submit, cancel, reactivate. Throws NOT_FOUND when the caller
// cannot even see it; FORBIDDEN when it can see but not change (SA, SERVICE).
void require_owner_or_admin(const Principal& p, const Opportunity& o);
// Change history: owner SM or admin (NOT_FOUND when invisible, FORBIDDEN for SA/SERVICE).
void require_view_changes(const Principal& p, const Opportunity& o);
// System transitions: SERVICE or ADMIN (NOT_FOUND when invisible, FORBIDDEN otherwise).
void require_system(const Principal& p, const Opportunity& o);
// Route-level role gate: throws FORBIDDEN unless the caller has one of the roles.
void require_role(const Principal& p, const std::vector<Role>& roles);

}  // namespace oms::domain
