#include "domain/status.hpp"

#include <algorithm>
#include <string>

#include "domain/validation.hpp"

namespace oms::domain {
namespace {

[[noreturn]] void refuse(Status from, std::string_view action) {
  throw DomainError(ErrorCode::invalid_transition, "Cannot " + std::string(action) + " an opportunity in status " +
                                                       std::string(to_string(from)) + ".");
}

// Timeline rules re-reported under the single "timeline" path, so a submission lists it once per problem.
void check_timeline_for_submission(Validator& v, const std::optional<Timeline>& timeline) {
  if (!timeline) {
    v.add("timeline", "a timeline is required");
    return;
  }
  Validator inner;
  check_timeline(inner, *timeline);
  for (const auto& e : inner.errors()) v.add("timeline", e.field + " " + e.message);
}

}  // namespace

bool is_system_transition(Status from, Status to) noexcept {
  switch (from) {
    case Status::submitted:
      return to == Status::matching_in_progress;
    case Status::matching_in_progress:
      return to == Status::matches_found;
    case Status::matches_found:
      return to == Status::architect_selected;
    case Status::architect_selected:
      return to == Status::completed;
    default:
      return false;
  }
}

void check_system_transition(const Opportunity& o, Status to, const std::optional<std::string>& selected_architect) {
  if (!is_system_transition(o.status, to))
    throw DomainError(ErrorCode::invalid_transition, "Cannot move an opportunity from " +
                                                         std::string(to_string(o.status)) + " to " +
                                                         std::string(to_string(to)) + ".");
  if (to == Status::architect_selected) {
    Validator v;
    if (!selected_architect)
      v.add("selected_architect_id", "is required for ARCHITECT_SELECTED");
    else
      check_text(v, "selected_architect_id", *selected_architect, 1, 255, false);
    v.throw_if_failed();
  }
}

std::vector<FieldError> submission_problems(const Opportunity& o) {
  Validator v;
  check_title(v, o.title);
  check_description(v, o.description);
  if (o.customer_id.empty()) v.add("customer_id", "is required");
  check_region(v, "geographic_requirements.region", o.geographic_requirements.region);
  if (o.annual_recurring_revenue.cents < 0 || o.annual_recurring_revenue.cents > k_money_max_cents)
    v.add("annual_recurring_revenue", "must be between 0 and " + format_money(k_money_max_cents));
  if (!is_currency_code(o.annual_recurring_revenue.currency))
    v.add("currency", "must be an ISO 4217 code of three upper-case letters");

  if (!o.problem_statement)
    v.add("problem_statement", "a problem statement of " + std::to_string(k_problem_statement_min) + " to " +
                                   std::to_string(k_problem_statement_max) + " characters is required");
  else
    check_problem_statement(v, "problem_statement", o.problem_statement->content);

  if (o.skill_requirements.empty())
    v.add("skill_requirements", "at least one skill requirement is required");
  else if (std::none_of(o.skill_requirements.begin(), o.skill_requirements.end(),
                        [](const SkillRequirement& r) { return r.importance == Importance::must_have; }))
    v.add("skill_requirements", "at least one skill requirement must be MUST_HAVE");

  check_timeline_for_submission(v, o.timeline);
  return v.errors();
}

void check_submit(const Opportunity& o) {
  if (o.status != Status::draft) refuse(o.status, "submit");
  auto problems = submission_problems(o);
  if (!problems.empty())
    throw DomainError(ErrorCode::submission_incomplete, "The opportunity does not yet meet the submission rules.",
                      std::move(problems));
}

void check_cancel(const Opportunity& o, const std::optional<std::string>& reason) {
  if (o.status == Status::completed || o.status == Status::cancelled) refuse(o.status, "cancel");
  Validator v;
  check_reason(v, "reason", reason, true);
  v.throw_if_failed();
}

Timestamp reactivation_deadline(Timestamp cancelled_at) noexcept { return cancelled_at + k_reactivation_window; }

Status check_reactivate(const Opportunity& o, Timestamp now) {
  if (o.status != Status::cancelled) refuse(o.status, "reactivate");
  if (!o.cancelled_at || !o.status_before_cancellation)
    throw DomainError(ErrorCode::internal, "The cancelled opportunity lacks its cancellation record.");
  if (now > reactivation_deadline(*o.cancelled_at))
    throw DomainError(ErrorCode::reactivation_window_expired,
                      "The opportunity was cancelled more than 90 days ago and can no longer be reactivated.");
  return *o.status_before_cancellation;
}

}  // namespace oms::domain
