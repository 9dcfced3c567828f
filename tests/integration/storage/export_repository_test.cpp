// Exports and data-subject requests on both databases: insert and read back every column, the
// worker's transitions (PENDING -> RUNNING -> COMPLETED | FAILED) only from the states that allow
// them (a retried job restarts a RUNNING one; a finished one stays finished), and the retention
// sweep of expired results.
#include "storage/repositories/export_repository.hpp"

#include "integration/storage/storage_fixture.hpp"
#include "storage/migrations.hpp"

namespace oms::storage {
namespace {

using namespace std::chrono_literals;
using testing::make_timestamp;

constexpr const char* k_export = "00000000-0000-4000-8000-0000000000e1";
constexpr const char* k_access = "00000000-0000-4000-8000-0000000000e2";

class ExportRepositoryTest : public testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (HasFatalFailure()) return;
    db_ = open();
    auto make = [&]() -> awaitable<void> {
      co_await migrate(*db_);
      auto s = co_await db_->begin(Access::read_write);
      co_await s->query(
          "INSERT INTO users (id, name, email, role, first_seen_at, last_seen_at) VALUES ('admin-1', 'Ada', "
          "'a@example.com', 'ADMIN', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z')");
      co_await s->commit();
    };
    run(make);
  }
  void TearDown() override {
    if (db_) db_->close();
    StorageTest::TearDown();
  }
  std::optional<domain::Export> find(const std::string& id) {
    auto make = [&]() -> awaitable<std::optional<domain::Export>> {
      auto s = co_await db_->begin(Access::read_only);
      auto e = co_await ExportRepository::find(*s, id);
      co_await s->commit();
      co_return e;
    };
    return run(make);
  }

  std::unique_ptr<Database> db_;
  domain::Timestamp t0_ = make_timestamp(2026, 11, 29, 10, 0, 0, 123456);
};

TEST_P(ExportRepositoryTest, ARequestIsStoredAndReadBackWholeAndMovesThroughItsStates) {
  auto make = [&]() -> awaitable<void> {
    domain::Export e;
    e.id = k_export;
    e.requested_by = "admin-1";
    e.dataset = domain::ExportDataset::audit;
    e.format = domain::ExportFormat::json;
    e.filters = R"({"status":["DRAFT"]})";
    e.created_at = e.updated_at = t0_;
    domain::Export a = e;
    a.id = k_access;
    a.kind = domain::ExportKind::data_subject_access;
    a.subject_user_id = "sm-gone";  // no foreign key: the subject may have been erased
    a.dataset = domain::ExportDataset::subject;
    a.filters = "{}";
    auto s = co_await db_->begin(Access::read_write);
    co_await ExportRepository::insert(*s, e);
    co_await ExportRepository::insert(*s, a);
    co_await s->commit();

    auto w = co_await db_->begin(Access::read_write);
    EXPECT_TRUE(co_await ExportRepository::start(*w, k_export, 250, t0_ + 1s));
    EXPECT_TRUE(co_await ExportRepository::start(*w, k_export, 251, t0_ + 2s));  // a retried job
    co_await ExportRepository::progress(*w, k_export, 100, t0_ + 3s);
    EXPECT_TRUE(co_await ExportRepository::complete(*w, k_export, "admin-1/x.jsonl", 251, t0_ + 4s, t0_ + 24h));
    EXPECT_FALSE(co_await ExportRepository::start(*w, k_export, 1, t0_ + 5s));
    EXPECT_FALSE(co_await ExportRepository::fail(*w, k_export, "late", t0_ + 5s));
    EXPECT_FALSE(co_await ExportRepository::complete(*w, k_access, "k", 1, t0_, t0_));  // not RUNNING
    EXPECT_TRUE(co_await ExportRepository::fail(*w, k_access, "the store is unavailable", t0_ + 6s));
    co_await w->commit();
  };
  run(make);

  const auto e = find(k_export);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, domain::ExportKind::export_data);
  EXPECT_EQ(e->dataset, domain::ExportDataset::audit);
  EXPECT_EQ(e->format, domain::ExportFormat::json);
  std::string filters = e->filters;  // PostgreSQL's jsonb spells it with spaces
  std::erase(filters, ' ');
  EXPECT_EQ(filters, R"({"status":["DRAFT"]})");
  EXPECT_EQ(e->status, domain::ExportStatus::completed);
  EXPECT_EQ(e->rows_done, 251);
  EXPECT_EQ(e->rows_total, 251);
  EXPECT_EQ(e->object_key, "admin-1/x.jsonl");
  EXPECT_EQ(e->created_at, t0_);
  EXPECT_EQ(e->completed_at, t0_ + 4s);
  EXPECT_EQ(e->expires_at, t0_ + 24h);
  EXPECT_FALSE(e->subject_user_id);
  const auto a = find(k_access);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, domain::ExportKind::data_subject_access);
  EXPECT_EQ(a->subject_user_id, "sm-gone");
  EXPECT_EQ(a->status, domain::ExportStatus::failed);
  EXPECT_EQ(a->error, "the store is unavailable");
  EXPECT_FALSE(find("00000000-0000-4000-8000-0000000000ff"));
}

TEST_P(ExportRepositoryTest, ExpiredResultsAreFoundOnceUntilPurged) {
  auto make = [&]() -> awaitable<void> {
    auto s = co_await db_->begin(Access::read_write);
    for (const char* id : {k_export, k_access}) {
      domain::Export e;
      e.id = id;
      e.requested_by = "admin-1";
      e.created_at = e.updated_at = t0_;
      co_await ExportRepository::insert(*s, e);
      co_await ExportRepository::start(*s, id, 1, t0_);
    }
    co_await ExportRepository::complete(*s, k_export, "admin-1/old.csv", 1, t0_, t0_ + 1h);
    co_await ExportRepository::complete(*s, k_access, "admin-1/new.csv", 1, t0_, t0_ + 48h);
    co_await s->commit();

    auto r = co_await db_->begin(Access::read_write);
    auto due = co_await ExportRepository::expired(*r, t0_ + 2h, 10);
    EXPECT_EQ(due.size(), 1U);
    if (!due.empty()) {
      EXPECT_EQ(due.front().object_key, "admin-1/old.csv");
    }
    co_await ExportRepository::mark_purged(*r, k_export, t0_ + 2h);
    EXPECT_TRUE((co_await ExportRepository::expired(*r, t0_ + 2h, 10)).empty());
    EXPECT_EQ((co_await ExportRepository::expired(*r, t0_ + 72h, 10)).size(), 1U);
    co_await r->commit();
  };
  run(make);
}

TEST_P(ExportRepositoryTest, TheSchemaRefusesAnUnknownKindDatasetOrFormat) {
  for (const char* column : {"kind", "dataset", "format", "status"}) {
    auto make = [&]() -> awaitable<bool> {
      domain::Export e;
      e.id = k_export;
      e.requested_by = "admin-1";
      e.created_at = e.updated_at = t0_;
      auto s = co_await db_->begin(Access::read_write);
      co_await ExportRepository::insert(*s, e);
      bool refused = false;
      try {
        std::string sql = "UPDATE exports SET ";
        sql += column;
        sql += " = 'bogus'";
        co_await s->query(sql);
      } catch (const std::exception&) {
        refused = true;
      }
      co_return refused;
    };
    EXPECT_TRUE(run(make)) << column;
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, ExportRepositoryTest, ::testing::Values("sqlite", "postgres"), testing::engine_name);

}  // namespace
}  // namespace oms::storage
