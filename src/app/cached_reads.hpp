#pragma once
// The seed's cached data (internal to src/app): keys, TTLs, and the cache-aside reads through
// Ports::cache (none: straight to the database). The lease protocol of cache/cache_aside.hpp
// plus invalidation after commit (UnitOfWork::invalidate_after_commit) make stale reads
// impossible: a read that fetched a row older than a committed write never stores it.
//
// `opportunity:{id}` holds the whole aggregate (root, problem statement, skill requirements,
// timeline, attachments) at one version: GET /opportunities/{id} is the only read of the parts,
// and one entry is one round trip and one consistent snapshot. The seed's `problem_statement:{id}`
// and `skill_requirements:{opportunity_id}` therefore live inside it (same 5 min TTL).
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app::cached {

inline constexpr std::chrono::minutes k_opportunity_ttl{5};
inline constexpr std::chrono::hours k_skills_catalog_ttl{1};
inline constexpr std::chrono::minutes k_user_ttl{15};
inline constexpr const char* k_skills_catalog_key = "skills_catalog";
// The catalog is cached whole while it has at most this many skills (else every list is a query).
inline constexpr int k_max_cached_skills = 5000;

inline std::string opportunity_key(const std::string& id) { return "opportunity:" + id; }
inline std::string user_key(const std::string& id) { return "user:" + id; }

// The aggregate with its parts, or nullopt when there is none with this (normalised) id.
awaitable<std::optional<domain::Opportunity>> opportunity(Ports ports, std::string id);
// Every skill (active or not) in the listing order (name, id); nullopt when too large to cache.
awaitable<std::optional<std::vector<domain::Skill>>> skills_catalog(Ports ports);

}  // namespace oms::app::cached
