#pragma once
// The bytes the cache holds for domain values (internal to src/app): JSON with a format number,
// every field kept exactly (timestamps as microseconds). Decoding throws on anything unexpected;
// callers treat that as a miss.
#include <string>
#include <string_view>
#include <vector>

#include "domain/entities.hpp"

namespace oms::app::codec {

// The seed's three entries of one aggregate: `opportunity:{id}` (the root with its timeline and
// attachments), `problem_statement:{id}` and `skill_requirements:{id}`, each with its version.
struct OpportunityEntries {
  std::string root;
  std::string problem_statement;
  std::string skill_requirements;
};
OpportunityEntries encode(const domain::Opportunity& o);
// Throws also when the three are not of the same aggregate and version.
domain::Opportunity decode_opportunity(const OpportunityEntries& entries);
std::string encode(const domain::User& u);
domain::User decode_user(std::string_view bytes);
std::string encode(const std::vector<domain::Skill>& skills);
std::vector<domain::Skill> decode_skills(std::string_view bytes);

}  // namespace oms::app::codec
