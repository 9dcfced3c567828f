// Attachment retention on both databases with the real file:// store: removed attachments keep
// their object for the retention period and lose it after; abandoned upload intents lose object
// and intent a day after their URL expired; live attachments and fresh intents are untouched.
#include "jobs/object_retention.hpp"

#include <filesystem>
#include <fstream>

#include "domain/clock.hpp"
#include "integration/storage/storage_fixture.hpp"
#include "objects/file_store.hpp"
#include "storage/migrations.hpp"
#include "storage/repositories/attachment_repository.hpp"
#include "storage/repositories/export_repository.hpp"
#include "util/encoding.hpp"

namespace oms::jobs {
namespace {

using namespace std::chrono_literals;
using storage::AttachmentRepository;
using storage::testing::make_timestamp;

constexpr const char* k_opportunity = "00000000-0000-4000-8000-0000000000a1";

class ObjectRetentionTest : public storage::testing::StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    if (HasFatalFailure()) return;
    db_ = open();
    const char* tmp = std::getenv("OMS_TEST_TMPDIR");
    root_ =
        std::filesystem::path(tmp != nullptr ? tmp : "/tmp") / ("retention-" + util::hex_encode(util::random_bytes(6)));
    store_ = std::make_unique<objects::FileStore>("attachments", root_, "k", [] { return std::string("http://x"); });
    auto make = [&]() -> storage::awaitable<void> {
      co_await storage::migrate(*db_);
      auto s = co_await db_->begin(storage::Access::read_write);
      co_await s->query(
          "INSERT INTO users (id, name, email, role, first_seen_at, last_seen_at) VALUES ('sm-1', 'Sally', "
          "'s@example.com', 'SALES_MANAGER', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z')");
      co_await s->query(
          "INSERT INTO customers (id, name, industry, created_by, created_at, updated_at) VALUES "
          "('00000000-0000-4000-8000-000000000001', 'Contoso', 'Finance', 'sm-1', '2026-03-02T09:00:00Z', "
          "'2026-03-02T09:00:00Z')");
      co_await s->query(
          "INSERT INTO opportunities (id, title, description, customer_id, sales_manager_id, priority, "
          "priority_rank, arr_cents, currency, region, requires_physical_presence, allows_remote_work, status, "
          "created_at, updated_at, version) VALUES ('00000000-0000-4000-8000-0000000000a1', 'T', 'D', "
          "'00000000-0000-4000-8000-000000000001', 'sm-1', 'LOW', 0, 100, 'EUR', 'EMEA', false, true, 'DRAFT', "
          "'2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', 1)");
      co_await s->commit();
    };
    run(make);
  }
  void TearDown() override {
    if (db_) db_->close();
    std::filesystem::remove_all(root_);
    StorageTest::TearDown();
  }

  // An object in the store and, when `attachment`, its attachment row (removed at `removed`),
  // else an upload intent expiring at `expires`.
  std::string add(const std::string& n, bool attachment, domain::Timestamp at) {
    const std::string id = "00000000-0000-4000-8000-0000000001" + n;
    std::string key = std::string(k_opportunity) + "/" + id;  // not const: returned, so moved
    std::filesystem::create_directories(root_ / k_opportunity);
    std::ofstream(root_ / key) << "bytes";
    auto make = [&]() -> storage::awaitable<void> {
      auto s = co_await db_->begin(storage::Access::read_write);
      storage::UploadRow u{id, k_opportunity, key, "f.txt", "text/plain", 5, "h", "sm-1", at - 15min, at, {}};
      co_await AttachmentRepository::insert_upload(*s, u);
      if (attachment) {
        domain::Attachment a{id, "f.txt", "text/plain", 5, key, "h", "sm-1", at - 1h, {}};
        co_await AttachmentRepository::complete_upload(*s, id, at - 1h);
        co_await AttachmentRepository::insert(*s, k_opportunity, a);
        const std::string by = "sm-1";
        co_await AttachmentRepository::remove(*s, id, by, at);
      }
      co_await s->commit();
    };
    run(make);
    return key;
  }
  RetentionReport retain(domain::Timestamp now) {
    domain::ManualClock clock(now);
    ObjectRetention retention(*db_, clock, *store_, RetentionOptions{.batch = 2});
    auto make = [&]() -> storage::awaitable<RetentionReport> { co_return co_await retention.run_once(); };
    return run(make);
  }
  bool exists(const std::string& key) const { return std::filesystem::exists(root_ / key); }

