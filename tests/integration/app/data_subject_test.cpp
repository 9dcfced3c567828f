// Erasure survives the audit chain (crypto-shredding, app/audit_pii.hpp), entries written before
// migration 0006 (format 1) still verify next to sealed ones, and the batched read audit.
#include <boost/json.hpp>

#include "app/audit_pii.hpp"
#include "app/data_subjects.hpp"
#include "app/read_audit.hpp"
#include "app/unit_of_work.hpp"
#include "app_fixture.hpp"
#include "storage/repositories/audit_repository.hpp"

namespace oms::testing {
namespace {

class DataSubjectTest : public AppTest {
 protected:
  // Every audit payload as stored, one string.
  std::string stored_payloads() {
    std::string out;
    for (const auto& r : exec("SELECT before, after FROM audit_log ORDER BY seq").rows)
      for (std::size_t i = 0; i < 2; ++i)
        if (!r.is_null(i)) out += r.str(i) + "\n";
    return out;
  }
  bool verifies() {
    auto admin = ctx(admin_);
    auto v = run(svc().audit.verify(admin));
    EXPECT_TRUE(v.valid) << v.problem.value_or("") << " at " << v.first_broken_seq.value_or(-1);
    return v.valid;
  }
  // A format-1 entry as the code before migration 0006 wrote it: raw PII, hash without `format`.
  void append_legacy_entry(const std::string& after_json) {
    auto append = [this, after_json]() -> boost::asio::awaitable<void> {
      auto s = co_await raw_db().begin(storage::Access::read_write);
      auto head = co_await storage::AuditRepository::head_for_append(*s);
      domain::AuditEntry row;
      row.seq = head.last_seq + 1;
      row.id = "a0d1e2f3-0000-4000-8000-00000000002a";
      row.at = clock().now();
      row.actor_id = "legacy";
      row.action = "user.update";
      row.entity_type = "user";
      row.entity_id = "legacy-user";
      row.request_id = "req-legacy";
      row.after = after_json;
      row.prev_hash = head.last_hash;
      row.format = 1;
      row.hash = app::audit_entry_hash(row);
      co_await storage::AuditRepository::append(*s, row);
      co_await s->commit();
    };
    run(append());
  }
};

TEST_P(DataSubjectTest, PiiIsSealedAndErasureLeavesTheChainVerifying) {
  domain::Principal person = principal("sm-erin", domain::Role::sales_manager);
  person.name = "Erin Unique-Name";
  person.email = "Erin.Unique@example.org";
  person.employee_id = "E-4711";
  run(svc().users.touch(person));
  append_legacy_entry(R"({"name":"Old Legacy-Name","email":"legacy@example.org"})");
  auto c = ctx(person);
  app::CustomerInput in;
  in.name = "Contact Holdings";
  in.industry = "Finance";
  in.primary_contact = domain::Contact{"Erin Unique-Name", "erin.unique@EXAMPLE.org", "+44 20 7946 0000"};
  auto customer = run(svc().customers.create(c, in, std::nullopt)).value;
  auto opp = create(sm1_);

  // Sealed at rest, opened for readers.
  std::string stored = stored_payloads();
  EXPECT_EQ(stored.find("Erin Unique-Name"), std::string::npos);
  EXPECT_EQ(stored.find("E-4711"), std::string::npos);
  EXPECT_NE(stored.find("$sealed"), std::string::npos);
  EXPECT_NE(stored.find("Old Legacy-Name"), std::string::npos);  // format 1 stays as written
  auto admin = ctx(admin_);
  app::AuditQuery q;
  q.entity_type = "user";
  q.entity_id = person.user_id;
  auto entries = run(svc().audit.list(admin, q)).items;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].format, 2);
  EXPECT_EQ(boost::json::parse(*entries[0].after).at("name").as_string(), "Erin Unique-Name");
  EXPECT_TRUE(verifies());

