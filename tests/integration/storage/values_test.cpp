// Values of every Param type survive the round trip; NULLs, timestamps, error mapping.
#include <gmock/gmock.h>

#include <array>

#include "storage_fixture.hpp"
#include "util/time.hpp"

namespace oms::storage::testing {
namespace {

using boost::asio::awaitable;
using namespace std::chrono;

class ValuesTest : public StorageTest {
 protected:
  awaitable<void> create_items(Database& db) {
    auto s = co_await db.begin(Access::read_write);
    co_await s->query(
        pick("CREATE TABLE items (id INTEGER PRIMARY KEY, flag BOOLEAN, n BIGINT, x DOUBLE PRECISION, s TEXT, at TEXT, "
             "day TEXT, note TEXT)",
             "CREATE TABLE items (id BIGINT PRIMARY KEY, flag BOOLEAN, n BIGINT, x DOUBLE PRECISION, s TEXT, "
             "at TIMESTAMPTZ, day DATE, note TEXT)"));
    co_await s->commit();
  }
  static constexpr const char* k_insert =
      "INSERT INTO items (id, flag, n, x, s, at, day, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  static constexpr const char* k_select = "SELECT id, flag, n, x, s, at, day, note FROM items WHERE id = $1";
};

TEST_P(ValuesTest, EveryParamTypeRoundTrips) {
  auto db = open();
  const auto at = make_timestamp(2026, 11, 25, 17, 59, 40, 123456);
  const domain::Date day = year{2027} / month{2} / 28;
  const std::string text = "h\xC3\xA9llo 'quoted' \"double\" $1 ?1";
  auto body = [&]() -> awaitable<void> {
    co_await create_items(*db);
    auto s = co_await db->begin(Access::read_write);
    Params first{std::int64_t{1}, true,       std::int64_t{-9007199254740993},       0.1, text,
                 param(at),       param(day), param(std::optional<std::string>("n"))};
    Result inserted = co_await s->query(k_insert, first);
    EXPECT_EQ(inserted.affected, 1);
    Params second{std::int64_t{2}, false, std::int64_t{9223372036854775807}, -2.5e300, std::string(), param(at),
                  param(day),      Null{}};
    co_await s->query(k_insert, second);
    co_await s->commit();

    auto r = co_await db->begin(Access::read_only);
    Params one{std::int64_t{1}};
    Result a = co_await r->query(k_select, one);
    Params two{std::int64_t{2}};
    Result b = co_await r->query(k_select, two);
    co_await r->commit();

    CO_ASSERT_TRUE(a.rows.size() == 1u);
    const Row& row = a.rows[0];
    EXPECT_EQ(row.i64(0), 1);
    EXPECT_TRUE(row.boolean(1));
    EXPECT_EQ(row.i64(2), -9007199254740993);
    EXPECT_NEAR(std::stod(row.str(3)), 0.1, 1e-15);
    EXPECT_EQ(row.str(4), text);
    EXPECT_EQ(row.timestamp(5), at);
    EXPECT_EQ(row.date(6), day);
    EXPECT_EQ(row.str(7), "n");
    EXPECT_NE(a.columns, nullptr);
    if (a.columns == nullptr) co_return;
    EXPECT_EQ(*a.columns, (std::vector<std::string>{"id", "flag", "n", "x", "s", "at", "day", "note"}));

    CO_ASSERT_TRUE(b.rows.size() == 1u);
    EXPECT_FALSE(b.rows[0].boolean(1));
    EXPECT_EQ(b.rows[0].i64(2), 9223372036854775807);
    EXPECT_NEAR(std::stod(b.rows[0].str(3)) / -2.5e300, 1.0, 1e-14);
    EXPECT_EQ(b.rows[0].text(4), std::optional<std::string>(""));  // empty string is not NULL
    EXPECT_TRUE(b.rows[0].is_null(7));
  };
  run(body);
}

TEST_P(ValuesTest, NullsComeBackAsNullopt) {
  auto db = open();
  auto body = [&]() -> awaitable<void> {
    co_await create_items(*db);
    auto s = co_await db->begin(Access::read_write);
    Params nulls{std::int64_t{7},
                 Null{},
                 Null{},
                 Null{},
                 param(std::optional<std::string>()),
                 param(std::optional<domain::Timestamp>()),
                 Null{},
                 Null{}};
    co_await s->query(k_insert, nulls);
    Params id{std::int64_t{7}};
    Result r = co_await s->query(k_select, id);
    co_await s->commit();
    CO_ASSERT_TRUE(r.rows.size() == 1u);
    const Row& row = r.rows[0];
    for (std::size_t i = 1; i < row.size(); ++i) {
      EXPECT_TRUE(row.is_null(i)) << "column " << i;
      EXPECT_EQ(row.text(i), std::nullopt);
      EXPECT_EQ(row.str(i), "");
    }
    EXPECT_EQ(row.opt_timestamp(5), std::nullopt);
    EXPECT_THROW(row.i64(2), DatabaseError);
    EXPECT_THROW(row.boolean(1), DatabaseError);
    EXPECT_THROW(row.timestamp(5), DatabaseError);
  };
  run(body);
}

TEST_P(ValuesTest, TimestampsCompareAndSortInTheDatabase) {
  auto db = open();
  const auto t1 = make_timestamp(2025, 1, 1, 0, 0, 0, 1);
  const auto t2 = make_timestamp(2025, 1, 1, 0, 0, 0, 2);
  const auto t3 = make_timestamp(2026, 3, 4, 5, 6, 7, 0);  // whole second: PostgreSQL prints no fraction
  auto body = [&]() -> awaitable<void> {
    co_await create_items(*db);
    auto s = co_await db->begin(Access::read_write);
    std::int64_t id = 0;
    const std::array<domain::Timestamp, 3> unordered{t3, t1, t2};
    for (auto t : unordered) {
      Params p{++id, Null{}, Null{}, Null{}, Null{}, param(t), Null{}, Null{}};
      co_await s->query(k_insert, p);
    }
    Params after{param(t1)};
    Result r = co_await s->query("SELECT at FROM items WHERE at > $1 ORDER BY at", after);
    co_await s->commit();
    CO_ASSERT_TRUE(r.rows.size() == 2u);
    EXPECT_EQ(r.rows[0].timestamp(0), t2);
    EXPECT_EQ(r.rows[1].opt_timestamp(0), t3);
  };
  run(body);
}

TEST_P(ValuesTest, DuplicateKeyIsUniqueViolationAndOtherErrorsAreDatabaseErrors) {
  auto db = open();
  auto body = [&]() -> awaitable<void> {
    co_await create_items(*db);
    {
      auto s = co_await db->begin(Access::read_write);
      Params p{std::int64_t{1}, true, Null{}, Null{}, Null{}, Null{}, Null{}, Null{}};
      co_await s->query(k_insert, p);
      bool unique = false;
      try {
        co_await s->query(k_insert, p);
      } catch (const UniqueViolation&) {
        unique = true;
      }
      EXPECT_TRUE(unique);
    }
    auto s = co_await db->begin(Access::read_write);
    bool database_error = false;
    try {
      co_await s->query("SELEC nonsense");
    } catch (const DatabaseError& e) {
      database_error = true;
      EXPECT_THAT(e.what(), ::testing::HasSubstr("syntax"));
    }
    EXPECT_TRUE(database_error);
  };
  run(body);
}

TEST_P(ValuesTest, PlaceholdersInsideLiteralsAreLeftAlone) {
  auto db = open();
  auto body = [&]() -> awaitable<void> {
    auto s = co_await db->begin(Access::read_only);
    Params p{std::string("b"), std::string("a")};
    Result r = co_await s->query("SELECT '$1' AS lit, CAST($2 AS TEXT) AS second, CAST($1 AS TEXT) AS first -- $3", p);
    co_await s->commit();
    CO_ASSERT_TRUE(r.rows.size() == 1u);
    EXPECT_EQ(r.rows[0].str(0), "$1");
    EXPECT_EQ(r.rows[0].str(1), "a");
    EXPECT_EQ(r.rows[0].str(2), "b");
    // Row keeps its column names valid after the Result moved.
    Result moved = std::move(r);
    std::vector<Row> rows = std::move(moved.rows);
    EXPECT_EQ(rows[0].index("first"), 2u);
    EXPECT_THROW(rows[0].index("missing"), DatabaseError);
  };
  run(body);
}

TEST_P(ValuesTest, ScriptWithoutParamsRunsEveryStatement) {
  auto db = open();
  auto body = [&]() -> awaitable<void> {
    auto s = co_await db->begin(Access::read_write);
    co_await s->query(
        "CREATE TABLE a (id INTEGER PRIMARY KEY);\n-- a comment; with a semicolon\n"
        "INSERT INTO a (id) VALUES (1);\nINSERT INTO a (id) VALUES (2);\n");
    Result r = co_await s->query("SELECT count(*) FROM a");
    co_await s->commit();
    EXPECT_EQ(r.rows.at(0).i64(0), 2);
  };
  run(body);
}

INSTANTIATE_TEST_SUITE_P(Engines, ValuesTest, ::testing::Values("sqlite", "postgres"), engine_name);

}  // namespace
}  // namespace oms::storage::testing
