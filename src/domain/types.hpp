#pragma once
// Enumerations of the domain and their wire names (UPPER_SNAKE_CASE), plus time types.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oms::domain {

// The same types as util::Timestamp and util::Date (util/time.hpp reads and writes them).
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;  // always UTC
using Date = std::chrono::sys_days;

enum class Role { sales_manager, admin, solution_architect, service };
enum class Status { draft, submitted, matching_in_progress, matches_found, architect_selected, completed, cancelled };
enum class Priority { low, medium, high, critical };
enum class Importance { must_have, nice_to_have };
enum class Proficiency { beginner, intermediate, advanced, expert, basic, conversational, fluent, native };
enum class SkillCategory { technical, soft, industry, language };

std::string_view to_string(Role v) noexcept;
std::string_view to_string(Status v) noexcept;
std::string_view to_string(Priority v) noexcept;
std::string_view to_string(Importance v) noexcept;
std::string_view to_string(Proficiency v) noexcept;
std::string_view to_string(SkillCategory v) noexcept;

// Parse a wire name; std::nullopt for anything else (exact, case-sensitive match).
template <class E>
std::optional<E> parse_enum(std::string_view text) noexcept;
template <>
std::optional<Role> parse_enum<Role>(std::string_view) noexcept;
template <>
std::optional<Status> parse_enum<Status>(std::string_view) noexcept;
template <>
std::optional<Priority> parse_enum<Priority>(std::string_view) noexcept;
template <>
std::optional<Importance> parse_enum<Importance>(std::string_view) noexcept;
template <>
std::optional<Proficiency> parse_enum<Proficiency>(std::string_view) noexcept;
template <>
std::optional<SkillCategory> parse_enum<SkillCategory>(std::string_view) noexcept;

// Numeric rank for sorting by priority (LOW=0 .. CRITICAL=3).
int priority_rank(Priority p) noexcept;

}  // namespace oms::domain
