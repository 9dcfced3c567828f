#include "domain/types.hpp"

#include <array>
#include <utility>

#include "domain/enum_table.hpp"

namespace oms::domain {
namespace {

using detail::name_of;
using detail::value_named;

constexpr std::array<std::pair<Role, std::string_view>, 4> k_roles{{{Role::sales_manager, "SALES_MANAGER"},
                                                                    {Role::admin, "ADMIN"},
                                                                    {Role::solution_architect, "SOLUTION_ARCHITECT"},
                                                                    {Role::service, "SERVICE"}}};
constexpr std::array<std::pair<Status, std::string_view>, 7> k_statuses{
    {{Status::draft, "DRAFT"},
     {Status::submitted, "SUBMITTED"},
     {Status::matching_in_progress, "MATCHING_IN_PROGRESS"},
     {Status::matches_found, "MATCHES_FOUND"},
     {Status::architect_selected, "ARCHITECT_SELECTED"},
     {Status::completed, "COMPLETED"},
     {Status::cancelled, "CANCELLED"}}};
constexpr std::array<std::pair<Priority, std::string_view>, 4> k_priorities{
    {{Priority::low, "LOW"}, {Priority::medium, "MEDIUM"}, {Priority::high, "HIGH"}, {Priority::critical, "CRITICAL"}}};
constexpr std::array<std::pair<Importance, std::string_view>, 2> k_importances{
    {{Importance::must_have, "MUST_HAVE"}, {Importance::nice_to_have, "NICE_TO_HAVE"}}};
constexpr std::array<std::pair<Proficiency, std::string_view>, 8> k_proficiencies{
    {{Proficiency::beginner, "BEGINNER"},
     {Proficiency::intermediate, "INTERMEDIATE"},
     {Proficiency::advanced, "ADVANCED"},
     {Proficiency::expert, "EXPERT"},
     {Proficiency::basic, "BASIC"},
     {Proficiency::conversational, "CONVERSATIONAL"},
     {Proficiency::fluent, "FLUENT"},
     {Proficiency::native, "NATIVE"}}};
constexpr std::array<std::pair<SkillCategory, std::string_view>, 4> k_categories{
    {{SkillCategory::technical, "TECHNICAL"},
     {SkillCategory::soft, "SOFT"},
     {SkillCategory::industry, "INDUSTRY"},
     {SkillCategory::language, "LANGUAGE"}}};

}  // namespace

std::string_view to_string(Role v) noexcept { return name_of(k_roles, v); }
std::string_view to_string(Status v) noexcept { return name_of(k_statuses, v); }
std::string_view to_string(Priority v) noexcept { return name_of(k_priorities, v); }
std::string_view to_string(Importance v) noexcept { return name_of(k_importances, v); }
std::string_view to_string(Proficiency v) noexcept { return name_of(k_proficiencies, v); }
std::string_view to_string(SkillCategory v) noexcept { return name_of(k_categories, v); }

template <>
std::optional<Role> parse_enum<Role>(std::string_view t) noexcept {
  return value_named(k_roles, t);
}
template <>
std::optional<Status> parse_enum<Status>(std::string_view t) noexcept {
  return value_named(k_statuses, t);
}
template <>
std::optional<Priority> parse_enum<Priority>(std::string_view t) noexcept {
  return value_named(k_priorities, t);
}
template <>
std::optional<Importance> parse_enum<Importance>(std::string_view t) noexcept {
  return value_named(k_importances, t);
}
template <>
std::optional<Proficiency> parse_enum<Proficiency>(std::string_view t) noexcept {
  return value_named(k_proficiencies, t);
}
template <>
std::optional<SkillCategory> parse_enum<SkillCategory>(std::string_view t) noexcept {
  return value_named(k_categories, t);
}

int priority_rank(Priority p) noexcept { return static_cast<int>(p); }

}  // namespace oms::domain
