#include "domain/policy.hpp"

#include <algorithm>

#include "domain/error.hpp"

namespace oms::domain {
namespace {

bool is_owner(const Principal& p, const Opportunity& o) noexcept {
  return p.role == Role::sales_manager && !p.user_id.empty() && o.sales_manager_id == p.user_id;
}

[[noreturn]] void forbid(std::string_view what) {
  throw DomainError(ErrorCode::forbidden, "Your role may not " + std::string(what) + " this opportunity.");
}

}  // namespace

bool can_view(const Principal& p, const Opportunity& o) noexcept {
  switch (p.role) {
    case Role::admin:
    case Role::service:
      return true;
    case Role::sales_manager:
      return is_owner(p, o);
    case Role::solution_architect:
      return o.status != Status::draft;
  }
  return false;
}

void require_view(const Principal& p, const Opportunity& o) {
  if (!can_view(p, o)) throw DomainError(ErrorCode::not_found, "Opportunity not found.");
}

void require_owner_or_admin(const Principal& p, const Opportunity& o) {
  require_view(p, o);
  if (p.role != Role::admin && !is_owner(p, o)) forbid("change");
}

void require_view_changes(const Principal& p, const Opportunity& o) {
  require_view(p, o);
  if (p.role != Role::admin && !is_owner(p, o)) forbid("read the change history of");
}

void require_system(const Principal& p, const Opportunity& o) {
  require_view(p, o);
  if (p.role != Role::admin && p.role != Role::service) forbid("make system transitions on");
}

void require_role(const Principal& p, const std::vector<Role>& roles) {
  if (std::find(roles.begin(), roles.end(), p.role) == roles.end())
    throw DomainError(ErrorCode::forbidden, "Your role (" + std::string(to_string(p.role)) + ") may not do this.");
}

}  // namespace oms::domain
