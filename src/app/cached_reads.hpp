#pragma once
// The seed's cached data (internal to src/app): keys, TTLs, and the cache-aside reads through
// Ports::cache (none: straight to the database). The lease protocol of cache/cache_aside.hpp
// plus invalidation after commit (UnitOfWork::invalidate_after_commit) make stale reads
// impossible: a read that fetched a row older than a committed write never stores it.
//
// The seed's keys: the aggregate is stored as `opportunity:{id}` (root, timeline, attachments),
// `problem_statement:{id}` and `skill_requirements:{id}`, each tagged with the aggregate's
// version; a read assembles them only when all three are present and of one version (else it
// reads the database and refills the three), so a reader never sees a torn aggregate. Every
// write of the aggregate bumps its version and invalidates the three keys after commit.
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/opportunities.hpp"

namespace oms::app::cached {

inline constexpr std::chrono::minutes k_opportunity_ttl{5};
inline constexpr std::chrono::hours k_skills_catalog_ttl{1};
inline constexpr std::chrono::minutes k_user_ttl{15};
inline constexpr const char* k_skills_catalog_key = "skills_catalog";
// The catalog is cached whole while it has at most this many skills (else every list is a query).
inline constexpr int k_max_cached_skills = 5000;

inline std::string opportunity_key(const std::string& id) { return "opportunity:" + id; }
inline std::string problem_statement_key(const std::string& id) { return "problem_statement:" + id; }
inline std::string skill_requirements_key(const std::string& opportunity_id) {
  return "skill_requirements:" + opportunity_id;
}
// The three keys of one aggregate, in the order of codec::OpportunityEntries.
inline std::array<std::string, 3> opportunity_keys(const std::string& id) {
  return {opportunity_key(id), problem_statement_key(id), skill_requirements_key(id)};
}
inline std::string user_key(const std::string& id) { return "user:" + id; }

// The aggregate with its parts, or nullopt when there is none with this (normalised) id.
awaitable<std::optional<domain::Opportunity>> opportunity(Ports ports, std::string id);
// GET one opportunity rendered (RenderedOpportunity, app/opportunities.hpp). A cache hit whose
// three entries are byte for byte the ones an earlier hit rendered reuses that body: no decode, no
// encode. The memo is a pure function of the entries' bytes, so versioning and invalidation stay
// the cache's (above). Null when there is no opportunity with this (normalised) id.
awaitable<std::shared_ptr<const RenderedOpportunity>> rendered_opportunity(Ports ports, std::string id);
// Every skill (active or not) in the listing order (name, id); nullopt when too large to cache.
awaitable<std::optional<std::vector<domain::Skill>>> skills_catalog(Ports ports);

}  // namespace oms::app::cached
