// Use cases of the story "require skills": add, change and remove skill requirements.
#include <algorithm>
#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/opportunities.hpp"
#include "app/opportunity_support.hpp"
#include "domain/error.hpp"
#include "domain/modify.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/skill_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using detail::Modification;
using domain::DomainError;
using domain::ErrorCode;
using storage::OpportunityRepository;

namespace {

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

}  // namespace

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

}  // namespace oms::app
