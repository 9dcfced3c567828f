// The use cases read through the cache (memory:// and a real redis-server) and every write
// invalidates what it changed before it returns: read, write, read again sees the new version.
#include "app/cached_reads.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <mutex>
#include <sstream>

#include "app/cache_codec.hpp"
#include "app/json_views.hpp"
#include "app_fixture.hpp"
#include "cache/open.hpp"
#include "integration/cache/redis_server.hpp"

namespace oms::testing {
namespace {
using domain::ErrorCode;
using domain::Status;

enum class CacheKind { memory, redis };

// Readers share this with the test; held by shared_ptr so a reader outliving the test is harmless.
struct ReaderState {
  std::atomic<bool> stop{false};
  std::atomic<int> running{0};
  std::atomic<int> errors{0};
};

boost::asio::awaitable<void> keep_reading(app::Opportunities& svc, app::Ctx c, std::string id,
                                          std::shared_ptr<ReaderState> state) {
  for (int i = 0; i < 20000 && !state->stop; ++i) {  // bounded in count
    try {
      co_await svc.get(c, id);
    } catch (...) {
      ++state->errors;
    }
    // A cache hit never suspends: yield so the writer and the other readers interleave.
    auto executor = co_await boost::asio::this_coro::executor;
    co_await boost::asio::post(executor, boost::asio::use_awaitable);
  }
  --state->running;
}

class CachedAppTest : public AppTest {
 protected:
  explicit CachedAppTest(CacheKind kind) : kind_(kind) {}
  void SetUp() override {
    std::string url = "memory://";
    if (kind_ == CacheKind::redis) {
      server_ = std::make_unique<RedisServer>();
      url = server_->url();
    }
    auto log = [this](const std::string& m) {
      std::lock_guard lock(mu_);
      log_.push_back(m);
    };
    opened_ = cache::open_cache(io().get_executor(), url, std::nullopt, log, log);
    AppTest::SetUp();
  }
  cache::CacheAside* cache_aside() override { return opened_.aside.get(); }

  domain::Opportunity get(const std::string& id) {
    auto c = ctx(sm1_);
    return run(svc().opportunities.get(c, id));
  }
  // Changes the title behind the cache's back, so a test can tell a cached read from a fresh one.
  void change_title_in_database(const std::string& id, const std::string& title) {
    exec("UPDATE opportunities SET title = $1 WHERE id = $2", {title, id});
  }
  cache::FamilyCounters counters(cache::Family f) {
    return opened_.guarded->stats().families[static_cast<std::size_t>(f)];
  }
  domain::Opportunity step(const std::string& id, Status to, std::optional<std::string> architect = std::nullopt) {
    auto c = ctx(service_);
    app::SystemTransition t{to, "by matching", std::move(architect)};
    return run(svc().opportunities.transition(c, id, t, std::nullopt));
  }

  void opportunity_reads_are_cached();
  void every_opportunity_write_invalidates();
  void catalog_writes_invalidate();
  void user_activation_invalidates();
  void racing_reads_never_store_an_older_version();
  void redis_outage_is_invisible();
  void the_seed_keys_hold_the_parts();
  void customer_changes_are_read_back();
  void parts_of_two_versions_are_never_assembled();
  void rendered_reads_follow_every_write();

