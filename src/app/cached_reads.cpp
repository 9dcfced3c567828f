#include "app/cached_reads.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "app/cache_codec.hpp"
#include "cache/cache_aside.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/skill_repository.hpp"

namespace oms::app::cached {

awaitable<std::optional<domain::Opportunity>> opportunity(Ports ports, std::string id) {
  const auto keys = opportunity_keys(id);
  std::array<std::string, 3> leases;
  if (ports.cache) {
    // The three lookups are in flight together: one round trip's latency, not three.
    using namespace boost::asio::experimental::awaitable_operators;
    auto root = ports.cache->lookup(keys[0]);
    auto problem_statement = ports.cache->lookup(keys[1]);
    auto skill_requirements = ports.cache->lookup(keys[2]);
    auto all_three = std::move(root) && std::move(problem_statement) && std::move(skill_requirements);
    auto looked_up = co_await std::move(all_three);
    auto& [r, p, s] = looked_up;
    if (r && p && s) {
      try {
        const codec::OpportunityEntries entries{std::move(*r), std::move(*p), std::move(*s)};
        co_return codec::decode_opportunity(entries);
      } catch (const std::exception&) {
        // Parts of two versions (a write and a refill crossed), or another format: read the database.
      }
    }
    for (std::size_t i = 0; i < keys.size(); ++i)
      leases[i] = co_await ports.cache->reserve(keys[i]);  // before the read: see cache_aside.hpp
  }
  auto session = co_await ports.db.begin(storage::Access::read_only);
  auto found = co_await storage::OpportunityRepository::load(*session, id, false);
  co_await session->commit();
  if (found && ports.cache) {
    auto entries = codec::encode(*found);
    co_await ports.cache->fill(keys[0], leases[0], std::move(entries.root), k_opportunity_ttl);
    co_await ports.cache->fill(keys[1], leases[1], std::move(entries.problem_statement), k_opportunity_ttl);
    co_await ports.cache->fill(keys[2], leases[2], std::move(entries.skill_requirements), k_opportunity_ttl);
  }
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
