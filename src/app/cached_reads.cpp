#include "app/cached_reads.hpp"

#include <mutex>
#include <unordered_map>

#include "app/cache_codec.hpp"
#include "app/json_views.hpp"
#include "cache/cache_aside.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/skill_repository.hpp"

namespace oms::app::cached {

namespace {

using Entries = std::array<std::optional<std::string>, 3>;

// The three entries of one aggregate, looked up together: one round trip per Redis node (the
// GETs are sent at once), and one after the other when the cache answers at once (memory://).
awaitable<Entries> lookup_entries(cache::CacheAside& cache, const std::array<std::string, 3>& keys) {
  Entries entries;
  if (cache.cache().answers_at_once()) {
    for (std::size_t i = 0; i < keys.size(); ++i) entries[i] = co_await cache.lookup(keys[i]);
    co_return entries;
  }
  std::vector<std::string> wanted(keys.begin(), keys.end());  // no braced list across co_await: GCC 12
  auto values = co_await cache.lookup_many(std::move(wanted));
  for (std::size_t i = 0; i < entries.size() && i < values.size(); ++i) entries[i] = std::move(values[i]);
  co_return entries;
}

bool complete(const Entries& e) { return e[0] && e[1] && e[2]; }

// Decodes complete entries; nullopt when they are of two versions (a write and a refill crossed)
// or of another format: the caller reads the database.
std::optional<domain::Opportunity> decode(const Entries& e) {
  try {
    const codec::OpportunityEntries entries{*e[0], *e[1], *e[2]};
    return codec::decode_opportunity(entries);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The database read behind a miss, under leases taken before it (see cache/cache_aside.hpp), and
// the refill of the three entries.
awaitable<std::optional<domain::Opportunity>> load_and_fill(Ports ports, const std::array<std::string, 3>& keys,
                                                            const std::string& id) {
  std::array<std::string, 3> leases;
  if (ports.cache) {
    for (std::size_t i = 0; i < keys.size(); ++i) leases[i] = co_await ports.cache->reserve(keys[i]);
  }
  // One statement on PostgreSQL (the aggregate with its lists as JSON): no BEGIN/COMMIT needed.
  auto session = co_await ports.db.begin(storage::Access::read_one);
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

std::shared_ptr<const RenderedOpportunity> render(const domain::Opportunity& o) {
  auto r = std::make_shared<RenderedOpportunity>();
  r->body = opportunity_json_text(o);
  r->version = o.version;
  r->policy.status = o.status;
  r->policy.sales_manager_id = o.sales_manager_id;
  return r;
}

// Rendered bodies by opportunity id, each with the entries it was rendered from; a hit needs the
// same bytes. Bounded in count (an arbitrary entry makes room); shared by every thread.
class RenderedMemo {
 public:
  static constexpr std::size_t k_max_entries = 1024;

  std::shared_ptr<const RenderedOpportunity> find(const std::string& id, const Entries& e) {
    std::lock_guard lock(mu_);
    const auto it = memo_.find(id);
    if (it == memo_.end()) return nullptr;
    const Memo& m = it->second;
    if (m.entries[0] != *e[0] || m.entries[1] != *e[1] || m.entries[2] != *e[2]) return nullptr;
    return m.rendered;
  }

  void store(const std::string& id, Entries& e, std::shared_ptr<const RenderedOpportunity> rendered) {
    Memo m{{std::move(*e[0]), std::move(*e[1]), std::move(*e[2])}, std::move(rendered)};
    std::lock_guard lock(mu_);
    if (memo_.size() >= k_max_entries && !memo_.contains(id)) memo_.erase(memo_.begin());
    memo_.insert_or_assign(id, std::move(m));
  }

 private:
  struct Memo {
    std::array<std::string, 3> entries;
    std::shared_ptr<const RenderedOpportunity> rendered;
  };
  std::mutex mu_;
  std::unordered_map<std::string, Memo> memo_;
};

RenderedMemo& rendered_memo() {
  static RenderedMemo memo;
  return memo;
}

}  // namespace

awaitable<std::optional<domain::Opportunity>> opportunity(Ports ports, std::string id) {
  const auto keys = opportunity_keys(id);
  if (ports.cache) {
    const Entries e = co_await lookup_entries(*ports.cache, keys);
    if (complete(e)) {
      if (auto decoded = decode(e)) co_return decoded;
    }
  }
  co_return co_await load_and_fill(ports, keys, id);
}

awaitable<std::shared_ptr<const RenderedOpportunity>> rendered_opportunity(Ports ports, std::string id) {
  const auto keys = opportunity_keys(id);
  if (ports.cache) {
    Entries e = co_await lookup_entries(*ports.cache, keys);
    if (complete(e)) {
      if (auto rendered = rendered_memo().find(id, e)) co_return rendered;
      if (auto decoded = decode(e)) {
        auto rendered = render(*decoded);
        rendered_memo().store(id, e, rendered);
        co_return rendered;
      }
    }
  }
  const auto found = co_await load_and_fill(ports, keys, id);
  co_return found ? render(*found) : nullptr;
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
