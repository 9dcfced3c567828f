#pragma once
// Field rules of domain.md. Each function adds every problem it finds to the Validator, naming
// the field as the API does (JSON path), so callers can report all problems at once.
#include <optional>
#include <string>
#include <string_view>

#include "domain/entities.hpp"
#include "domain/error.hpp"

namespace oms::domain {

inline constexpr std::size_t k_title_max = 200;
inline constexpr std::size_t k_description_max = 2000;
inline constexpr std::size_t k_region_max = 100;
inline constexpr std::size_t k_reason_max = 500;
inline constexpr std::size_t k_problem_statement_min = 140;
inline constexpr std::size_t k_problem_statement_max = 5000;
inline constexpr std::int64_t k_money_max_cents = 100'000'000'000'000LL;  // 1e12 currency units

// Text between min and max Unicode code points (after trimming when trimmed is true), valid UTF-8.
void check_text(Validator& v, std::string_view field, std::string_view value, std::size_t min, std::size_t max,
                bool trimmed = true);

void check_title(Validator& v, std::string_view title);                            // 1..200
void check_description(Validator& v, std::string_view description);                // 1..2000
void check_region(Validator& v, std::string_view field, std::string_view region);  // 1..100
// A reason of 1..500 code points; `required` makes its absence an error.
void check_reason(Validator& v, std::string_view field, const std::optional<std::string>& reason, bool required);
// Problem statement content: 140..5000 code points after trimming.
void check_problem_statement(Validator& v, std::string_view field, std::string_view content);
// start < end; each specific day inside [start, end], no duplicates.
void check_timeline(Validator& v, const Timeline& t);
// Proficiency scale must match the skill's category (LANGUAGE: BASIC..NATIVE; others BEGINNER..EXPERT).
void check_proficiency(Validator& v, std::string_view field, SkillCategory category, Proficiency p);
bool proficiency_fits(SkillCategory category, Proficiency p) noexcept;

// "125000.00", "0", "12.5" -> cents; rejects negatives, more than two decimals, exponents,
// signs, spaces, empty, and values above k_money_max_cents.
std::optional<std::int64_t> parse_money(std::string_view text) noexcept;
std::string format_money(std::int64_t cents);           // always two decimals: "125000.00"
bool is_currency_code(std::string_view text) noexcept;  // three ASCII upper-case letters (ISO 4217 shape)
// The one message for a bad currency, wherever it is found (request body, stored aggregate).
void check_currency(Validator& v, std::string_view field, std::string_view code);
// An amount in cents within 0..k_money_max_cents.
void check_money(Validator& v, std::string_view field, std::int64_t cents);
// The opportunity's own fields (title, description, region, money, currency): on create, on
// every change and again before submission.
void check_opportunity(Validator& v, const Opportunity& o);

// Skill catalog entry and customer shape rules.
void check_skill(Validator& v, const Skill& s);
void check_customer(Validator& v, const Customer& c);
bool is_email(std::string_view text) noexcept;

}  // namespace oms::domain
