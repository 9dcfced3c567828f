#include "domain/submit.hpp"

#include <algorithm>
#include <string>

#include "domain/status.hpp"
#include "domain/validation.hpp"

namespace oms::domain {
namespace {

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

std::vector<FieldError> submission_problems(const Opportunity& o) {
  Validator v;
  check_opportunity(v, o);
  if (o.customer_id.empty()) v.add("customer_id", "is required");

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
  if (o.status != Status::draft) refuse_transition(o.status, "submit");
  auto problems = submission_problems(o);
  if (!problems.empty())
    throw DomainError(ErrorCode::submission_incomplete, "The opportunity does not yet meet the submission rules.",
                      std::move(problems));
}

}  // namespace oms::domain
