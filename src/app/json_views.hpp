#pragma once
// The JSON shape of each entity of the shared contract (docs/openapi.yaml), defined once and used
// for HTTP responses (http/handlers/representations.hpp), audit snapshots, outbox payloads and
// change-record values. boost::json::value_from(x) finds the tag_invoke overloads below.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "app/audit.hpp"
#include "domain/entities.hpp"
#include "domain/export.hpp"

namespace oms::domain {
// value_from(x): the shapes below (an Opportunity with its parts).
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Opportunity& o);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const SkillRequirement& r);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Timeline& t);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Attachment& a);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const StatusRecord& r);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const ChangeRecord& r);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Skill& s);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Customer& c);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const User& u);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const AuditEntry& e);
void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const Export& e);
}  // namespace oms::domain

namespace oms::app {

void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const AuditVerification& r);

// The builders below allocate in `sp` (a response's monotonic_resource: one block, freed at once).
boost::json::value json_timestamp(const std::optional<domain::Timestamp>& t, const boost::json::storage_ptr& sp = {});
boost::json::object skill_requirement_json(const domain::SkillRequirement& r, const boost::json::storage_ptr& sp = {});
boost::json::object timeline_json(const domain::Timeline& t, const boost::json::storage_ptr& sp = {});
boost::json::object attachment_json(const domain::Attachment& a, const boost::json::storage_ptr& sp = {});
// An opportunity's JSON text appended to `out`, written without a tree: where its shape (and its
// parts') is defined. `with_parts` false gives the list-item shape (no problem_statement,
// skill_requirements, timeline, attachments keys). The *_json builders of an opportunity and its
// parts parse this text where a tree is wanted (an event's payload, a change record).
void append_opportunity_json(std::string& out, const domain::Opportunity& o, bool with_parts = true);
std::string opportunity_json_text(const domain::Opportunity& o, bool with_parts = true);
boost::json::object opportunity_json(const domain::Opportunity& o, bool with_parts = true,
                                     const boost::json::storage_ptr& sp = {});
boost::json::object status_record_json(const domain::StatusRecord& r);
boost::json::object change_record_json(const domain::ChangeRecord& r);
boost::json::object skill_json(const domain::Skill& s);
boost::json::object customer_json(const domain::Customer& c);
boost::json::object user_json(const domain::User& u);
// user_json serialized: a user as the audit log records it before and after a change.
std::string user_snapshot(const domain::User& u);
boost::json::object audit_entry_json(const domain::AuditEntry& e);
boost::json::object audit_verification_json(const AuditVerification& r);
// An export or data-subject request as GET /api/v1/exports/{id} shows it, without the signed
// download_url the handler adds when it is COMPLETED.
boost::json::object export_json(const domain::Export& e);

// Parses JSON text that this service wrote; null for std::nullopt.
boost::json::value parse_json_text(const std::optional<std::string>& text);
// Deterministic serialisation: object keys sorted (bytewise), no white space. PostgreSQL's jsonb
// re-orders keys, so hashes are computed over this form, never over stored text.
std::string canonical_json(const boost::json::value& v);
// The same, appended to `out`.
void append_canonical_json(std::string& out, const boost::json::value& v);

}  // namespace oms::app
