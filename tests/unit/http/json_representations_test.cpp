// Response bodies of the shared JSON contract: exact key sets, nulls, money, dates and the
// list-item shape, checked by parsing what the writer produced.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>
#include <string>

#include "app/opportunity_support.hpp"
#include "http/handlers/representations.hpp"
#include "util/time.hpp"

namespace oms::http::handlers {
namespace {

using namespace std::chrono_literals;

std::set<std::string> keys_of(const boost::json::object& o) {
  std::set<std::string> out;
  for (const auto& kv : o) out.emplace(kv.key());
  return out;
}

domain::Timestamp at(std::string_view text) { return *util::parse_timestamp(text); }

domain::Opportunity sample() {
  domain::Opportunity o;
  o.id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  o.title = "Cloud \"migration\"\n";
  o.description = "Zürich rollout";
  o.customer_id = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  o.sales_manager_id = "sm-1";
  o.priority = domain::Priority::critical;
  o.annual_recurring_revenue = {12'500'000, "EUR"};
  o.geographic_requirements = {"EMEA", true, false};
  o.status = domain::Status::cancelled;
  o.status_before_cancellation = domain::Status::submitted;
  o.created_at = at("2026-01-02T03:04:05.000006Z");
  o.updated_at = at("2026-01-03T00:00:00Z");
  o.submitted_at = at("2026-01-02T10:00:00Z");
  o.cancelled_at = at("2026-01-03T00:00:00Z");
  o.cancellation_reason = "budget";
  o.version = 4;
  o.problem_statement = domain::ProblemStatement{"# Need\nText", at("2026-01-02T05:00:00Z")};
  o.skill_requirements.push_back({"r1", "s1", "Rust", domain::SkillCategory::technical, domain::Importance::must_have,
                                  domain::Proficiency::expert, at("2026-01-02T06:00:00Z")});
  o.timeline = domain::Timeline{
      *util::parse_date("2026-03-01"), *util::parse_date("2026-04-01"), {*util::parse_date("2026-03-02")}, true};
  return o;
}

const std::set<std::string> k_summary_keys{"id",
                                           "title",
                                           "description",
                                           "customer_id",
                                           "sales_manager_id",
                                           "priority",
                                           "annual_recurring_revenue",
                                           "currency",
                                           "geographic_requirements",
                                           "status",
                                           "status_before_cancellation",
                                           "selected_architect_id",
                                           "created_at",
                                           "updated_at",
                                           "submitted_at",
                                           "completed_at",
                                           "cancelled_at",
                                           "cancellation_reason",
                                           "reactivation_deadline",
                                           "version"};

TEST(JsonRepresentations, OpportunityWithParts) {
  const auto doc = boost::json::parse(to_json(sample())).as_object();
  auto expected = k_summary_keys;
  expected.insert({"problem_statement", "skill_requirements", "timeline", "attachments"});
  EXPECT_EQ(keys_of(doc), expected);
  EXPECT_EQ(doc.at("title").as_string(), "Cloud \"migration\"\n");
  EXPECT_EQ(doc.at("description").as_string(), "Zürich rollout");
  EXPECT_EQ(doc.at("priority").as_string(), "CRITICAL");
  EXPECT_EQ(doc.at("annual_recurring_revenue").as_string(), "125000.00");
  EXPECT_EQ(doc.at("currency").as_string(), "EUR");
  const auto& geo = doc.at("geographic_requirements").as_object();
  EXPECT_EQ(keys_of(geo), (std::set<std::string>{"region", "requires_physical_presence", "allows_remote_work"}));
  EXPECT_TRUE(geo.at("requires_physical_presence").as_bool());
  EXPECT_FALSE(geo.at("allows_remote_work").as_bool());
  EXPECT_EQ(doc.at("status").as_string(), "CANCELLED");
  EXPECT_EQ(doc.at("status_before_cancellation").as_string(), "SUBMITTED");
  EXPECT_TRUE(doc.at("selected_architect_id").is_null());
  EXPECT_EQ(doc.at("created_at").as_string(), "2026-01-02T03:04:05.000006Z");
  EXPECT_TRUE(doc.at("completed_at").is_null());
  EXPECT_EQ(doc.at("cancellation_reason").as_string(), "budget");
  // cancelled_at + 90 days
  EXPECT_EQ(doc.at("reactivation_deadline").as_string(), "2026-04-03T00:00:00.000000Z");
  EXPECT_EQ(doc.at("version").as_int64(), 4);
  EXPECT_EQ(doc.at("problem_statement").at("content").as_string(), "# Need\nText");
  const auto& req = doc.at("skill_requirements").as_array().at(0).as_object();
  EXPECT_EQ(keys_of(req), (std::set<std::string>{"id", "skill_id", "skill_name", "skill_type", "importance",
                                                 "minimum_proficiency", "created_at"}));
  EXPECT_EQ(req.at("skill_type").as_string(), "TECHNICAL");
  EXPECT_EQ(req.at("importance").as_string(), "MUST_HAVE");
  EXPECT_EQ(req.at("minimum_proficiency").as_string(), "EXPERT");
  const auto& timeline = doc.at("timeline").as_object();
  EXPECT_EQ(timeline.at("expected_start_date").as_string(), "2026-03-01");
  EXPECT_EQ(timeline.at("expected_end_date").as_string(), "2026-04-01");
  EXPECT_EQ(timeline.at("specific_required_days").as_array().at(0).as_string(), "2026-03-02");
  EXPECT_TRUE(timeline.at("is_flexible").as_bool());
  EXPECT_TRUE(doc.at("attachments").as_array().empty());
}

TEST(JsonRepresentations, OpportunityWithoutOptionalParts) {
  domain::Opportunity o;
  o.id = "x";
  const auto doc = boost::json::parse(to_json(o)).as_object();
  EXPECT_TRUE(doc.at("problem_statement").is_null());
  EXPECT_TRUE(doc.at("timeline").is_null());
  EXPECT_TRUE(doc.at("skill_requirements").as_array().empty());
  EXPECT_TRUE(doc.at("status_before_cancellation").is_null());
  EXPECT_TRUE(doc.at("reactivation_deadline").is_null());
  EXPECT_EQ(doc.at("annual_recurring_revenue").as_string(), "0.00");
  EXPECT_EQ(doc.at("currency").as_string(), "USD");
}

// One shape per entity: the HTTP body is the audit snapshot, byte for byte, and the tree an event
// carries holds the same keys and values.
TEST(JsonRepresentations, ResponseBodyIsTheAuditSnapshotShape) {
  const auto o = sample();
  EXPECT_EQ(to_json(o), app::detail::snapshot(o));
  EXPECT_EQ(boost::json::parse(to_json(o)), boost::json::value(app::opportunity_json(o, true)));
}

// The body byte for byte, as the tree-built serialisation of earlier versions wrote it: the keys in
// the contract's order, no white space, the escapes boost::json::serialize writes.
TEST(JsonRepresentations, OpportunityBodyIsPinnedByteForByte) {
  EXPECT_EQ(
      to_json(sample()),
      R"({"id":"0f8fad5b-d9cb-469f-a165-70867728950e","title":"Cloud \"migration\"\n","description":"Zürich rollout",)"
      R"("customer_id":"7c9e6679-7425-40de-944b-e07fc1f90ae7","sales_manager_id":"sm-1","priority":"CRITICAL",)"
      R"("annual_recurring_revenue":"125000.00","currency":"EUR","geographic_requirements":{"region":"EMEA",)"
      R"("requires_physical_presence":true,"allows_remote_work":false},"status":"CANCELLED",)"
      R"("status_before_cancellation":"SUBMITTED","selected_architect_id":null,)"
      R"("created_at":"2026-01-02T03:04:05.000006Z","updated_at":"2026-01-03T00:00:00.000000Z",)"
      R"("submitted_at":"2026-01-02T10:00:00.000000Z","completed_at":null,"cancelled_at":"2026-01-03T00:00:00.000000Z",)"
      R"("cancellation_reason":"budget","reactivation_deadline":"2026-04-03T00:00:00.000000Z","version":4,)"
      R"("problem_statement":{"content":"# Need\nText","updated_at":"2026-01-02T05:00:00.000000Z"},)"
      R"("skill_requirements":[{"id":"r1","skill_id":"s1","skill_name":"Rust","skill_type":"TECHNICAL",)"
      R"("importance":"MUST_HAVE","minimum_proficiency":"EXPERT","created_at":"2026-01-02T06:00:00.000000Z"}],)"
      R"("timeline":{"expected_start_date":"2026-03-01","expected_end_date":"2026-04-01",)"
      R"("specific_required_days":["2026-03-02"],"is_flexible":true},"attachments":[]})");
}

TEST(JsonRepresentations, ListItemsOmitTheParts) {
  app::Page<domain::Opportunity> page;
  page.items = {sample(), sample()};
  page.next_cursor = "abc";
  const std::string body = page_text(
      page, [](std::string& out, const domain::Opportunity& o) { app::append_opportunity_json(out, o, false); });
  const auto doc = boost::json::parse(body).as_object();
  EXPECT_EQ(keys_of(doc), (std::set<std::string>{"items", "next_cursor"}));
  EXPECT_EQ(doc.at("next_cursor").as_string(), "abc");
  ASSERT_EQ(doc.at("items").as_array().size(), 2u);
  EXPECT_EQ(keys_of(doc.at("items").as_array().at(1).as_object()), k_summary_keys);
}

TEST(JsonRepresentations, EmptyPageHasNullCursor) {
  const app::Page<domain::Skill> page;
  EXPECT_EQ(page_json(page), R"({"items":[],"next_cursor":null})");
}

TEST(JsonRepresentations, ChangeRecordEmbedsStoredJsonValues) {
  domain::ChangeRecord r;
  r.id = "c1";
  r.opportunity_id = "o1";
  r.field = "geographic_requirements.region";
  r.old_value = R"("EMEA")";
  r.new_value = R"({"a":[1,true,null]})";
  r.changed_at = at("2026-01-01T00:00:00Z");
  r.changed_by = "sm-1";
  const auto doc = boost::json::parse(to_json(r)).as_object();
  EXPECT_EQ(keys_of(doc), (std::set<std::string>{"id", "opportunity_id", "field", "old_value", "new_value",
                                                 "changed_at", "changed_by", "reason"}));
  EXPECT_EQ(doc.at("old_value").as_string(), "EMEA");
  EXPECT_EQ(doc.at("new_value").at("a").as_array().size(), 3u);
  EXPECT_TRUE(doc.at("reason").is_null());

  r.old_value.reset();
  EXPECT_TRUE(boost::json::parse(to_json(r)).at("old_value").is_null());
}

TEST(JsonRepresentations, StatusRecordCreationHasNullFrom) {
  domain::StatusRecord r;
  r.to_status = domain::Status::draft;
  const auto doc = boost::json::parse(to_json(r)).as_object();
  EXPECT_EQ(keys_of(doc), (std::set<std::string>{"id", "opportunity_id", "from_status", "to_status", "changed_at",
                                                 "changed_by", "reason"}));
  EXPECT_TRUE(doc.at("from_status").is_null());
  EXPECT_EQ(doc.at("to_status").as_string(), "DRAFT");
}

TEST(JsonRepresentations, SkillCustomerUser) {
  domain::Skill s;
  s.category = domain::SkillCategory::language;
  s.synonyms = {"Deutsch"};
  const auto skill = boost::json::parse(to_json(s)).as_object();
  EXPECT_EQ(keys_of(skill), (std::set<std::string>{"id", "name", "category", "subcategory", "description", "is_active",
                                                   "synonyms", "related_skill_ids", "created_at", "updated_at"}));
  EXPECT_EQ(skill.at("category").as_string(), "LANGUAGE");
  EXPECT_TRUE(skill.at("subcategory").is_null());
  EXPECT_EQ(skill.at("synonyms").as_array().at(0).as_string(), "Deutsch");

  domain::Customer c;
  c.primary_contact = domain::Contact{"Pat", "pat@example.com", "+1 555"};
  const auto customer = boost::json::parse(to_json(c)).as_object();
  EXPECT_EQ(keys_of(customer),
            (std::set<std::string>{"id", "name", "industry", "website", "description", "primary_contact", "is_active",
                                   "created_at", "updated_at", "version"}));
  EXPECT_EQ(customer.at("version").as_int64(), 1);
  EXPECT_EQ(keys_of(customer.at("primary_contact").as_object()), (std::set<std::string>{"name", "email", "phone"}));
  EXPECT_TRUE(customer.at("website").is_null());

  domain::User u;
  u.role = domain::Role::solution_architect;
  const auto user = boost::json::parse(to_json(u)).as_object();
  EXPECT_EQ(keys_of(user), (std::set<std::string>{"id", "name", "email", "role", "employee_id", "department",
                                                  "is_active", "first_seen_at", "last_seen_at"}));
  EXPECT_EQ(user.at("role").as_string(), "SOLUTION_ARCHITECT");
}

TEST(JsonRepresentations, AuditEntryAndVerification) {
  domain::AuditEntry e;
  e.seq = 7;
  e.after = R"({"title":"x"})";
  const auto entry = boost::json::parse(to_json(e)).as_object();
  EXPECT_EQ(keys_of(entry),
            (std::set<std::string>{"seq", "id", "at", "actor_id", "action", "entity_type", "entity_id", "request_id",
                                   "before", "after", "prev_hash", "hash", "redacted_by_seq"}));
  EXPECT_EQ(entry.at("seq").as_int64(), 7);
  EXPECT_TRUE(entry.at("redacted_by_seq").is_null());  // set only on an entry an erasure redacted
  EXPECT_TRUE(entry.at("before").is_null());
  EXPECT_EQ(entry.at("after").at("title").as_string(), "x");

  app::AuditVerification ok;
  ok.entries_checked = 3;
  EXPECT_EQ(to_json(ok), R"({"valid":true,"entries_checked":3,"first_broken_seq":null,"problem":null})");
  app::AuditVerification broken{false, 5, 4, "hash mismatch"};
  EXPECT_EQ(to_json(broken), R"({"valid":false,"entries_checked":5,"first_broken_seq":4,"problem":"hash mismatch"})");
}

}  // namespace
}  // namespace oms::http::handlers
