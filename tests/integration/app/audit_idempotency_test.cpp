// The hash-chained audit log (query, verify, tamper detection) and Idempotency-Key replays.
#include <boost/json.hpp>

#include "app_fixture.hpp"

namespace oms::testing {
namespace {

using domain::ErrorCode;

class AuditTest : public AppTest {};

TEST_P(AuditTest, EveryWriteIsAuditedAndTheChainVerifies) {
  const auto before = count("audit_log");
  auto o = create(sm1_);
  complete(sm1_, o.id);
  EXPECT_EQ(count("audit_log"), before + 4);

  auto admin = ctx(admin_);
  app::AuditQuery q;
  q.entity_type = "opportunity";
  q.entity_id = o.id;
  q.page.limit = 2;
  std::vector<domain::AuditEntry> entries;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = run(svc().audit.list(admin, q));
    entries.insert(entries.end(), page.items.begin(), page.items.end());
    if (!page.next_cursor) break;
    q.page.cursor = page.next_cursor;
  }
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].action, "opportunity.create");
  EXPECT_FALSE(entries[0].before.has_value());
  EXPECT_EQ(boost::json::parse(*entries[0].after).at("title").as_string(), "Core banking migration");
  EXPECT_EQ(entries[0].actor_id, "sm-1");
  EXPECT_EQ(entries[0].request_id, "req-test");
  EXPECT_EQ(entries[1].prev_hash.size(), 64u);
  for (std::size_t i = 1; i < entries.size(); ++i) EXPECT_LT(entries[i - 1].seq, entries[i].seq);

  auto sm = ctx(sm1_);

  auto ok = run(svc().audit.verify(admin));
  EXPECT_TRUE(ok.valid) << ok.problem.value_or("");
  EXPECT_EQ(ok.entries_checked, count("audit_log"));
  EXPECT_FALSE(ok.first_broken_seq.has_value());
}

TEST_P(AuditTest, ConcurrentWritersNeverForkTheChain) {
  auto c1 = ctx(sm1_);
  auto c2 = ctx(sm2_);
  constexpr int k_parallel = 12;
  std::vector<std::future<app::Created<domain::Opportunity>>> pending;
  pending.reserve(k_parallel);
  for (int i = 0; i < k_parallel; ++i)
    pending.push_back(boost::asio::co_spawn(
        io(), svc().opportunities.create(i % 2 ? c1 : c2, sample_input("Parallel " + std::to_string(i)), std::nullopt),
        boost::asio::use_future));
  for (auto& f : pending) EXPECT_FALSE(f.get().replayed);
  EXPECT_EQ(count("opportunities"), 12);
  auto admin = ctx(admin_);
  auto check = run(svc().audit.verify(admin));
  EXPECT_TRUE(check.valid) << check.problem.value_or("");
  EXPECT_EQ(check.entries_checked, count("audit_log"));
  auto head = exec("SELECT last_seq FROM audit_head");
  EXPECT_EQ(head.rows.front().i64(0), count("audit_log"));
}

TEST_P(AuditTest, TamperingIsDetectedAtTheTamperedEntry) {
  auto o = create(sm1_);
  complete(sm1_, o.id);
  auto admin = ctx(admin_);
  ASSERT_TRUE(run(svc().audit.verify(admin)).valid);

  auto seq = exec("SELECT seq FROM audit_log WHERE entity_id = $1 ORDER BY seq", {o.id}).rows.at(1).i64(0);
  exec("UPDATE audit_log SET actor_id = 'mallory' WHERE seq = $1", {seq});
  auto broken = run(svc().audit.verify(admin));
  EXPECT_FALSE(broken.valid);
  EXPECT_EQ(broken.first_broken_seq, seq);
  EXPECT_TRUE(broken.problem.has_value());
  EXPECT_EQ(broken.entries_checked, seq);

  // Rewriting a snapshot is caught too (jsonb in PostgreSQL: content, not spelling, counts).
  exec("UPDATE audit_log SET actor_id = 'sm-1' WHERE seq = $1", {seq});
  EXPECT_TRUE(run(svc().audit.verify(admin)).valid);
  exec("UPDATE audit_log SET after = $2 WHERE seq = $1", {seq - 1, std::string(R"({"title":"forged"})")});
  EXPECT_EQ(run(svc().audit.verify(admin)).first_broken_seq, seq - 1);
}

TEST_P(AuditTest, IdempotencyKeyReplaysTheFirstCreate) {
  auto c = ctx(sm1_);
  app::IdempotencyKey key{"key-123", "hash-a"};
  auto first = run(svc().opportunities.create(c, sample_input(), key));
  EXPECT_FALSE(first.replayed);
  auto second = run(svc().opportunities.create(c, sample_input(), key));
  EXPECT_TRUE(second.replayed);
  EXPECT_EQ(second.value.id, first.value.id);
  EXPECT_EQ(count("opportunities"), 1);

  app::IdempotencyKey other_body{"key-123", "hash-b"};
  expect_error(ErrorCode::conflict, [&] { run(svc().opportunities.create(c, sample_input(), other_body)); });
  // Keys are per actor: another SM may use the same key.
  auto c2 = ctx(sm2_);
  EXPECT_FALSE(run(svc().opportunities.create(c2, sample_input(), key)).replayed);
  EXPECT_EQ(count("opportunities"), 2);

  // Customers and skills honour keys the same way.
  app::CustomerInput customer{"Fabrikam", "Retail", std::nullopt, std::nullopt, std::nullopt};
  app::IdempotencyKey ckey{"cust-1", "hash-c"};
  auto made = run(svc().customers.create(c, customer, ckey));
  auto again = run(svc().customers.create(c, customer, ckey));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.value.id, made.value.id);
  EXPECT_EQ(count("idempotency_keys"), 3);
}

INSTANTIATE_TEST_SUITE_P(Stores, AuditTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
