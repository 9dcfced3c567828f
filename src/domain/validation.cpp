#include "domain/validation.hpp"

#include <string>

#include "util/encoding.hpp"
#include "util/utf8.hpp"

namespace oms::domain {
namespace {

constexpr std::size_t k_skill_name_max = 100;
constexpr std::size_t k_subcategory_max = 100;
constexpr std::size_t k_synonym_max = 100;
constexpr std::size_t k_customer_name_max = 200;
constexpr std::size_t k_industry_max = 100;
constexpr std::size_t k_website_max = 2048;
constexpr std::size_t k_contact_name_max = 200;
constexpr std::size_t k_phone_max = 50;
constexpr std::size_t k_email_max = 254;
// Money above this many integer digits cannot be within k_money_max_cents; checked before
// accumulating so the arithmetic never overflows.
constexpr std::size_t k_money_max_integer_digits = 13;

std::string indexed(std::string_view field, std::size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

bool is_ascii_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool is_phone(std::string_view text) noexcept {
  std::size_t digits = 0;
  for (char c : text) {
    if (is_ascii_digit(c))
      ++digits;
    else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')' && c != '.')
      return false;
  }
  return digits >= 3;
}

bool starts_with_http(std::string_view url) noexcept {
  const auto lower = util::to_lower_ascii(url.substr(0, 8));
  return lower.starts_with("http://") || lower.starts_with("https://");
}

}  // namespace

void check_text(Validator& v, std::string_view field, std::string_view value, std::size_t min, std::size_t max,
                bool trimmed) {
  if (!util::is_valid_utf8(value)) {
    v.add(std::string(field), "must be valid UTF-8");
    return;
  }
  const std::string_view text = trimmed ? util::trim(value) : value;
  const std::size_t n = util::code_points(text);
  if (n < min) {
    if (n == 0)
      v.add(std::string(field), "is required");
    else
      v.add(std::string(field),
            "must be at least " + std::to_string(min) + " characters (got " + std::to_string(n) + ")");
  } else if (n > max) {
    v.add(std::string(field), "must be at most " + std::to_string(max) + " characters (got " + std::to_string(n) + ")");
  }
}

void check_title(Validator& v, std::string_view title) { check_text(v, "title", title, 1, k_title_max); }

void check_description(Validator& v, std::string_view description) {
  check_text(v, "description", description, 1, k_description_max);
}

void check_region(Validator& v, std::string_view field, std::string_view region) {
  check_text(v, field, region, 1, k_region_max);
}

void check_reason(Validator& v, std::string_view field, const std::optional<std::string>& reason, bool required) {
  if (!reason) {
    if (required) v.add(std::string(field), "is required");
    return;
  }
  check_text(v, field, *reason, 1, k_reason_max);
}

void check_problem_statement(Validator& v, std::string_view field, std::string_view content) {
  check_text(v, field, content, k_problem_statement_min, k_problem_statement_max);
}

void check_timeline(Validator& v, const Timeline& t) {
  if (t.expected_start_date >= t.expected_end_date) v.add("expected_end_date", "must be after expected_start_date");
  for (std::size_t i = 0; i < t.specific_required_days.size(); ++i) {
    const Date day = t.specific_required_days[i];
    if (day < t.expected_start_date || day > t.expected_end_date)
      v.add(indexed("specific_required_days", i), "must be between expected_start_date and expected_end_date");
    for (std::size_t j = 0; j < i; ++j) {
      if (t.specific_required_days[j] == day) {
        v.add(indexed("specific_required_days", i), "duplicates specific_required_days[" + std::to_string(j) + "]");
        break;
      }
    }
  }
}

bool proficiency_fits(SkillCategory category, Proficiency p) noexcept {
  const bool language_scale = p == Proficiency::basic || p == Proficiency::conversational || p == Proficiency::fluent ||
                              p == Proficiency::native;
  return (category == SkillCategory::language) == language_scale;
}

void check_proficiency(Validator& v, std::string_view field, SkillCategory category, Proficiency p) {
  if (proficiency_fits(category, p)) return;
  if (category == SkillCategory::language)
    v.add(std::string(field), "language skills use BASIC, CONVERSATIONAL, FLUENT or NATIVE");
  else
    v.add(std::string(field),
          std::string(to_string(category)) + " skills use BEGINNER, INTERMEDIATE, ADVANCED or EXPERT");
}

std::optional<std::int64_t> parse_money(std::string_view text) noexcept {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  // Canonical decimals only: digits, no leading zeros, "5." and ".5" refused for clarity.
  if (whole.empty() || whole.size() > k_money_max_integer_digits) return std::nullopt;
  if (whole.size() > 1 && whole.front() == '0') return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) return std::nullopt;
  std::int64_t units = 0;
  for (char c : whole) {
    if (!is_ascii_digit(c)) return std::nullopt;
    units = units * 10 + (c - '0');
  }
  std::int64_t cents = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    cents *= 10;
    if (i < fraction.size()) {
      if (!is_ascii_digit(fraction[i])) return std::nullopt;
      cents += fraction[i] - '0';
    }
  }
  const std::int64_t total = units * 100 + cents;
  if (total > k_money_max_cents) return std::nullopt;
  return total;
}

