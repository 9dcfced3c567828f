#include "storage/repositories/skill_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_skill_columns =
    "id, name, category, subcategory, description, is_active, synonyms, related_skill_ids, created_at, updated_at";

domain::Skill read_skill(const Row& r) {
  domain::Skill s;
  s.id = r.str(0);
  s.name = r.str(1);
  s.category = enum_column<domain::SkillCategory>(r, 2);
  s.subcategory = r.text(3);
  s.description = r.str(4);
  s.is_active = r.boolean(5);
  s.synonyms = parse_json_string_array(r.str(6));
  s.related_skill_ids = parse_json_string_array(r.str(7));
  s.created_at = r.timestamp(8);
  s.updated_at = r.timestamp(9);
  return s;
}

// id through related_skill_ids ($1 to $8): the columns insert and update both write.
Params skill_params(const domain::Skill& k) {
  return Params{k.id,
                k.name,
                std::string(domain::to_string(k.category)),
                param(k.subcategory),
                k.description,
                k.is_active,
                json_string_array(k.synonyms),
                json_string_array(k.related_skill_ids)};
}

}  // namespace

awaitable<std::optional<domain::Skill>> SkillRepository::find(Session& s, const std::string& id) {
  Params p{id};
  const std::string sql = std::string("SELECT ") + k_skill_columns + " FROM skills WHERE id = $1";
  auto r = co_await s.query(sql, std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_skill(r.rows.front());
}

awaitable<void> SkillRepository::insert(Session& s, const domain::Skill& k) {
  Params p = skill_params(k);
  p.push_back(param(k.created_at));
  p.push_back(param(k.updated_at));
  const std::string sql =
      std::string("INSERT INTO skills (") + k_skill_columns + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
  co_await s.query(sql, std::move(p));
}

awaitable<void> SkillRepository::update(Session& s, const domain::Skill& k) {
  Params p = skill_params(k);
  p.push_back(param(k.updated_at));
  co_await s.query(
      "UPDATE skills SET name = $2, category = $3, subcategory = $4, description = $5, is_active = $6, "
      "synonyms = $7, related_skill_ids = $8, updated_at = $9 WHERE id = $1",
      std::move(p));
}

awaitable<std::vector<domain::Skill>> SkillRepository::list(Session& s, const SkillFilter& f) {
  const bool pg = s.dialect() == Dialect::postgres;
  SqlBuilder q;
  q << "SELECT " << k_skill_columns << " FROM skills WHERE 1 = 1";
  if (!f.include_inactive) q << (pg ? " AND is_active" : " AND is_active = 1");
  if (f.category) q << " AND category = " << q.bind(std::string(domain::to_string(*f.category)));
  if (f.text) {
    // Each synonym is matched on its own (not the JSON text, whose quotes and commas would match).
    std::string pattern = q.bind(like_contains_pattern(*f.text));
    q << " AND (lower(name) LIKE " << pattern << " ESCAPE '\\' OR EXISTS (SELECT 1 FROM "
      << (pg ? "jsonb_array_elements_text(skills.synonyms) AS syn(value)" : "json_each(skills.synonyms) AS syn")
      << " WHERE lower(syn.value) LIKE " << pattern << " ESCAPE '\\'))";
  }
  if (f.after) (q << " AND ").after_name_and_id(*f.after);
  q << " ORDER BY name, id LIMIT " << q.bind(std::int64_t{f.limit});
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  co_return read_rows(r, read_skill);
}

awaitable<std::int64_t> SkillRepository::count(Session& s) {
  Params none;
  auto r = co_await s.query("SELECT COUNT(*) FROM skills", std::move(none));
  co_return r.rows.front().i64(0);
}

}  // namespace oms::storage
