// Erasure survives the audit chain (crypto-shredding, app/audit_pii.hpp), entries written before
// migration 0006 (format 1) still verify next to sealed ones, and the batched read audit.
#include <boost/json.hpp>

#include "app/audit_pii.hpp"
#include "app/audit_redaction.hpp"
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
  // Returns its seq.
  std::int64_t append_legacy_entry(const std::string& after_json, const std::string& entity_type = "user",
                                   const std::string& entity_id = "legacy-user",
                                   std::optional<std::string> before_json = std::nullopt) {
    ++legacy_entries_;
    std::string id = "a0d1e2f3-0000-4000-8000-0000000000";  // id = a fresh UUID per entry
    if (legacy_entries_ < 10) id += '0';
    id += std::to_string(legacy_entries_);
    auto append = [this, after_json, entity_type, entity_id, before_json,
                   id]() -> boost::asio::awaitable<std::int64_t> {
      auto s = co_await raw_db().begin(storage::Access::read_write);
      auto head = co_await storage::AuditRepository::head_for_append(*s);
      domain::AuditEntry row;
      row.seq = head.last_seq + 1;
      row.id = id;
      row.at = clock().now();
      row.actor_id = "legacy";
      row.action = entity_type + ".update";
      row.entity_type = entity_type;
      row.entity_id = entity_id;
      row.request_id = "req-legacy";
      row.before = before_json;
      row.after = after_json;
      row.prev_hash = head.last_hash;
      row.format = 1;
      row.hash = app::audit_entry_hash(row);
      co_await storage::AuditRepository::append(*s, row);
      co_await s->commit();
      co_return row.seq;
    };
    return run(append());
  }
  // Every value of every row of every table, read from the database itself.
  std::string database_text() {
    const char* tables_sql = GetParam() == Store::sqlite
                                 ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                                 : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()";
    std::string out;
    for (const auto& t : exec(tables_sql).rows)
      for (const auto& r : exec("SELECT * FROM " + t.str(0)).rows)
        for (std::size_t i = 0; i < r.size(); ++i) out += r.str(i) + "\n";
    return out;
  }
  domain::AuditEntry entry(std::int64_t seq) {
    auto read = [this, seq]() -> boost::asio::awaitable<domain::AuditEntry> {
      auto s = co_await raw_db().begin(storage::Access::read_only);
      auto found = co_await storage::AuditRepository::find(*s, seq);
      co_await s->commit();
      co_return found.value();
    };
    return run(read());
  }
  app::AuditVerification verification() {
    auto admin = ctx(admin_);
    return run(svc().audit.verify(admin));
  }

  // A person with format-1 entries holding their PII in the clear: two about their user record,
  // one of a customer whose primary contact they are, and one about someone else's contact.
  // Returns the seq of the first user entry and of the customer entry.
  std::pair<std::int64_t, std::int64_t> legacy_person() {
    run(svc().users.touch(person_));
    const std::string user_v1 =
        R"({"id":"sm-lena","name":"Lena Legacy-Person","email":"Lena.Legacy@example.org","employee_id":"L-9001"})";
    const std::string user_v2 =
        R"({"id":"sm-lena","name":"Lena Legacy-Person","email":"Lena.Legacy@example.org","employee_id":"L-9002"})";
    const auto first = append_legacy_entry(user_v1, "user", person_.user_id);
    append_legacy_entry(user_v2, "user", person_.user_id, user_v1);
    const auto customer =
        append_legacy_entry(R"({"id":"cust-old","name":"Legacy Co","primary_contact":{"name":"Lena Legacy-Person",)"
                            R"("email":"LENA.LEGACY@example.org","phone":"+1 555 0199"}})",
                            "customer", "cust-old");
    append_legacy_entry(R"({"id":"cust-other","name":"Other Co","primary_contact":{"name":"Olaf Other-Person",)"
                        R"("email":"olaf@example.org","phone":"+1 555 0142"}})",
                        "customer", "cust-other");
    create(sm1_);  // newer (format 2) entries follow
    return {first, customer};
  }
  app::ErasureResult erase_person() {
    app::DataSubjects subjects(svc().ports);
    const app::DataSubjectRequest r{"req-erase-lena", person_.user_id, admin_.user_id, "req-http-2"};
    return run(subjects.erase(r));
  }

  domain::Principal person_ = [] {
    domain::Principal p = principal("sm-lena", domain::Role::sales_manager);
    p.name = "Lena Legacy-Person";
    p.email = "Lena.Legacy@example.org";
    p.employee_id = "L-9001";
    return p;
  }();

 private:
  int legacy_entries_ = 0;
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

