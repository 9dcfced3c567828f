// Use cases that change an opportunity's fields and parts (DRAFT freely; SUBMITTED..MATCHES_FOUND
// with a reason and change records; later never).
#include <algorithm>
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/modify.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/skill_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::FieldChange;
using detail::Modification;
using domain::DomainError;
using domain::ErrorCode;
using storage::OpportunityRepository;

namespace {

template <class T>
void track(std::vector<FieldChange>& out, std::string field, const T& old_value, const T& new_value) {
  if (old_value == new_value) return;
  out.push_back({std::move(field), json::value_from(old_value), json::value_from(new_value)});
}

std::vector<domain::SkillRequirement>::iterator find_requirement(domain::Opportunity& o, const std::string& rid) {
  if (!util::is_uuid(rid)) throw DomainError(ErrorCode::not_found, "Skill requirement not found.");
  const std::string key = util::to_lower_ascii(rid);
  auto it = std::find_if(o.skill_requirements.begin(), o.skill_requirements.end(),
                         [&](const auto& r) { return r.id == key; });
  if (it == o.skill_requirements.end()) throw DomainError(ErrorCode::not_found, "Skill requirement not found.");
  return it;
}

[[noreturn]] void throw_skill_already_required() {
  throw DomainError(ErrorCode::duplicate, "The opportunity already requires this skill.",
                    {{"skill_id", "already required by this opportunity"}});
}

json::value opt_json(const std::optional<json::object>& o) { return o ? json::value(*o) : json::value(nullptr); }

}  // namespace

awaitable<domain::Opportunity> Opportunities::update(const Ctx& ctx, const std::string& id, OpportunityPatch patch,
                                                     ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.update", before, patch.reason);

  domain::Opportunity after = before;
  if (patch.title) after.title = *patch.title;
  if (patch.description) after.description = *patch.description;
  if (patch.customer_id)
    after.customer_id =
        util::is_uuid(*patch.customer_id) ? util::to_lower_ascii(*patch.customer_id) : *patch.customer_id;
  if (patch.priority) after.priority = *patch.priority;
  if (patch.arr_cents) after.annual_recurring_revenue.cents = *patch.arr_cents;
  if (patch.currency) after.annual_recurring_revenue.currency = *patch.currency;
  if (patch.geographic_requirements) {
    const auto& g = *patch.geographic_requirements;
    if (g.region) after.geographic_requirements.region = *g.region;
    if (g.requires_physical_presence)
      after.geographic_requirements.requires_physical_presence = *g.requires_physical_presence;
    if (g.allows_remote_work) after.geographic_requirements.allows_remote_work = *g.allows_remote_work;
  }

  domain::Validator v;
  detail::check_opportunity_fields(v, after);
  if (after.customer_id != before.customer_id)
    co_await detail::check_customer_reference(uow.session(), v, after.customer_id);
  v.throw_if_failed();

  track(m.changes, "title", before.title, after.title);
  track(m.changes, "description", before.description, after.description);
  track(m.changes, "customer_id", before.customer_id, after.customer_id);
  track(m.changes, "priority", std::string(domain::to_string(before.priority)),
        std::string(domain::to_string(after.priority)));
  track(m.changes, "annual_recurring_revenue", domain::format_money(before.annual_recurring_revenue.cents),
        domain::format_money(after.annual_recurring_revenue.cents));
  track(m.changes, "currency", before.annual_recurring_revenue.currency, after.annual_recurring_revenue.currency);
  track(m.changes, "geographic_requirements.region", before.geographic_requirements.region,
        after.geographic_requirements.region);
  track(m.changes, "geographic_requirements.requires_physical_presence",
        before.geographic_requirements.requires_physical_presence,
        after.geographic_requirements.requires_physical_presence);
  track(m.changes, "geographic_requirements.allows_remote_work", before.geographic_requirements.allows_remote_work,
        after.geographic_requirements.allows_remote_work);
  if (m.changes.empty()) co_return before;  // nothing to change: no new version

  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return after;
}

awaitable<domain::Opportunity> Opportunities::put_problem_statement(const Ctx& ctx, const std::string& id,
                                                                    std::string content,
                                                                    std::optional<std::string> reason,
                                                                    ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.problem_statement.put", before, reason);
  domain::Validator v;
  domain::check_problem_statement(v, "content", content);
  v.throw_if_failed();

  domain::Opportunity after = before;
  after.problem_statement = domain::ProblemStatement{std::move(content), uow.now()};
  co_await OpportunityRepository::upsert_problem_statement(uow.session(), after.id, *after.problem_statement);
  m.changes.push_back({"problem_statement",
                       before.problem_statement ? json::value(before.problem_statement->content) : json::value(nullptr),
                       json::value(after.problem_statement->content)});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return after;
}