std::string format_money(std::int64_t cents) {
  const bool negative = cents < 0;
  // Work in unsigned so INT64_MIN does not overflow on negation.
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
  const std::uint64_t fraction = magnitude % 100;
  // Appended piece by piece: `"-" + std::to_string(...)` trips g++ 12's -Wrestrict false
  // positive at -O3 (GCC bug 105329) inside std::string's own code.
  std::string out;
  if (negative) out += '-';
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + fraction / 10);
  out += static_cast<char>('0' + fraction % 10);
  return out;
}

bool is_currency_code(std::string_view text) noexcept {
  if (text.size() != 3) return false;
  for (char c : text)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

void check_currency(Validator& v, std::string_view field, std::string_view code) {
  if (!is_currency_code(code))
    v.add(std::string(field), "must be an ISO 4217 currency code (three upper-case letters, e.g. USD)");
}

void check_money(Validator& v, std::string_view field, std::int64_t cents) {
  if (cents < 0 || cents > k_money_max_cents) {
    std::string message = "must be between 0 and ";
    message += format_money(k_money_max_cents);
    v.add(std::string(field), message);
  }
}

void check_opportunity(Validator& v, const Opportunity& o) {
  check_title(v, o.title);
  check_description(v, o.description);
  check_region(v, "geographic_requirements.region", o.geographic_requirements.region);
  check_money(v, "annual_recurring_revenue", o.annual_recurring_revenue.cents);
  check_currency(v, "currency", o.annual_recurring_revenue.currency);
}

bool is_email(std::string_view text) noexcept {
  if (text.size() > k_email_max) return false;
  const auto at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || local.size() > 64 || domain.empty()) return false;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
        c == '\\' || c == '"' || c == '[' || c == ']')
      return false;
  }
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  // Domain: dot-separated non-empty labels of letters, digits and inner hyphens; TLD of 2+ letters.
  const auto last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    auto end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      const auto b = static_cast<unsigned char>(c);
      const bool ok = is_ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || b >= 0x80;
      if (!ok) return false;
    }
    start = end + 1;
  }
  const std::string_view tld = domain.substr(last_dot + 1);
  if (tld.size() < 2) return false;
  for (char c : tld)
    if (is_ascii_digit(c)) return false;
  return true;
}

void check_skill(Validator& v, const Skill& s) {
  check_text(v, "name", s.name, 1, k_skill_name_max);
  check_text(v, "description", s.description, 0, k_description_max);
  if (s.subcategory) check_text(v, "subcategory", *s.subcategory, 1, k_subcategory_max);
  for (std::size_t i = 0; i < s.synonyms.size(); ++i)
    check_text(v, indexed("synonyms", i), s.synonyms[i], 1, k_synonym_max);
  for (std::size_t i = 0; i < s.related_skill_ids.size(); ++i) {
    const std::string& id = s.related_skill_ids[i];
    if (!util::is_uuid(id))
      v.add(indexed("related_skill_ids", i), "must be a UUID");
    else if (!s.id.empty() && util::to_lower_ascii(id) == util::to_lower_ascii(s.id))
      v.add(indexed("related_skill_ids", i), "a skill cannot be related to itself");
  }
}

void check_customer(Validator& v, const Customer& c) {
  check_text(v, "name", c.name, 1, k_customer_name_max);
  check_text(v, "industry", c.industry, 1, k_industry_max);
  if (c.website) {
    check_text(v, "website", *c.website, 1, k_website_max);
    if (!c.website->empty() && !starts_with_http(*c.website)) v.add("website", "must be an http or https URL");
  }
  if (c.description) check_text(v, "description", *c.description, 0, k_description_max);
  if (c.primary_contact) {
    const Contact& p = *c.primary_contact;
    check_text(v, "primary_contact.name", p.name, 1, k_contact_name_max);
    if (!p.email.empty() && !is_email(p.email)) v.add("primary_contact.email", "must be an email address");
    if (!p.phone.empty() && (p.phone.size() > k_phone_max || !is_phone(p.phone)))
      v.add("primary_contact.phone", "must be a phone number (digits, spaces, + - ( ) .)");
  }
}

}  // namespace oms::domain