// What a read entry records: per read, its request id and the ids it showed.
std::vector<std::pair<std::string, std::vector<std::string>>> reads_in(const domain::AuditEntry& e) {
  const auto after = boost::json::parse(e.after.value()).as_object();
  const auto& ids = after.at("ids").as_array();
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& r : after.at("reads").as_array()) {
    std::vector<std::string> shown;
    for (const auto& i : r.at("shown").as_array()) shown.emplace_back(ids.at(i.as_int64()).as_string());
    out.emplace_back(std::string(r.at("request_id").as_string()), std::move(shown));
  }
  return out;
}

TEST_P(DataSubjectTest, AdminReadsAreSummarisedPerAdminAndTypeInOneChainedBatch) {
  app::ReadAuditLog log(io().get_executor(), svc().ports, app::ReadAuditOptions{std::chrono::hours(1), 1000});
  auto before = count("audit_log");
  auto admin = ctx(admin_);
  auto sm = ctx(sm1_);
  for (int i = 0; i < 50; ++i) log.record(admin, "user", "u-" + std::to_string(i));
  app::audit_personal_read(svc().ports, sm, "user", "not-an-admin");  // no read_audit in these ports: nothing
  EXPECT_EQ(count("audit_log"), before);                              // queued, not written on the read path
  EXPECT_EQ(run(log.flush()), 50u);
  // Fifty reads by one admin of one entity type: one chained entry naming each read.
  EXPECT_EQ(count("audit_log"), before + 1);
  app::AuditQuery q;
  q.entity_type = "user";
  q.entity_id = "u-42";
  auto found = run(svc().audit.list(admin, q)).items;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].action, "user.read");
  EXPECT_EQ(found[0].actor_id, admin_.user_id);
  EXPECT_EQ(found[0].entity_id, "");   // fifty entities
  EXPECT_EQ(found[0].request_id, "");  // fifty reads (each names its request below)
  auto reads = reads_in(found[0]);
  ASSERT_EQ(reads.size(), 50u);
  EXPECT_EQ(reads[42].first, "req-test");
  EXPECT_EQ(reads[42].second, std::vector<std::string>{"u-42"});
  EXPECT_TRUE(verifies());

  log.record(admin, "customer", "c-1");
  log.record_list(admin, "user", {"u-7", "listed-8", "listed-9"});
  log.record_list(admin, "user", {});  // an empty page shows no one: nothing
  log.record(sm, "user", "u-7");       // another actor (recorded directly): an entry of its own
  run(log.stop());                     // stopping writes what is queued
  EXPECT_EQ(count("audit_log"), before + 4);
  EXPECT_EQ(log.written(), 53u);
  EXPECT_TRUE(verifies());
  // One read of one entity is an entry like any other: its entity and its request.
  q.entity_type = "customer";
  q.entity_id = "c-1";
  found = run(svc().audit.list(admin, q)).items;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].entity_id, "c-1");
  EXPECT_EQ(found[0].request_id, "req-test");
  // The query by entity_id finds a read that only a list showed, and the whole page it showed.
  q.entity_type = "user";
  q.entity_id = "listed-8";
  found = run(svc().audit.list(admin, q)).items;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].actor_id, admin_.user_id);
  reads = reads_in(found[0]);
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].second, (std::vector<std::string>{"u-7", "listed-8", "listed-9"}));
  // Every read of u-7, in seq order: the single read of the first batch (i = 7), the list read,
  // the other actor's, and two more single reads in one entry (one entity, two requests).
  log.record(admin, "user", "u-7");
  log.record(admin, "user", "u-7");
  EXPECT_EQ(run(log.flush()), 2u);
  q.entity_id = "u-7";
  found = run(svc().audit.list(admin, q)).items;
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[1].entity_id, "");
  EXPECT_EQ(found[2].actor_id, sm1_.user_id);
  EXPECT_EQ(found[2].entity_id, "u-7");
  EXPECT_EQ(found[3].entity_id, "u-7");
  EXPECT_EQ(found[3].request_id, "");
  EXPECT_EQ(reads_in(found[3]).size(), 2u);
}

TEST_P(DataSubjectTest, AReadEntryHoldsAtMost256Reads) {
  app::ReadAuditLog log(io().get_executor(), svc().ports, app::ReadAuditOptions{std::chrono::hours(1), 1000});
  auto before = count("audit_log");
  auto admin = ctx(admin_);
  for (int i = 0; i < 300; ++i) log.record(admin, "opportunity", "o-1");
  EXPECT_EQ(run(log.flush()), 300u);
  EXPECT_EQ(count("audit_log"), before + 2);
  app::AuditQuery q;
  q.entity_type = "opportunity";
  q.entity_id = "o-1";
  const auto found = run(svc().audit.list(admin, q)).items;
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(reads_in(found[0]).size(), 256u);
  EXPECT_EQ(reads_in(found[1]).size(), 44u);
  EXPECT_TRUE(verifies());
}

