#pragma once
// The data of the domain: the Opportunity aggregate and the entities it references.
// Plain values; the rules that govern them live beside them in src/domain (one file a concern).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/types.hpp"

namespace oms::domain {

// Money in minor units (cents): exact, no floating point anywhere.
struct Money {
  std::int64_t cents = 0;
  std::string currency = "USD";  // ISO 4217, three upper-case letters
  bool operator==(const Money&) const = default;
};

struct GeographicRequirements {
  std::string region;
  bool requires_physical_presence = false;
  bool allows_remote_work = true;
  bool operator==(const GeographicRequirements&) const = default;
};

struct ProblemStatement {
  std::string content;  // Markdown
  Timestamp updated_at{};
};

struct SkillRequirement {
  std::string id;
  std::string skill_id;
  std::string skill_name;      // copied from the catalog
  SkillCategory skill_type{};  // copied from the catalog
  Importance importance{};
  Proficiency minimum_proficiency{};
  Timestamp created_at{};
};

struct Timeline {
  Date expected_start_date{};
  Date expected_end_date{};
  std::vector<Date> specific_required_days;
  bool is_flexible = false;
};

struct Attachment {
  std::string id;
  std::string file_name;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string object_key;
  std::string checksum_sha256;
  std::string uploaded_by;
  Timestamp uploaded_at{};
  std::optional<Timestamp> removed_at;
};

struct Opportunity {
  std::string id;
  std::string title;
  std::string description;
  std::string customer_id;
  std::string sales_manager_id;
  Priority priority = Priority::medium;
  Money annual_recurring_revenue;
  GeographicRequirements geographic_requirements;
  Status status = Status::draft;
  std::optional<Status> status_before_cancellation;
  std::optional<std::string> selected_architect_id;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> submitted_at;
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> cancelled_at;
  std::optional<std::string> cancellation_reason;
  std::int64_t version = 1;

  // Composed parts (loaded with the aggregate).
  std::optional<ProblemStatement> problem_statement;
  std::vector<SkillRequirement> skill_requirements;
  std::optional<Timeline> timeline;
  std::vector<Attachment> attachments;  // not removed
};

struct StatusRecord {
  std::string id;
  std::string opportunity_id;
  std::optional<Status> from_status;  // none for the creation record
  Status to_status{};
  Timestamp changed_at{};
  std::string changed_by;
  std::optional<std::string> reason;
};

struct ChangeRecord {
  std::string id;
  std::string opportunity_id;
  std::string field;
  std::optional<std::string> old_value;  // JSON text of the old value
  std::optional<std::string> new_value;  // JSON text of the new value
  Timestamp changed_at{};
  std::string changed_by;
  std::optional<std::string> reason;
};

struct Skill {
  std::string id;
  std::string name;
  SkillCategory category{};
  std::optional<std::string> subcategory;
  std::string description;
  bool is_active = true;
  std::vector<std::string> synonyms;
  std::vector<std::string> related_skill_ids;
  Timestamp created_at{};
  Timestamp updated_at{};
};

struct Contact {
  std::string name;   // PII
  std::string email;  // PII
  std::string phone;  // PII
  bool operator==(const Contact&) const = default;
};

struct Customer {
  std::string id;
  std::string name;
  std::string industry;
  std::optional<std::string> website;
  std::optional<std::string> description;
  std::optional<Contact> primary_contact;
  bool is_active = true;
  std::string created_by;
  Timestamp created_at{};
  Timestamp updated_at{};
  std::int64_t version = 1;  // increases on every change (ETag / If-Match)
};

struct User {
  std::string id;     // the token's `sub`
  std::string name;   // PII
  std::string email;  // PII
  Role role{};
  std::optional<std::string> employee_id;
  std::optional<std::string> department;
  bool is_active = true;
  Timestamp first_seen_at{};
  Timestamp last_seen_at{};
};

// One entry of the append-only, hash-chained audit log (domain.md, "Audit and personal data"):
// who did what to which entity, when, under which request, with the before/after snapshots.
struct AuditEntry {
  std::int64_t seq = 0;
  std::string id;
  Timestamp at{};
  std::string actor_id;
  std::string action;       // e.g. "opportunity.create", "opportunity.submit"
  std::string entity_type;  // "opportunity", "skill", "customer", "user"
  std::string entity_id;
  std::string request_id;
  std::optional<std::string> before;  // JSON text (PostgreSQL hands jsonb back re-formatted)
  std::optional<std::string> after;   // JSON text
  std::string prev_hash;
  std::string hash;
  // How `hash` is computed (app/unit_of_work.hpp): 1 = entries written before migration 0006
  // (raw payloads), 2 = personal data in before/after sealed under a subject key (app/audit_pii.hpp).
  int format = 1;
  // Set when erasure rewrote the entry's PII (format 1 only): the seq of the `audit.redact` entry
  // that records its original hash and the hash of its new content (app/audit_redaction.hpp).
  // Not hashed: the redaction entry protects it.
  std::optional<std::int64_t> redacted_by_seq;
};

// The orders an opportunity list can be sorted in (api.md, GET /api/v1/opportunities `sort`).
enum class OpportunitySort { created_at, updated_at, priority, title, expected_start_date };

// The authenticated caller, built from a verified token.
struct Principal {
  std::string user_id;  // sub
  Role role{};
  std::string name;
  std::string email;
  std::optional<std::string> employee_id;
  std::optional<std::string> department;
  // True when the token carried the caller's profile (an ID token, or a development token):
  // name, email, employee_id and department are then the user's. Access tokens carry none of
  // them (name holds the username or client id), so the users table keeps what it has.
  bool profile_from_token = true;
};

}  // namespace oms::domain
