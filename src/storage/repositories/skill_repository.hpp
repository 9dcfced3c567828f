#pragma once
// SQL for the skills catalog.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct SkillFilter {
  std::optional<domain::SkillCategory> category;
  std::optional<std::string> text;  // case-insensitive substring of the name or a synonym
  bool include_inactive = false;
  std::optional<std::pair<std::string, std::string>> after;  // (name, id) of the last row seen
  int limit = 20;
};

class SkillRepository {
 public:
  static awaitable<std::optional<domain::Skill>> find(Session& s, const std::string& id);
  // Throws UniqueViolation when the name is taken (case-insensitively).
  static awaitable<void> insert(Session& s, const domain::Skill& skill);
  static awaitable<void> update(Session& s, const domain::Skill& skill);
  static awaitable<std::vector<domain::Skill>> list(Session& s, const SkillFilter& f);
  static awaitable<std::int64_t> count(Session& s);
};

}  // namespace oms::storage