// Format-1 entries cannot be crypto-shredded: erasure redacts them and records the redaction in
// the chain (app/audit_redaction.hpp).
TEST_P(DataSubjectTest, ErasureRedactsEntriesWrittenBeforeSealing) {
  const auto [first, customer_seq] = legacy_person();
  ASSERT_TRUE(verifies());
  const std::string original_hash = entry(first).hash;
  std::string text = database_text();
  ASSERT_NE(text.find("Lena Legacy-Person"), std::string::npos);  // the checks below can fail
  ASSERT_NE(text.find("LENA.LEGACY@example.org"), std::string::npos);

  auto done = erase_person();
  EXPECT_EQ(done.entries_redacted, 3);
  EXPECT_TRUE(verifies());
  text = database_text();
  for (const char* pii :
       {"Lena Legacy-Person", "Lena.Legacy", "LENA.LEGACY", "lena.legacy", "L-9001", "L-9002", "+1 555 0199"})
    EXPECT_EQ(text.find(pii), std::string::npos) << pii << " is still in the database";
  EXPECT_NE(text.find("Olaf Other-Person"), std::string::npos);  // someone else's contact stays

  const auto redacted = entry(first);
  EXPECT_EQ(redacted.hash, original_hash);  // the chain links stay as written
  ASSERT_TRUE(redacted.redacted_by_seq.has_value());
  EXPECT_EQ(boost::json::parse(*redacted.after).at("name").as_string(), app::k_erased_placeholder);
  EXPECT_EQ(boost::json::parse(*redacted.after).at("id").as_string(), "sm-lena");
  const auto contact = boost::json::parse(*entry(customer_seq).after).at("primary_contact");
  EXPECT_EQ(contact, boost::json::parse(R"({"name":"[erased]","email":"[erased]","phone":"[erased]"})"));
  const auto record = entry(*redacted.redacted_by_seq);
  EXPECT_EQ(record.action, app::k_redaction_action);
  EXPECT_EQ(record.entity_id, person_.user_id);
  EXPECT_EQ(record.actor_id, admin_.user_id);
  const auto listed = boost::json::parse(*record.after).at("redacted").as_array();
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(listed[0].at("seq").as_int64(), first);
  EXPECT_EQ(listed[0].at("original_hash").as_string(), original_hash);
  EXPECT_EQ(listed[0].at("redacted_hash").as_string(), app::audit_entry_hash(redacted));

  // Idempotent: nothing left to redact, nothing more recorded.
  EXPECT_EQ(erase_person().entries_redacted, 0);
  EXPECT_TRUE(verifies());
  EXPECT_EQ(exec("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.redact'").rows.at(0).i64(0), 1);
}

TEST_P(DataSubjectTest, TamperingWithARedactedEntryIsDetected) {
  const auto first = legacy_person().first;
  erase_person();
  ASSERT_TRUE(verifies());
  exec("UPDATE audit_log SET after = $1 WHERE seq = $2",
       {std::string(R"({"id":"sm-lena","name":"Someone Else","email":"[erased]","employee_id":"[erased]"})"), first});
  const auto v = verification();
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.first_broken_seq, first);
}

TEST_P(DataSubjectTest, TamperingWithTheRedactionEntryIsDetected) {
  const auto first = legacy_person().first;
  erase_person();
  ASSERT_TRUE(verifies());
  // Change the redacted entry and record its new hash in the redaction entry: the chain catches it.
  auto changed = entry(first);
  changed.after = R"({"id":"sm-lena","name":"Someone Else","email":"[erased]","employee_id":"[erased]"})";
  const auto by = *changed.redacted_by_seq;
  auto record = boost::json::parse(*entry(by).after);
  record.at("redacted").as_array()[0].as_object()["redacted_hash"] = app::audit_entry_hash(changed);
  exec("UPDATE audit_log SET after = $1 WHERE seq = $2", {*changed.after, first});
  exec("UPDATE audit_log SET after = $1 WHERE seq = $2", {boost::json::serialize(record), by});
  const auto v = verification();
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.first_broken_seq, by);
}

TEST_P(DataSubjectTest, ClearingTheRedactionMarkIsDetected) {
  const auto first = legacy_person().first;
  const auto original = entry(first);
  erase_person();
  ASSERT_TRUE(verifies());
  const auto by = *entry(first).redacted_by_seq;
  exec("UPDATE audit_log SET redacted_by_seq = NULL WHERE seq = $1", {first});
  auto v = verification();
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.first_broken_seq, first);  // the redacted content no longer matches the stored hash
  // Restoring the original content as well (the PII back) is caught by the redaction entry.
  exec("UPDATE audit_log SET after = $1 WHERE seq = $2", {*original.after, first});
  v = verification();
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.first_broken_seq, by);
}

INSTANTIATE_TEST_SUITE_P(Stores, DataSubjectTest, ::testing::Values(Store::sqlite, Store::postgres), store_name);

}  // namespace
}  // namespace oms::testing
