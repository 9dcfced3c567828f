// Skills catalog, customers, users and the demo seed.
// Role gates are declared on the routes (http::RouteOptions::roles) and tested over HTTP in
// tests/api/test_authz_matrix.py; these tests cover what the use cases own.
#include <set>

#include "app_fixture.hpp"

namespace oms::testing {
namespace {

using domain::ErrorCode;

class SkillsTest : public AppTest {};

TEST_P(SkillsTest, SeedIsRichAndIdempotent) {
  EXPECT_GE(count("skills"), 40);
  EXPECT_EQ(count("customers"), 2);
  for (const char* category : {"TECHNICAL", "SOFT", "INDUSTRY", "LANGUAGE"})
    EXPECT_GT(exec("SELECT COUNT(*) FROM skills WHERE category = $1", {std::string(category)}).rows[0].i64(0), 0)
        << category;
  const auto skills = count("skills");
  const auto audit = count("audit_log");
  run(app::seed_demo(svc().ports));
  EXPECT_EQ(count("skills"), skills);
  EXPECT_EQ(count("customers"), 2);
  EXPECT_EQ(count("audit_log"), audit);
}

TEST_P(SkillsTest, SkillsListFiltersAndPages) {
  auto sa = ctx(sa_);
  app::SkillQuery q;
  q.text = "k8s";  // a synonym
  auto hits = run(svc().skills.list(sa, q)).items;
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].name, "Kubernetes");
  q.text = "POSTGRES";  // case-insensitive, name substring
  ASSERT_EQ(run(svc().skills.list(sa, q)).items.size(), 1u);
  q.text = "100%_";  // LIKE wildcards are literal
  EXPECT_TRUE(run(svc().skills.list(sa, q)).items.empty());
  q.text = "\",\"";  // synonyms are matched one by one, not as JSON text
  EXPECT_TRUE(run(svc().skills.list(sa, q)).items.empty());

  app::SkillQuery lang;
  lang.category = domain::SkillCategory::language;
  lang.page.limit = 100;
  for (const auto& s : run(svc().skills.list(sa, lang)).items) EXPECT_EQ(s.category, domain::SkillCategory::language);

  app::SkillQuery all;
  all.page.limit = 7;
  std::vector<std::string> names;
  for (int guard = 0; guard < 20; ++guard) {
    auto page = run(svc().skills.list(sa, all));
    for (const auto& s : page.items) names.push_back(s.name);
    if (!page.next_cursor) break;
    all.page.cursor = page.next_cursor;
  }
  EXPECT_EQ(static_cast<std::int64_t>(names.size()), count("skills"));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
}

TEST_P(SkillsTest, OnlyAdminsManageSkills) {
  app::SkillInput in{"Rust", domain::SkillCategory::technical, "Programming", "Rust systems programming", {"rustlang"},
                     {}};
  auto sm = ctx(sm1_);
  auto admin = ctx(admin_);
  auto made = run(svc().skills.create(admin, in, std::nullopt)).value;
  EXPECT_TRUE(made.is_active);
  app::SkillInput dup = in;
  dup.name = "RUST";
  auto e = expect_error(ErrorCode::duplicate, [&] { run(svc().skills.create(admin, dup, std::nullopt)); });
  EXPECT_TRUE(has_field_error(e, "name"));
  app::SkillPatch rename;
  rename.name = "kubernetes";
  expect_error(ErrorCode::duplicate, [&] { run(svc().skills.update(admin, made.id, rename)); });

  app::SkillPatch off;
  off.is_active = false;
  off.subcategory = std::optional<std::string>{};
  auto changed = run(svc().skills.update(admin, made.id, off));
  EXPECT_FALSE(changed.is_active);
  EXPECT_FALSE(changed.subcategory.has_value());
  app::SkillQuery q;
  q.text = "rust";
  EXPECT_TRUE(run(svc().skills.list(sm, q)).items.empty());
  q.include_inactive = true;
  EXPECT_EQ(run(svc().skills.list(sm, q)).items.size(), 1u);
  EXPECT_EQ(run(svc().skills.get(sm, made.id)).name, "Rust");
  expect_error(ErrorCode::not_found, [&] { run(svc().skills.get(sm, "00000000-0000-4000-8000-000000000000")); });
}

