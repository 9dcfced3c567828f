// Use cases of the skills catalog: everyone reads, admins add and edit.
#include "app/skills.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "app/cached_reads.hpp"
#include "app/idempotency.hpp"
#include "app/json_views.hpp"
#include "app/paging.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "domain/validation.hpp"
#include "storage/repositories/skill_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;

namespace {
constexpr const char* k_skill_create_route = "POST /skills";
constexpr const char* k_skill_cursor_spec = "skills";

[[noreturn]] void throw_skill_not_found() { throw DomainError(ErrorCode::not_found, "Skill not found."); }
[[noreturn]] void throw_duplicate_name() {
  throw DomainError(ErrorCode::duplicate, "A skill with this name already exists.",
                    {{"name", "already used by another skill (names are case-insensitive)"}});
}
std::string skill_snapshot(const domain::Skill& s) { return json::serialize(skill_json(s)); }

void normalize_ids(std::vector<std::string>& ids) {
  for (auto& id : ids)
    if (util::is_uuid(id)) id = util::to_lower_ascii(id);
}

// A page cut from the cached catalog (in listing order): what the query would return, or nullopt
// when the cursor's skill is no longer at its position (renamed since): the database answers.
std::optional<Page<domain::Skill>> page_from_catalog(const std::vector<domain::Skill>& all, const SkillQuery& q,
                                                     const std::optional<std::pair<std::string, std::string>>& after) {
  std::size_t start = 0;
  if (after) {
    auto at = std::find_if(all.begin(), all.end(),
                           [&](const domain::Skill& s) { return s.name == after->first && s.id == after->second; });
    if (at == all.end()) return std::nullopt;
    start = static_cast<std::size_t>(at - all.begin()) + 1;
  }
  std::vector<domain::Skill> rows;
  for (std::size_t i = start; i < all.size() && rows.size() <= static_cast<std::size_t>(q.page.limit); ++i) {
    const auto& s = all[i];
    if ((!q.include_inactive && !s.is_active) || (q.category && s.category != *q.category)) continue;
    rows.push_back(s);
  }
  return detail::page_by_name(std::move(rows), q.page.limit, k_skill_cursor_spec);
}
}  // namespace

awaitable<Page<domain::Skill>> Skills::list(const Ctx&, const SkillQuery& q) {
  detail::check_page_limit(q.page.limit);
  storage::SkillFilter f;
  f.category = q.category;
  if (q.text && !q.text->empty()) f.text = q.text;
  f.include_inactive = q.include_inactive;
  if (q.page.cursor) f.after = detail::name_and_uuid_position(*q.page.cursor, k_skill_cursor_spec);
  f.limit = q.page.limit + 1;
  if (!f.text) {
    auto catalog = co_await cached::skills_catalog(ports_);
    if (catalog)
      if (auto page = page_from_catalog(*catalog, q, f.after)) co_return std::move(*page);
  }
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto rows = co_await storage::SkillRepository::list(*session, f);
  co_await session->commit();
  co_return detail::page_by_name(std::move(rows), q.page.limit, k_skill_cursor_spec);
}

awaitable<domain::Skill> Skills::get(const Ctx&, const std::string& id) {
  if (!util::is_uuid(id)) throw_skill_not_found();
  const std::string key = util::to_lower_ascii(id);
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto found = co_await storage::SkillRepository::find(*session, key);
  co_await session->commit();
  if (!found) throw_skill_not_found();
  co_return std::move(*found);
}

awaitable<Created<domain::Skill>> Skills::create(const Ctx& ctx, SkillInput in, std::optional<IdempotencyKey> idem) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  if (idem) {
    auto prior_id = co_await detail::find_replayed_resource(uow, *idem, k_skill_create_route);
    if (prior_id) {
      auto existing = co_await storage::SkillRepository::find(uow.session(), *prior_id);
      if (!existing) detail::throw_replayed_resource_removed();
      co_return Created<domain::Skill>{std::move(*existing), true};
    }
  }
  domain::Skill s;
  s.id = uow.new_id();
  s.name = std::move(in.name);
  s.category = in.category;
  s.subcategory = std::move(in.subcategory);
  s.description = std::move(in.description);
  s.is_active = true;
  s.synonyms = std::move(in.synonyms);
  s.related_skill_ids = std::move(in.related_skill_ids);
  normalize_ids(s.related_skill_ids);
  s.created_at = uow.now();
  s.updated_at = uow.now();
  domain::Validator v;
  domain::check_skill(v, s);
  v.throw_if_failed();
  try {
    co_await storage::SkillRepository::insert(uow.session(), s);
  } catch (const storage::UniqueViolation&) {
    throw_duplicate_name();
  }
  uow.invalidate_after_commit(cached::k_skills_catalog_key);
  AuditSpec audit{"skill.create", "skill", s.id, std::nullopt, skill_snapshot(s)};
  co_await uow.audit(audit);
  if (idem) co_await detail::record_idempotency_key(uow, *idem, k_skill_create_route, s.id);
  co_await uow.commit();
  co_return Created<domain::Skill>{std::move(s), false};
}

awaitable<domain::Skill> Skills::update(const Ctx& ctx, const std::string& id, SkillPatch patch) {
  if (!util::is_uuid(id)) throw_skill_not_found();
  const std::string key = util::to_lower_ascii(id);
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  auto found = co_await storage::SkillRepository::find(uow.session(), key);
  if (!found) throw_skill_not_found();
  const domain::Skill before = *found;
  domain::Skill after = before;
  if (patch.name) after.name = *patch.name;
  if (patch.category) after.category = *patch.category;
  if (patch.subcategory) after.subcategory = *patch.subcategory;
  if (patch.description) after.description = *patch.description;
  if (patch.is_active) after.is_active = *patch.is_active;
  if (patch.synonyms) after.synonyms = *patch.synonyms;
  if (patch.related_skill_ids) {
    after.related_skill_ids = *patch.related_skill_ids;
    normalize_ids(after.related_skill_ids);
  }
  after.updated_at = uow.now();
  domain::Validator v;
  domain::check_skill(v, after);
  v.throw_if_failed();
  try {
    co_await storage::SkillRepository::update(uow.session(), after);
  } catch (const storage::UniqueViolation&) {
    throw_duplicate_name();
  }
  uow.invalidate_after_commit(cached::k_skills_catalog_key);
  AuditSpec audit{"skill.update", "skill", after.id, skill_snapshot(before), skill_snapshot(after)};
  co_await uow.audit(audit);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
