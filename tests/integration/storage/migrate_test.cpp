// migrate() applies each migration of the database's dialect once, atomically.
#include <gmock/gmock.h>

#include "storage/migrations.hpp"
#include "storage_fixture.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;
using ::testing::ElementsAre;

const std::vector<EmbeddedMigration> k_two{
    {"sqlite", "0001_widgets",
     "CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
     "INSERT INTO widgets (id, name) VALUES (1, 'first; not a separator');\n"},
    {"postgres", "0001_widgets",
     "CREATE TABLE widgets (id BIGINT PRIMARY KEY, name TEXT NOT NULL);\n"
     "INSERT INTO widgets (id, name) VALUES (1, 'first; not a separator');\n"},
    // Listed out of order on purpose: the number orders them.
    {"sqlite", "0002_colour",
     "ALTER TABLE widgets ADD COLUMN colour TEXT; -- trailing comment\n"
     "INSERT INTO widgets (id, name, colour) VALUES (2, 'second', 'red');"},
    {"postgres", "0002_colour",
     "ALTER TABLE widgets ADD COLUMN colour TEXT; -- trailing comment\n"
     "INSERT INTO widgets (id, name, colour) VALUES (2, 'second', 'red');"},
};

std::vector<EmbeddedMigration> with(std::vector<EmbeddedMigration> base, EmbeddedMigration a, EmbeddedMigration b) {
  base.push_back(a);
  base.push_back(b);
  return base;
}

awaitable<std::int64_t> count(Database& db, const char* sql) {
  auto s = co_await db.begin(Access::read_only);
  Result r = co_await s->query(sql);
  co_await s->commit();
  co_return r.rows.at(0).i64(0);
}

class MigrateTest : public StorageTest {};

TEST_P(MigrateTest, AppliesOnceAndIsIdempotent) {
  auto db = open();
  std::vector<EmbeddedMigration> reversed{k_two[2], k_two[3], k_two[0], k_two[1]};
  auto first = [&]() { return migrate(*db, reversed); };
  MigrationReport r1 = run(first);
  EXPECT_THAT(r1.applied, ElementsAre("0001_widgets", "0002_colour"));
  EXPECT_EQ(r1.current, "0002_colour");

  MigrationReport r2 = run(first);
  EXPECT_TRUE(r2.applied.empty());
  EXPECT_EQ(r2.current, "0002_colour");

  auto widgets = [&]() { return count(*db, "SELECT count(*) FROM widgets"); };
  EXPECT_EQ(run(widgets), 2);
  auto recorded = [&]() { return count(*db, "SELECT count(*) FROM schema_migrations"); };
  EXPECT_EQ(run(recorded), 2);

  auto more = with(k_two, {"sqlite", "0003_gadgets", "CREATE TABLE gadgets (id INTEGER PRIMARY KEY)"},
                   {"postgres", "0003_gadgets", "CREATE TABLE gadgets (id BIGINT PRIMARY KEY)"});
  auto third = [&]() { return migrate(*db, more); };
  MigrationReport r3 = run(third);
  EXPECT_THAT(r3.applied, ElementsAre("0003_gadgets"));
  EXPECT_EQ(r3.current, "0003_gadgets");
}

TEST_P(MigrateTest, AFailingMigrationLeavesNothingBehind) {
  auto db = open();
  auto broken = with(k_two, {"sqlite", "0003_broken", "CREATE TABLE half (id INTEGER);\nTHIS IS NOT SQL;"},
                     {"postgres", "0003_broken", "CREATE TABLE half (id BIGINT);\nTHIS IS NOT SQL;"});
  auto attempt = [&]() { return migrate(*db, broken); };
  try {
    run(attempt);
    ADD_FAILURE() << "migrate succeeded";
  } catch (const DatabaseError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("0003_broken"));
  }
  // The earlier migrations stay applied; the broken one left no table and no record.
  auto recorded = [&]() { return count(*db, "SELECT count(*) FROM schema_migrations"); };
  EXPECT_EQ(run(recorded), 2);
  auto half = [&]() { return count(*db, "SELECT count(*) FROM half"); };
  EXPECT_THROW(run(half), DatabaseError);
}

INSTANTIATE_TEST_SUITE_P(Engines, MigrateTest, ::testing::Values("sqlite", "postgres"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
