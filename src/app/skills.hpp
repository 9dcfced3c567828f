#pragma once
// Use cases of the skills catalog (story: skills): everyone reads it, admins keep it.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

struct SkillInput {
  std::string name;
  domain::SkillCategory category{};
  std::optional<std::string> subcategory;
  std::string description;
  std::vector<std::string> synonyms;
  std::vector<std::string> related_skill_ids;
};

struct SkillPatch {
  std::optional<std::string> name;
  std::optional<domain::SkillCategory> category;
  std::optional<std::optional<std::string>> subcategory;  // set, or set to null
  std::optional<std::string> description;
  std::optional<bool> is_active;
  std::optional<std::vector<std::string>> synonyms;
  std::optional<std::vector<std::string>> related_skill_ids;
};

struct SkillQuery {
  std::optional<domain::SkillCategory> category;
  std::optional<std::string> text;  // name and synonyms, case-insensitive substring
  bool include_inactive = false;
  PageRequest page;
};

class Skills {
 public:
  explicit Skills(Ports ports) : ports_(ports) {}
  awaitable<Page<domain::Skill>> list(const Ctx&, const SkillQuery&);
  awaitable<domain::Skill> get(const Ctx&, const std::string& id);
  awaitable<Created<domain::Skill>> create(const Ctx&, SkillInput, std::optional<IdempotencyKey>);  // admin
  awaitable<domain::Skill> update(const Ctx&, const std::string& id, SkillPatch);                   // admin

 private:
  Ports ports_;
};

}  // namespace oms::app
