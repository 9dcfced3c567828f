#include "app/cached_reads.hpp"

#include "app/cache_codec.hpp"
#include "cache/cache_aside.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/skill_repository.hpp"

namespace oms::app::cached {

awaitable<std::optional<domain::Opportunity>> opportunity(Ports ports, std::string id) {
  const std::string key = opportunity_key(id);
  std::string lease;
  if (ports.cache) {
    if (auto bytes = co_await ports.cache->lookup(key)) {
      try {
        co_return codec::decode_opportunity(*bytes);
      } catch (const std::exception&) {
        // Another format (an older release): read the database and replace it.
      }
    }
    lease = co_await ports.cache->reserve(key);  // before the read: see cache_aside.hpp
  }
  auto session = co_await ports.db.begin(storage::Access::read_only);
  auto found = co_await storage::OpportunityRepository::load(*session, id, false);
  co_await session->commit();
  if (found && ports.cache) co_await ports.cache->fill(key, lease, codec::encode(*found), k_opportunity_ttl);
  co_return found;
}

awaitable<std::optional<std::vector<domain::Skill>>> skills_catalog(Ports ports) {
  if (!ports.cache) co_return std::nullopt;
  if (auto bytes = co_await ports.cache->lookup(k_skills_catalog_key)) {
    try {
      co_return codec::decode_skills(*bytes);
    } catch (const std::exception&) {
    }
  }
  std::string lease = co_await ports.cache->reserve(k_skills_catalog_key);
  storage::SkillFilter all;
  all.include_inactive = true;
  all.limit = k_max_cached_skills + 1;
  auto session = co_await ports.db.begin(storage::Access::read_only);
  auto skills = co_await storage::SkillRepository::list(*session, all);
  co_await session->commit();
  if (skills.size() > static_cast<std::size_t>(k_max_cached_skills)) co_return std::nullopt;
  co_await ports.cache->fill(k_skills_catalog_key, lease, codec::encode(skills), k_skills_catalog_ttl);
  co_return skills;
}

}  // namespace oms::app::cached