  CacheKind kind_;
  std::unique_ptr<RedisServer> server_;
  cache::OpenedCache opened_;
  std::mutex mu_;
  std::vector<std::string> log_;
};

void CachedAppTest::opportunity_reads_are_cached() {
  auto o = create(sm1_);
  EXPECT_EQ(get(o.id).title, o.title);  // miss, filled
  change_title_in_database(o.id, "Changed behind the cache");
  EXPECT_EQ(get(o.id).title, o.title);  // served from the cache
  EXPECT_GE(counters(cache::Family::opportunity).hits, 1u);
  EXPECT_GE(counters(cache::Family::opportunity).misses, 1u);
  // The policy still applies to a cached aggregate.
  expect_error(ErrorCode::not_found, [&] {
    auto c = ctx(sm2_);
    run(svc().opportunities.get(c, o.id));
  });
}

// GET one opportunity's rendered body (cached::rendered_opportunity): rendered from the database
// on a miss, decoded and rendered on the first hit, reused while the cached entries are the same
// bytes; always exactly the JSON of the aggregate the entries hold, with its version.
void CachedAppTest::rendered_reads_follow_every_write() {
  auto c = ctx(sm1_);
  auto o = create(sm1_);
  const auto json_of = [](const domain::Opportunity& x) { return boost::json::serialize(boost::json::value_from(x)); };
  const auto miss = run(svc().opportunities.get_rendered(c, o.id));
  const auto first_hit = run(svc().opportunities.get_rendered(c, o.id));
  const auto second_hit = run(svc().opportunities.get_rendered(c, o.id));
  EXPECT_EQ(miss->body, json_of(get(o.id)));
  EXPECT_EQ(first_hit->body, miss->body);
  EXPECT_EQ(second_hit.get(), first_hit.get());  // the same rendering, not a new one
  EXPECT_EQ(second_hit->version, o.version);
  change_title_in_database(o.id, "Changed behind the cache");
  EXPECT_EQ(run(svc().opportunities.get_rendered(c, o.id))->body, miss->body);  // served from the cache
  app::OpportunityPatch p;
  p.title = "Retitled";
  const auto written = run(svc().opportunities.update(c, o.id, p, std::nullopt));
  const auto after = run(svc().opportunities.get_rendered(c, o.id));
  EXPECT_EQ(after->version, written.version);
  EXPECT_NE(after->body.find("\"title\":\"Retitled\""), std::string::npos);
  const auto after_hit = run(svc().opportunities.get_rendered(c, o.id));
  EXPECT_EQ(after_hit->body, after->body);
  EXPECT_EQ(after_hit->body, json_of(get(o.id)));
  // The view policy applies to a rendered body as to the aggregate.
  expect_error(ErrorCode::not_found, [&] {
    auto other = ctx(sm2_);
    run(svc().opportunities.get_rendered(other, o.id));
  });
}

void CachedAppTest::every_opportunity_write_invalidates() {
  auto c = ctx(sm1_);
  auto o = create(sm1_);
  // Each write: read (fills the cache), write, read again: the written version, never the cached one.
  auto check = [&](const char* what, auto write) {
    SCOPED_TRACE(what);
    const auto before = get(o.id);
    const domain::Opportunity written = write();
    auto after = get(o.id);  // not const: returned, so moved
    EXPECT_EQ(after.version, written.version);
    EXPECT_GT(after.version, before.version);
    o = after;
    return after;
  };
  check("update", [&] {
    app::OpportunityPatch p;
    p.title = "Retitled";
    return run(svc().opportunities.update(c, o.id, p, std::nullopt));
  });
  EXPECT_EQ(get(o.id).title, "Retitled");
  check("problem statement", [&] {
    return run(svc().opportunities.put_problem_statement(c, o.id, long_text(), std::nullopt, std::nullopt));
  });
  EXPECT_TRUE(get(o.id).problem_statement);
  std::string requirement_id;
  check("add skill requirement", [&] {
    app::SkillRequirementInput req{skill_id("Kubernetes"), domain::Importance::must_have,
                                   domain::Proficiency::advanced};
    requirement_id = run(svc().opportunities.add_skill_requirement(c, o.id, req, std::nullopt, std::nullopt)).id;
    return run(svc().opportunities.get(c, o.id));
  });
  ASSERT_EQ(get(o.id).skill_requirements.size(), 1u);
  check("update skill requirement", [&] {
    app::SkillRequirementPatch patch;
    patch.minimum_proficiency = domain::Proficiency::expert;
    run(svc().opportunities.update_skill_requirement(c, o.id, requirement_id, patch, std::nullopt, std::nullopt));
    return run(svc().opportunities.get(c, o.id));
  });
  EXPECT_EQ(get(o.id).skill_requirements.at(0).minimum_proficiency, domain::Proficiency::expert);
  check("add a second requirement", [&] {
    app::SkillRequirementInput req{skill_id("PostgreSQL"), domain::Importance::must_have,
                                   domain::Proficiency::intermediate};
    run(svc().opportunities.add_skill_requirement(c, o.id, req, std::nullopt, std::nullopt));
    return run(svc().opportunities.get(c, o.id));
  });
  check("remove skill requirement", [&] {
    run(svc().opportunities.remove_skill_requirement(c, o.id, requirement_id, std::nullopt, std::nullopt));
    return run(svc().opportunities.get(c, o.id));
  });
  EXPECT_EQ(get(o.id).skill_requirements.size(), 1u);
  check("timeline", [&] {
    domain::Timeline t;
    auto today = std::chrono::floor<std::chrono::days>(clock().now());
    t.expected_start_date = today + std::chrono::days(60);
    t.expected_end_date = today + std::chrono::days(150);
    return run(svc().opportunities.put_timeline(c, o.id, t, std::nullopt, std::nullopt));
  });
  const std::string other_customer = customer_id("Contoso Health");
  check("customer", [&] {
    app::OpportunityPatch p;
    p.customer_id = other_customer;
    return run(svc().opportunities.update(c, o.id, p, std::nullopt));
  });
  EXPECT_EQ(get(o.id).customer_id, other_customer);
  check("submit", [&] { return run(svc().opportunities.submit(c, o.id, std::nullopt)); });
  EXPECT_EQ(get(o.id).status, Status::submitted);
  check("transition", [&] { return step(o.id, Status::matching_in_progress); });
  check("cancel", [&] { return run(svc().opportunities.cancel(c, o.id, "Budget frozen", std::nullopt)); });
  EXPECT_EQ(get(o.id).status, Status::cancelled);
  check("reactivate", [&] { return run(svc().opportunities.reactivate(c, o.id, std::nullopt)); });
  EXPECT_EQ(get(o.id).status, Status::matching_in_progress);
}

void CachedAppTest::catalog_writes_invalidate() {
  auto sa = ctx(sa_);
  auto admin = ctx(admin_);
  app::SkillQuery all;
  all.page.limit = 100;
  const auto first = run(svc().skills.list(sa, all)).items;  // miss, fills skills_catalog
  EXPECT_EQ(run(svc().skills.list(sa, all)).items.size(), first.size());
  EXPECT_GE(counters(cache::Family::skills_catalog).hits, 1u);

  app::SkillInput in;
  in.name = "Zig";
  in.category = domain::SkillCategory::technical;
  in.description = "A systems language";
  const auto zig = run(svc().skills.create(admin, in, std::nullopt)).value;
  auto after_create = run(svc().skills.list(sa, all)).items;
  EXPECT_EQ(after_create.size(), first.size() + 1);

  app::SkillPatch deactivate;
  deactivate.is_active = false;
  run(svc().skills.update(admin, zig.id, deactivate));
  EXPECT_EQ(run(svc().skills.list(sa, all)).items.size(), first.size());
  all.include_inactive = true;
  EXPECT_EQ(run(svc().skills.list(sa, all)).items.size(), first.size() + 1);

  // Pages and category filters cut from the cached catalog equal the database's.
  app::SkillQuery paged;
  paged.page.limit = 7;
  paged.category = domain::SkillCategory::technical;
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) {
    auto page = run(svc().skills.list(sa, paged));
    for (const auto& s : page.items) {
      EXPECT_EQ(s.category, domain::SkillCategory::technical);
      names.push_back(s.name);
    }
    if (!page.next_cursor) break;
    paged.page.cursor = page.next_cursor;
  }
  auto rows = exec("SELECT COUNT(*) FROM skills WHERE category = 'TECHNICAL' AND is_active");
  EXPECT_EQ(static_cast<std::int64_t>(names.size()), rows.rows[0].i64(0));
}

void CachedAppTest::user_activation_invalidates() {
  auto admin = ctx(admin_);
  auto sm2 = ctx(sm2_);
  EXPECT_TRUE(run(svc().users.me(sm2)).is_active);  // cached by the touch
  EXPECT_TRUE(run(svc().users.touch(sm2_)).is_active);
  EXPECT_GE(counters(cache::Family::user).hits, 1u);
  run(svc().users.set_active(admin, "sm-2", false));
  expect_error(ErrorCode::forbidden, [&] { run(svc().users.touch(sm2_)); });
  run(svc().users.set_active(admin, "sm-2", true));
  EXPECT_TRUE(run(svc().users.touch(sm2_)).is_active);
  // A profile change in the token is written through and read back.
  auto renamed = sm2_;
  renamed.name = "Renamed User";
  EXPECT_EQ(run(svc().users.touch(renamed)).name, "Renamed User");
  EXPECT_EQ(run(svc().users.me(app::Ctx{renamed, "r"})).name, "Renamed User");
}

// Readers hammer the aggregate while it is updated; after each update returns, a read never sees
// an older version (a racing read's older row is never stored).
void CachedAppTest::racing_reads_never_store_an_older_version() {
  auto o = create(sm1_);
  auto state = std::make_shared<ReaderState>();
  const auto c = ctx(sm1_);
  for (int r = 0; r < 4; ++r) {
    ++state->running;
    auto task = keep_reading(svc().opportunities, c, o.id, state);
    boost::asio::co_spawn(io(), std::move(task), boost::asio::detached);
  }
  for (int i = 0; i < 25; ++i) {
    app::OpportunityPatch p;
    p.title = "Title " + std::to_string(i);
    const auto written = run(svc().opportunities.update(c, o.id, p, std::nullopt));
    const auto read = get(o.id);
    ASSERT_GE(read.version, written.version) << "a stale version was served after the write returned";
    EXPECT_EQ(read.title, p.title);
  }
  state->stop = true;
  for (int i = 0; i < 1000 && state->running > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(state->running.load(), 0);
  EXPECT_EQ(state->errors.load(), 0);
}

void CachedAppTest::redis_outage_is_invisible() {
  auto o = create(sm1_);
  get(o.id);
  server_->stop();
  for (int i = 0; i < 10; ++i) EXPECT_EQ(get(o.id).id, o.id);  // served from the database
  app::OpportunityPatch p;
  p.title = "Written while Redis is down";
  run(svc().opportunities.update(ctx(sm1_), o.id, p, std::nullopt));
  EXPECT_EQ(get(o.id).title, p.title);
  EXPECT_EQ(opened_.guarded->state(), "down");
  server_->start();
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {  // bounded: the guard's backoff is at most 5 s
    get(o.id);
    up = opened_.guarded->state() == "up";
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(up);
  const auto hits = counters(cache::Family::opportunity).hits;
  get(o.id);  // fills
  EXPECT_EQ(get(o.id).title, p.title);
  EXPECT_GT(counters(cache::Family::opportunity).hits, hits);
  std::lock_guard lock(mu_);
  EXPECT_EQ(log_.size(), 2u);  // one line down, one line up
}

// The seed's keys: the aggregate in `opportunity:{id}`, `problem_statement:{id}` and
// `skill_requirements:{opportunity_id}` (5 min), `skills_catalog` (1 h), `user:{id}` (15 min),
// and on Redis nothing else, every key with a TTL (volatile-lru evicts only keys that expire).
void CachedAppTest::the_seed_keys_hold_the_parts() {
  auto o = create(sm1_);
  auto c = ctx(sm1_);
  run(svc().opportunities.put_problem_statement(c, o.id, long_text(), std::nullopt, std::nullopt));
  app::SkillRequirementInput req{skill_id("Kubernetes"), domain::Importance::must_have, domain::Proficiency::advanced};
  run(svc().opportunities.add_skill_requirement(c, o.id, req, std::nullopt, std::nullopt));
  run(svc().users.touch(sm1_));
  app::SkillQuery all;
  run(svc().skills.list(ctx(sa_), all));
  const auto read = get(o.id);  // fills the three entries
  ASSERT_TRUE(read.problem_statement);
  ASSERT_EQ(read.skill_requirements.size(), 1u);
  const auto hits = counters(cache::Family::opportunity).hits;
  const auto again = get(o.id);
  EXPECT_EQ(counters(cache::Family::opportunity).hits, hits + 1);
  EXPECT_EQ(counters(cache::Family::problem_statement).hits, 1u);
  EXPECT_EQ(counters(cache::Family::skill_requirements).hits, 1u);
  EXPECT_EQ(again.problem_statement->content, read.problem_statement->content);
  EXPECT_EQ(again.skill_requirements.at(0).id, read.skill_requirements.at(0).id);
  for (const auto& key : app::cached::opportunity_keys(o.id)) EXPECT_TRUE(run(opened_.aside->lookup(key))) << key;
  if (!server_) return;
  const std::vector<std::pair<std::string, int>> expected{{"opportunity:" + o.id, 300},
                                                          {"problem_statement:" + o.id, 300},
                                                          {"skill_requirements:" + o.id, 300},
                                                          {"skills_catalog", 3600},
                                                          {"user:sm-1", 900}};
  for (const auto& [key, ttl] : expected) {
    const int left = std::stoi(server_->cli("TTL " + key));
    EXPECT_GT(left, ttl - 60) << key;
    EXPECT_LE(left, ttl) << key;
  }
  const std::string keys = server_->cli("KEYS '*'");
  std::istringstream lines(keys);
  for (std::string key; std::getline(lines, key);) {
    if (key.empty()) continue;
    const auto family = key.substr(0, key.find(':'));
    EXPECT_TRUE(family == "opportunity" || family == "problem_statement" || family == "skill_requirements" ||
                family == "skills_catalog" || family == "user")
        << key;
    EXPECT_GT(std::stoi(server_->cli("TTL " + key)), 0) << key << " has no TTL";
  }
}

// Customers are not cached (the seed names no key for them); a created customer is read back at
// once, by id and in the list, next to cached reads.
void CachedAppTest::customer_changes_are_read_back() {
  auto c = ctx(sm1_);
  const app::PageRequest page{100, std::nullopt};
  const auto before = run(svc().customers.list(c, std::nullopt, page)).items.size();
  app::CustomerInput in;
  in.name = "Fabrikam Tiered";
  in.industry = "Retail";
  const auto created = run(svc().customers.create(c, in, std::nullopt)).value;
  EXPECT_EQ(run(svc().customers.list(c, std::nullopt, page)).items.size(), before + 1);
  EXPECT_EQ(run(svc().customers.get(c, created.id)).name, "Fabrikam Tiered");
  auto o = create(sm1_);
  get(o.id);
  app::OpportunityPatch p;
  p.customer_id = created.id;
  run(svc().opportunities.update(c, o.id, p, std::nullopt));
  EXPECT_EQ(get(o.id).customer_id, created.id);
}

// A part stored by another version (a write and a refill crossed) is never combined with the
// others: the read goes to the database.
void CachedAppTest::parts_of_two_versions_are_never_assembled() {
  auto o = create(sm1_);
  auto cached = get(o.id);  // fills
  change_title_in_database(o.id, "Changed behind the cache");
  EXPECT_EQ(get(o.id).title, o.title);  // a hit: the three parts agree
  cached.version += 1;
  auto newer = app::codec::encode(cached);
  const std::string value = "v" + newer.skill_requirements;  // CacheAside's value mark
  run(opened_.aside->cache().set(app::cached::skill_requirements_key(o.id), value, std::chrono::minutes(5)));
  EXPECT_EQ(get(o.id).title, "Changed behind the cache");  // not assembled: read from the database
}

class MemoryCachedApp : public CachedAppTest {
 public:
  MemoryCachedApp() : CachedAppTest(CacheKind::memory) {}
};
class RedisCachedApp : public CachedAppTest {
 public:
  RedisCachedApp() : CachedAppTest(CacheKind::redis) {}
};

#define CACHED_APP_TEST(name, method)         \
  TEST_P(MemoryCachedApp, name) { method(); } \
  TEST_P(RedisCachedApp, name) { method(); }

CACHED_APP_TEST(OpportunityReadsAreCached, opportunity_reads_are_cached)
CACHED_APP_TEST(EveryOpportunityWriteInvalidates, every_opportunity_write_invalidates)
CACHED_APP_TEST(CatalogWritesInvalidate, catalog_writes_invalidate)
CACHED_APP_TEST(UserActivationInvalidates, user_activation_invalidates)
CACHED_APP_TEST(RacingReadsNeverStoreAnOlderVersion, racing_reads_never_store_an_older_version)
CACHED_APP_TEST(TheSeedKeysHoldTheParts, the_seed_keys_hold_the_parts)
CACHED_APP_TEST(CustomerChangesAreReadBack, customer_changes_are_read_back)
CACHED_APP_TEST(PartsOfTwoVersionsAreNeverAssembled, parts_of_two_versions_are_never_assembled)
CACHED_APP_TEST(RenderedReadsFollowEveryWrite, rendered_reads_follow_every_write)
TEST_P(RedisCachedApp, RedisOutageIsInvisible) { redis_outage_is_invisible(); }

INSTANTIATE_TEST_SUITE_P(Stores, MemoryCachedApp, ::testing::Values(Store::sqlite, Store::postgres), store_name);
INSTANTIATE_TEST_SUITE_P(Stores, RedisCachedApp, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