TEST_P(SkillsTest, CustomersForSalesManagersAndAdmins) {
  auto sa = ctx(sa_);
  app::CustomerInput in{"Woodgrove Insurance", "Insurance", "https://woodgrove.example", std::nullopt,
                        domain::Contact{"Alan Turing", "alan@woodgrove.example", "+44 20 7946 0000"}};
  auto sm = ctx(sm1_);
  auto made = run(svc().customers.create(sm, in, std::nullopt)).value;
  EXPECT_EQ(made.primary_contact->email, "alan@woodgrove.example");
  app::CustomerInput dup = in;
  dup.name = "woodgrove INSURANCE";
  expect_error(ErrorCode::duplicate, [&] { run(svc().customers.create(sm, dup, std::nullopt)); });
  auto found = run(svc().customers.list(sm, std::string("GROVE"), app::PageRequest{})).items;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, made.id);
  auto page = run(svc().customers.list(sm, std::nullopt, app::PageRequest{2, std::nullopt}));
  EXPECT_EQ(page.items.size(), 2u);
  ASSERT_TRUE(page.next_cursor.has_value());
  auto rest = run(svc().customers.list(sm, std::nullopt, app::PageRequest{2, page.next_cursor}));
  ASSERT_EQ(rest.items.size(), 1u);
  EXPECT_FALSE(rest.next_cursor.has_value());
  EXPECT_EQ(run(svc().customers.get(sm, made.id)).name, "Woodgrove Insurance");

  // An inactive customer cannot take new opportunities.
  exec("UPDATE customers SET is_active = $2 WHERE id = $1", {made.id, false});
  auto input = sample_input();
  input.customer_id = made.id;
  auto e = expect_error(ErrorCode::validation_error, [&] { run(svc().opportunities.create(sm, input, std::nullopt)); });
  EXPECT_TRUE(has_field_error(e, "customer_id"));
}

TEST_P(SkillsTest, UsersAreRecordedOnceAndCanBeDeactivated) {
  const auto audit = count("audit_log");
  auto newcomer = principal("sm-new", domain::Role::sales_manager);
  auto u = run(svc().users.touch(newcomer));
  EXPECT_EQ(u.first_seen_at, clock().now());
  EXPECT_EQ(count("audit_log"), audit + 1);

  // Repeated requests write nothing; a profile change or a stale last-seen does.
  clock().advance(std::chrono::minutes(5));
  EXPECT_EQ(run(svc().users.touch(newcomer)).last_seen_at, u.first_seen_at);
  EXPECT_EQ(count("audit_log"), audit + 1);
  clock().advance(std::chrono::minutes(15));
  EXPECT_EQ(run(svc().users.touch(newcomer)).last_seen_at, clock().now());
  EXPECT_EQ(count("audit_log"), audit + 1);
  newcomer.name = "Renamed";
  EXPECT_EQ(run(svc().users.touch(newcomer)).name, "Renamed");
  EXPECT_EQ(count("audit_log"), audit + 2);

  auto admin = ctx(admin_);
  auto sm = ctx(sm1_);
  expect_error(ErrorCode::validation_error, [&] { run(svc().users.set_active(admin, "admin-1", false)); });
  expect_error(ErrorCode::not_found, [&] { run(svc().users.set_active(admin, "nobody", false)); });
  EXPECT_FALSE(run(svc().users.set_active(admin, "sm-new", false)).is_active);
  auto e = expect_error(ErrorCode::forbidden, [&] { run(svc().users.touch(newcomer)); });
  EXPECT_EQ(e.detail(), "user is deactivated");
  EXPECT_TRUE(run(svc().users.set_active(admin, "sm-new", true)).is_active);
  EXPECT_EQ(run(svc().users.touch(newcomer)).id, "sm-new");

  app::PageRequest page{2, std::nullopt};
  std::vector<std::string> ids;
  for (int guard = 0; guard < 10; ++guard) {
    auto p = run(svc().users.list(admin, page));
    for (const auto& x : p.items) ids.push_back(x.id);
    if (!p.next_cursor) break;
    page.cursor = p.next_cursor;
  }
  EXPECT_EQ(static_cast<std::int64_t>(ids.size()), count("users"));
}

INSTANTIATE_TEST_SUITE_P(Stores, SkillsTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