  std::unique_ptr<storage::Database> db_;
  std::filesystem::path root_;
  std::unique_ptr<objects::FileStore> store_;
};

TEST_P(ObjectRetentionTest, PurgesRemovedAttachmentsAfterSevenYearsAndAbandonedUploadsAfterADay) {
  const auto t0 = make_timestamp(2026, 3, 2, 9, 0, 0, 0);
  std::vector<std::string> old_removed;
  for (const char* n : {"01", "02", "03"}) old_removed.push_back(add(n, true, t0));  // removed at t0
  const std::string recent_removed = add("04", true, t0 + 24h * 365 * 6);
  const std::string abandoned = add("05", false, t0 + 24h * 365 * 7);  // an intent whose URL expired
  const std::string fresh_intent = add("06", false, t0 + 24h * (365 * 7 + 2) + 1h);
  const auto now = t0 + 24h * (365 * 7 + 2) + 1h + 1min;  // 7 years and a bit after t0

  const RetentionReport report = retain(now);
  EXPECT_EQ(report.attachments_purged, 3);  // in batches of 2
  EXPECT_EQ(report.uploads_purged, 1);
  for (const auto& key : old_removed) EXPECT_FALSE(exists(key)) << key;
  EXPECT_TRUE(exists(recent_removed));
  EXPECT_FALSE(exists(abandoned));
  EXPECT_TRUE(exists(fresh_intent));
  // A second pass finds nothing more: purged rows are marked, abandoned intents gone.
  const RetentionReport again = retain(now);
  EXPECT_EQ(again.attachments_purged, 0);
  EXPECT_EQ(again.uploads_purged, 0);
}

// Finished exports keep their result until expires_at (7 years after completion, set by the
// export job), then lose the object and are marked purged; unexpired ones are untouched.
TEST_P(ObjectRetentionTest, DeletesTheResultsOfExpiredExportsFromTheExportsStore) {
  const auto t0 = make_timestamp(2026, 3, 2, 9, 0, 0, 0);
  const std::filesystem::path exports_root = root_ / "exports-store";
  objects::FileStore exports("exports", exports_root, "k", [] { return std::string("http://x"); });
  auto add_export = [&](const std::string& n, domain::Timestamp expires) {
    const std::string id = "00000000-0000-4000-8000-0000000002" + n;
    std::string key = id + "/opportunities.csv";  // not const: returned, so moved
    std::filesystem::create_directories(exports_root / id);
    std::ofstream(exports_root / key) << "id\r\n";
    auto make = [&]() -> storage::awaitable<void> {
      domain::Export e;
      e.id = id;
      e.requested_by = "sm-1";
      e.created_at = e.updated_at = t0;
      auto s = co_await db_->begin(storage::Access::read_write);
      co_await storage::ExportRepository::insert(*s, e);
      co_await storage::ExportRepository::start(*s, id, 0, t0);
      co_await storage::ExportRepository::complete(*s, id, key, 0, t0, expires);
      co_await s->commit();
    };
    run(make);
    return key;
  };
  const std::string expired = add_export("01", t0 + 1h);
  const std::string live = add_export("02", t0 + 24h * 365 * 7);
  const auto now = t0 + 2h;
  domain::ManualClock clock(now);
  ObjectRetention retention(*db_, clock, *store_, RetentionOptions{.batch = 2}, &exports);
  auto pass = [&]() -> storage::awaitable<RetentionReport> { co_return co_await retention.run_once(); };
  EXPECT_EQ(run(pass).exports_purged, 1);
  EXPECT_FALSE(std::filesystem::exists(exports_root / expired));
  EXPECT_TRUE(std::filesystem::exists(exports_root / live));
  EXPECT_EQ(run(pass).exports_purged, 0);  // marked purged: not found again
}

INSTANTIATE_TEST_SUITE_P(Stores, ObjectRetentionTest, ::testing::Values("sqlite", "postgres"),
                         storage::testing::engine_name);

}  // namespace
}  // namespace oms::jobs