awaitable<domain::SkillRequirement> Opportunities::add_skill_requirement(const Ctx& ctx, const std::string& id,
                                                                         SkillRequirementInput in,
                                                                         std::optional<std::string> reason,
                                                                         ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.skill_requirement.add", before, reason);

  domain::Validator v;
  std::optional<domain::Skill> skill;
  if (!util::is_uuid(in.skill_id)) {
    v.add("skill_id", "must be the id (UUID) of an active catalog skill");
  } else {
    const std::string skill_id = util::to_lower_ascii(in.skill_id);
    skill = co_await storage::SkillRepository::find(uow.session(), skill_id);
    if (!skill)
      v.add("skill_id", "no such skill in the catalog");
    else if (!skill->is_active)
      v.add("skill_id", "the skill is deactivated");
    else
      domain::check_proficiency(v, "minimum_proficiency", skill->category, in.minimum_proficiency);
  }
  v.throw_if_failed();
  for (const auto& r : before.skill_requirements)
    if (r.skill_id == skill->id) throw_skill_already_required();

  domain::SkillRequirement req;
  req.id = uow.new_id();
  req.skill_id = skill->id;
  req.skill_name = skill->name;
  req.skill_type = skill->category;
  req.importance = in.importance;
  req.minimum_proficiency = in.minimum_proficiency;
  req.created_at = uow.now();
  try {
    co_await OpportunityRepository::insert_skill_requirement(uow.session(), before.id, req);
  } catch (const storage::UniqueViolation&) {
    throw_skill_already_required();
  }
  domain::Opportunity after = before;
  after.skill_requirements.push_back(req);
  m.changes.push_back({"skill_requirements", nullptr, skill_requirement_json(req)});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return req;
}

awaitable<domain::SkillRequirement> Opportunities::update_skill_requirement(const Ctx& ctx, const std::string& id,
                                                                            const std::string& requirement_id,
                                                                            SkillRequirementPatch patch,
                                                                            std::optional<std::string> reason,
                                                                            ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.skill_requirement.update", before, reason);
  domain::Opportunity after = before;
  auto it = find_requirement(after, requirement_id);
  const domain::SkillRequirement old = *it;
  if (patch.importance) it->importance = *patch.importance;
  if (patch.minimum_proficiency) it->minimum_proficiency = *patch.minimum_proficiency;
  domain::Validator v;
  domain::check_proficiency(v, "minimum_proficiency", it->skill_type, it->minimum_proficiency);
  v.throw_if_failed();
  const domain::SkillRequirement updated = *it;
  if (old.importance == updated.importance && old.minimum_proficiency == updated.minimum_proficiency)
    co_return updated;  // nothing to change

  co_await OpportunityRepository::update_skill_requirement(uow.session(), updated);
  m.changes.push_back({"skill_requirements", skill_requirement_json(old), skill_requirement_json(updated)});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return updated;
}

awaitable<void> Opportunities::remove_skill_requirement(const Ctx& ctx, const std::string& id,
                                                        const std::string& requirement_id,
                                                        std::optional<std::string> reason, ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.skill_requirement.remove", before, reason);
  domain::Opportunity after = before;
  auto it = find_requirement(after, requirement_id);
  const domain::SkillRequirement old = *it;
  after.skill_requirements.erase(it);
  co_await OpportunityRepository::delete_skill_requirement(uow.session(), old.id);
  m.changes.push_back({"skill_requirements", skill_requirement_json(old), nullptr});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
}

awaitable<domain::Opportunity> Opportunities::put_timeline(const Ctx& ctx, const std::string& id,
                                                           domain::Timeline timeline, std::optional<std::string> reason,
                                                           ExpectedVersion expected) {
  UnitOfWork uow(ports_, ctx);
  const domain::Opportunity before = co_await detail::begin_modification(uow, ctx, id, expected);
  Modification m = detail::modification_of("opportunity.timeline.put", before, reason);
  domain::Validator v;
  domain::check_timeline(v, timeline);
  v.throw_if_failed();

  domain::Opportunity after = before;
  after.timeline = std::move(timeline);
  co_await OpportunityRepository::upsert_timeline(uow.session(), after.id, *after.timeline);
  std::optional<json::object> old_json, new_json = timeline_json(*after.timeline);
  if (before.timeline) old_json = timeline_json(*before.timeline);
  m.changes.push_back({"timeline", opt_json(old_json), opt_json(new_json)});
  co_await detail::save_modification(uow, before, after, m);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