  app::DataSubjects subjects(svc().ports);
  const app::DataSubjectRequest r{"req-erase", person.user_id, admin_.user_id, "req-http-1"};
  auto doc = run(subjects.access_document(r));
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->at("customer_contacts").as_array().size(), 1u);

  auto done = run(subjects.erase(r));
  EXPECT_TRUE(done.user_found);
  EXPECT_EQ(done.customers, std::vector<std::string>{customer.id});
  EXPECT_EQ(done.keys_destroyed, 2);
  EXPECT_TRUE(verifies());
  EXPECT_EQ(
      exec("SELECT COUNT(*) FROM subject_keys WHERE subject IN ('user:sm-erin', 'contact:erin.unique@example.org')")
          .rows.at(0)
          .i64(0),
      0);
  auto users = exec("SELECT name, email, employee_id, is_active FROM users WHERE id = $1", {person.user_id});
  EXPECT_EQ(users.rows.at(0).str(0), app::k_erased_name);
  EXPECT_EQ(users.rows.at(0).str(1), "");
  EXPECT_TRUE(users.rows.at(0).is_null(2));
  EXPECT_TRUE(exec("SELECT contact_name FROM customers WHERE id = $1", {customer.id}).rows.at(0).is_null(0));
  entries = run(svc().audit.list(admin, q)).items;
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(boost::json::parse(*entries[0].after).at("name").as_string(), app::k_erased_placeholder);
  EXPECT_EQ(boost::json::parse(*entries[0].after).at("employee_id").as_string(), app::k_erased_placeholder);
  EXPECT_EQ(entries.back().action, "user.erase");
  EXPECT_EQ(entries.back().actor_id, admin_.user_id);
  EXPECT_EQ(entries.back().request_id, "req-http-1");
  EXPECT_EQ(exec("SELECT COUNT(*) FROM outbox_events WHERE event_type = 'data_subject.erased' AND aggregate_id = $1",
                 {person.user_id})
                .rows.at(0)
                .i64(0),
            1);
  // The opportunity (another owner's) and the customer stay.
  EXPECT_EQ(exec("SELECT COUNT(*) FROM opportunities WHERE id = $1", {opp.id}).rows.at(0).i64(0), 1);

  // Idempotent: the second run finds nothing more and the chain still verifies.
  auto again = run(subjects.erase(r));
  EXPECT_TRUE(again.customers.empty());
  EXPECT_TRUE(verifies());
}

TEST_P(DataSubjectTest, AnEntryCannotBePassedOffAsAnotherFormat) {
  run(svc().users.touch(principal("sm-x", domain::Role::sales_manager)));
  ASSERT_TRUE(verifies());
  const auto seq = exec("SELECT MAX(seq) FROM audit_log").rows.at(0).i64(0);
  exec("UPDATE audit_log SET format = 1 WHERE seq = $1", {seq});
  auto admin = ctx(admin_);
  auto broken = run(svc().audit.verify(admin));
  EXPECT_FALSE(broken.valid);
  EXPECT_EQ(broken.first_broken_seq, seq);
}

TEST_P(DataSubjectTest, AdminReadsAreAppendedInOneBatchAndChained) {
  app::ReadAuditLog log(io().get_executor(), svc().ports, app::ReadAuditOptions{std::chrono::hours(1), 1000});
  auto before = count("audit_log");
  auto admin = ctx(admin_);
  auto sm = ctx(sm1_);
  for (int i = 0; i < 50; ++i) log.record(admin, "user", "u-" + std::to_string(i));
  app::audit_personal_read(svc().ports, sm, "user", "not-an-admin");  // no read_audit in these ports: nothing
  EXPECT_EQ(count("audit_log"), before);                              // queued, not written on the read path
  EXPECT_EQ(run(log.flush()), 50u);
  EXPECT_EQ(count("audit_log"), before + 50);
  EXPECT_EQ(exec("SELECT COUNT(*) FROM audit_log WHERE action = 'user.read' AND actor_id = $1 AND request_id = $2",
                 {admin_.user_id, std::string("req-test")})
                .rows.at(0)
                .i64(0),
            50);
  EXPECT_TRUE(verifies());
  log.record(admin, "customer", "c-1");
  run(log.stop());  // stopping writes what is queued
  EXPECT_EQ(count("audit_log"), before + 51);
  EXPECT_EQ(log.written(), 51u);
}

INSTANTIATE_TEST_SUITE_P(Stores, DataSubjectTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
