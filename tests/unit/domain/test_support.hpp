#pragma once
// Builders shared by the domain unit tests.
#include <gtest/gtest.h>

#include <array>
#include <functional>
#include <string>

#include "domain/entities.hpp"
#include "domain/error.hpp"

namespace oms::domain::testing {

using namespace std::chrono_literals;

inline constexpr std::array<Status, 7> k_all_statuses{
    Status::draft,         Status::submitted,          Status::matching_in_progress,
    Status::matches_found, Status::architect_selected, Status::completed,
    Status::cancelled};
inline constexpr std::array<Role, 4> k_all_roles{Role::sales_manager, Role::admin, Role::solution_architect,
                                                 Role::service};

inline const std::string k_owner_id = "sm-owner";

// `n` copies of a string (e.g. a multibyte character).
inline std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

inline Date date(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// An opportunity that meets every submission rule.
inline Opportunity complete_opportunity(Status status = Status::draft) {
  Opportunity o;
  o.id = "6f1c2a9e-0b7d-4c1e-9a55-0d3b8e6f4a21";
  o.title = "Cloud migration for ACME";
  o.description = "Move the billing platform to the cloud.";
  o.customer_id = "0b5d8b1e-6f43-4a9f-8e0c-6c1f2e3d4a5b";
  o.sales_manager_id = k_owner_id;
  o.priority = Priority::high;
  o.annual_recurring_revenue = Money{12'500'000, "USD"};
  o.geographic_requirements = GeographicRequirements{"EMEA", false, true};
  o.status = status;
  o.problem_statement = ProblemStatement{repeat("x", 140), {}};
  // Initialised, not assigned member by member: g++ 12 -O3 reports the latter as a
  // -Wmaybe-uninitialized false positive inside std::string.
  const SkillRequirement r{.id = "r1",
                           .skill_id = "s1",
                           .skill_name = "Kubernetes",
                           .skill_type = SkillCategory::technical,
                           .importance = Importance::must_have,
                           .minimum_proficiency = Proficiency::advanced};
  o.skill_requirements.push_back(r);
  o.timeline = Timeline{date(2026, 3, 1), date(2026, 6, 30), {}, false};
  return o;
}

inline Principal principal(Role role, std::string user_id) {
  Principal p;
  p.user_id = std::move(user_id);
  p.role = role;
  p.name = "Test User";
  p.email = "test@example.com";
  return p;
}

// Runs `f`, expecting a DomainError with `code`; returns it for further checks.
inline DomainError expect_error(ErrorCode code, const std::function<void()>& f) {
  try {
    f();
  } catch (const DomainError& e) {
    EXPECT_EQ(error_code_name(e.code()), error_code_name(code)) << e.detail();
    return e;
  }
  ADD_FAILURE() << "expected DomainError " << error_code_name(code) << ", nothing was thrown";
  return DomainError(ErrorCode::internal, "not thrown");
}

inline bool has_field(const std::vector<FieldError>& errors, std::string_view field) {
  for (const auto& e : errors)
    if (e.field == field) return true;
  return false;
}

}  // namespace oms::domain::testing
