// The canonical audit encoding is part of the tamper evidence: an entry written today must verify
// with every later build. Verify hashes the snapshot text as stored, so two kinds of pins:
// - stored entries (a literal snapshot as an older build wrote it): the canonical serialisation
//   and the hash input. Changing one of these is a migration of every stored chain, never a test
//   update.
// - today's snapshot shapes (an opportunity with all its parts, a customer): a shape change fails
//   here so that it is made on purpose. It does not break stored chains (their text is kept), so
//   adding a field to a representation updates this pin and adds a stored-entry pin for the old
//   shape.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "app/unit_of_work.hpp"
#include "util/time.hpp"

namespace oms::testing {
namespace {

domain::Timestamp at(const char* text) { return *util::parse_timestamp(text); }
domain::Date day(const char* text) { return *util::parse_date(text); }

domain::Opportunity known_opportunity() {
  domain::Opportunity o;
  o.id = "0b4f8f5e-6a43-4c3a-9d0e-6f1b6c1f2a01";
  o.title = "Migrate the payments platform — phase 2 ✓";
  o.description = "Quotes \" backslash \\ and a tab\t and control \x01 characters";
  o.customer_id = "5c0e2a6a-1d8b-4c4e-8c1f-0a9b8c7d6e5f";
  o.sales_manager_id = "sm-1";
  o.priority = domain::Priority::high;
  o.annual_recurring_revenue = {12'500'050, "EUR"};
  o.geographic_requirements = {"EMEA", true, false};
  o.status = domain::Status::cancelled;
  o.status_before_cancellation = domain::Status::submitted;
  o.created_at = at("2026-01-02T03:04:05.123456Z");
  o.updated_at = at("2026-01-03T00:00:00Z");
  o.submitted_at = at("2026-01-02T10:00:00Z");
  o.cancelled_at = at("2026-01-03T00:00:00Z");
  o.cancellation_reason = "customer withdrew";
  o.version = 7;
  o.problem_statement = domain::ProblemStatement{std::string(150, 'x'), at("2026-01-02T04:00:00Z")};
  o.skill_requirements.push_back({"7e57a9f0-0000-4000-8000-000000000001", "9a1b2c3d-0000-4000-8000-000000000002",
                                  "Kubernetes", domain::SkillCategory::technical, domain::Importance::must_have,
                                  domain::Proficiency::expert, at("2026-01-02T05:00:00Z")});
  o.timeline = domain::Timeline{day("2026-02-01"), day("2026-03-01"), {day("2026-02-10"), day("2026-02-11")}, true};
  return o;
}

domain::Customer known_customer() {
  domain::Customer c;
  c.id = "5c0e2a6a-1d8b-4c4e-8c1f-0a9b8c7d6e5f";
  c.name = "Ünïcode Industries";
  c.industry = "Manufacturing";
  c.website = "https://example.com";
  c.primary_contact = domain::Contact{"Ada", "ada@example.com", "+1 555 0100"};
  c.created_by = "sm-1";
  c.created_at = at("2026-01-01T00:00:00Z");
  c.updated_at = at("2026-01-01T00:00:00Z");
  return c;
}

domain::AuditEntry row_with(std::optional<std::string> before, std::optional<std::string> after) {
  domain::AuditEntry r;
  r.seq = 42;
  r.id = "a0d1e2f3-0000-4000-8000-00000000002a";
  r.at = at("2026-01-03T00:00:00.000001Z");
  r.actor_id = "sm-1";
  r.action = "opportunity.cancel";
  r.entity_type = "opportunity";
  r.entity_id = "0b4f8f5e-6a43-4c3a-9d0e-6f1b6c1f2a01";
  r.request_id = "req-1";
  r.before = std::move(before);
  r.after = std::move(after);
  r.prev_hash = "1111111111111111111111111111111111111111111111111111111111111111";
  return r;
}

TEST(AuditHash, OpportunitySnapshotHashIsPinned) {
  const std::string snapshot = boost::json::serialize(app::opportunity_json(known_opportunity()));
  const auto row = row_with(std::nullopt, snapshot);
  EXPECT_EQ(app::audit_entry_hash(row), "7a141d038912a16c271338abfadf3519cdfe0e623959e88a279044b8f0f0cb74");
}

TEST(AuditHash, CustomerSnapshotHashIsPinned) {
  const std::string snapshot = boost::json::serialize(app::customer_json(known_customer()));
  const auto row = row_with(snapshot, snapshot);
  EXPECT_EQ(app::audit_entry_hash(row), "2fced605a1343d6ced6e081f04e49c257728c18ed126076e6ec3bfdaf122a22c");
}

// A customer entry as builds before migration 0007 (customer versions) wrote it: no "version".
// The same pin as that build's CustomerSnapshotHashIsPinned, so such entries still verify.
TEST(AuditHash, StoredCustomerEntryBeforeVersionsStillHashesTheSame) {
  const std::string stored =
      R"({"id":"5c0e2a6a-1d8b-4c4e-8c1f-0a9b8c7d6e5f","name":"Ünïcode Industries",)"
      R"("industry":"Manufacturing","website":"https://example.com","description":null,)"
      R"("primary_contact":{"name":"Ada","email":"ada@example.com","phone":"+1 555 0100"},"is_active":true,)"
      R"("created_at":"2026-01-01T00:00:00.000000Z","updated_at":"2026-01-01T00:00:00.000000Z"})";
  const auto row = row_with(stored, stored);
  EXPECT_EQ(app::audit_entry_hash(row), "b8d8e0152f699739d631f2c2b6784999778af81713f8ab077dee82b28d47a46a");
}

TEST(AuditHash, CanonicalFormSortsKeysAndDropsWhiteSpace) {
  const auto v = boost::json::parse(R"({"b": [1, {"z": null, "a": "\u00e9\n"}], "a": true})");
  EXPECT_EQ(app::canonical_json(v), "{\"a\":true,\"b\":[1,{\"a\":\"\xC3\xA9\\n\",\"z\":null}]}");
}

}  // namespace
}  // namespace oms::testing
