#include "app/json_views.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/cancel.hpp"
#include "domain/status.hpp"
#include "domain/validation.hpp"
#include "util/time.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {
json::value opt_string(const std::optional<std::string>& s, const json::storage_ptr& sp = {}) {
  return s ? json::value(*s, sp) : json::value(nullptr, sp);
}
json::array string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
}  // namespace

json::value json_timestamp(const std::optional<domain::Timestamp>& t, const json::storage_ptr& sp) {
  return t ? json::value(util::format_timestamp(*t), sp) : json::value(nullptr, sp);
}

json::object geographic_json(const domain::GeographicRequirements& g, const json::storage_ptr& sp) {
  return json::object({{"region", g.region},
                       {"requires_physical_presence", g.requires_physical_presence},
                       {"allows_remote_work", g.allows_remote_work}},
                      sp);
}

json::object skill_requirement_json(const domain::SkillRequirement& r, const json::storage_ptr& sp) {
  return json::object({{"id", r.id},
                       {"skill_id", r.skill_id},
                       {"skill_name", r.skill_name},
                       {"skill_type", domain::to_string(r.skill_type)},
                       {"importance", domain::to_string(r.importance)},
                       {"minimum_proficiency", domain::to_string(r.minimum_proficiency)},
                       {"created_at", util::format_timestamp(r.created_at)}},
                      sp);
}

json::object timeline_json(const domain::Timeline& t, const json::storage_ptr& sp) {
  json::array days(sp);
  for (auto d : t.specific_required_days) days.emplace_back(util::format_date(d));
  return json::object({{"expected_start_date", util::format_date(t.expected_start_date)},
                       {"expected_end_date", util::format_date(t.expected_end_date)},
                       {"specific_required_days", std::move(days)},
                       {"is_flexible", t.is_flexible}},
                      sp);
}

json::object attachment_json(const domain::Attachment& a, const json::storage_ptr& sp) {
  return json::object({{"id", a.id},
                       {"file_name", a.file_name},
                       {"content_type", a.content_type},
                       {"size_bytes", a.size_bytes},
                       {"checksum_sha256", a.checksum_sha256},
                       {"uploaded_by", a.uploaded_by},
                       {"uploaded_at", util::format_timestamp(a.uploaded_at)}},
                      sp);
}

json::object opportunity_json(const domain::Opportunity& o, bool with_parts, const json::storage_ptr& sp) {
  // Sized for the parts up front: growing the table rehashes every key.
  constexpr std::size_t k_fields = 20;
  constexpr std::size_t k_parts = 4;
  json::object j(
      {
          {"id", o.id},
          {"title", o.title},
          {"description", o.description},
          {"customer_id", o.customer_id},
          {"sales_manager_id", o.sales_manager_id},
          {"priority", domain::to_string(o.priority)},
          {"annual_recurring_revenue", domain::format_money(o.annual_recurring_revenue.cents)},
          {"currency", o.annual_recurring_revenue.currency},
          {"geographic_requirements", geographic_json(o.geographic_requirements, sp)},
          {"status", domain::to_string(o.status)},
          {"status_before_cancellation", o.status_before_cancellation
                                             ? json::value(domain::to_string(*o.status_before_cancellation), sp)
                                             : json::value(nullptr, sp)},
          {"selected_architect_id", opt_string(o.selected_architect_id, sp)},
          {"created_at", util::format_timestamp(o.created_at)},
          {"updated_at", util::format_timestamp(o.updated_at)},
          {"submitted_at", json_timestamp(o.submitted_at, sp)},
          {"completed_at", json_timestamp(o.completed_at, sp)},
          {"cancelled_at", json_timestamp(o.cancelled_at, sp)},
          {"cancellation_reason", opt_string(o.cancellation_reason, sp)},
          {"reactivation_deadline",
           o.cancelled_at ? json::value(util::format_timestamp(domain::reactivation_deadline(*o.cancelled_at)), sp)
                          : json::value(nullptr, sp)},
          {"version", o.version},
      },
      with_parts ? k_fields + k_parts : k_fields, sp);
  if (!with_parts) return j;
  if (o.problem_statement)
    j["problem_statement"] = json::object({{"content", o.problem_statement->content},
                                           {"updated_at", util::format_timestamp(o.problem_statement->updated_at)}},
                                          sp);
  else
    j["problem_statement"] = nullptr;
  json::array reqs(sp);
  reqs.reserve(o.skill_requirements.size());
  for (const auto& r : o.skill_requirements) reqs.emplace_back(skill_requirement_json(r, sp));
  j["skill_requirements"] = std::move(reqs);
  j["timeline"] = o.timeline ? json::value(timeline_json(*o.timeline, sp)) : json::value(nullptr, sp);
  json::array atts(sp);
  for (const auto& a : o.attachments) atts.emplace_back(attachment_json(a, sp));
  j["attachments"] = std::move(atts);
  return j;
}

json::object status_record_json(const domain::StatusRecord& r) {
  return {{"id", r.id},
          {"opportunity_id", r.opportunity_id},
          {"from_status", r.from_status ? json::value(domain::to_string(*r.from_status)) : json::value(nullptr)},
          {"to_status", domain::to_string(r.to_status)},
          {"changed_at", util::format_timestamp(r.changed_at)},
          {"changed_by", r.changed_by},
          {"reason", opt_string(r.reason)}};
}

json::object change_record_json(const domain::ChangeRecord& r) {
  return {{"id", r.id},
          {"opportunity_id", r.opportunity_id},
          {"field", r.field},
          {"old_value", parse_json_text(r.old_value)},
          {"new_value", parse_json_text(r.new_value)},
          {"changed_at", util::format_timestamp(r.changed_at)},
          {"changed_by", r.changed_by},
          {"reason", opt_string(r.reason)}};
}

json::object skill_json(const domain::Skill& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"category", domain::to_string(s.category)},
          {"subcategory", opt_string(s.subcategory)},
          {"description", s.description},
          {"is_active", s.is_active},
          {"synonyms", string_array(s.synonyms)},
          {"related_skill_ids", string_array(s.related_skill_ids)},
          {"created_at", util::format_timestamp(s.created_at)},
          {"updated_at", util::format_timestamp(s.updated_at)}};
}

json::object customer_json(const domain::Customer& c) {
  json::value contact = nullptr;
  if (c.primary_contact)
    contact = json::object{
        {"name", c.primary_contact->name}, {"email", c.primary_contact->email}, {"phone", c.primary_contact->phone}};
  return {{"id", c.id},
          {"name", c.name},
          {"industry", c.industry},
          {"website", opt_string(c.website)},
          {"description", opt_string(c.description)},
          {"primary_contact", std::move(contact)},
          {"is_active", c.is_active},
          {"created_at", util::format_timestamp(c.created_at)},
          {"updated_at", util::format_timestamp(c.updated_at)},
          {"version", c.version}};
}

json::object user_json(const domain::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"email", u.email},
          {"role", domain::to_string(u.role)},
          {"employee_id", opt_string(u.employee_id)},
          {"department", opt_string(u.department)},
          {"is_active", u.is_active},
          {"first_seen_at", util::format_timestamp(u.first_seen_at)},
          {"last_seen_at", util::format_timestamp(u.last_seen_at)}};
}

std::string user_snapshot(const domain::User& u) { return json::serialize(user_json(u)); }

json::object audit_entry_json(const domain::AuditEntry& e) {
  return {{"seq", e.seq},
          {"id", e.id},
          {"at", util::format_timestamp(e.at)},
          {"actor_id", e.actor_id},
          {"action", e.action},
          {"entity_type", e.entity_type},
          {"entity_id", e.entity_id},
          {"request_id", e.request_id},
          {"before", parse_json_text(e.before)},
          {"after", parse_json_text(e.after)},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash},
          {"redacted_by_seq", e.redacted_by_seq ? json::value(*e.redacted_by_seq) : json::value(nullptr)}};
}

boost::json::object audit_verification_json(const AuditVerification& r) {
  return {{"valid", r.valid},
          {"entries_checked", r.entries_checked},
          {"first_broken_seq", r.first_broken_seq ? json::value(*r.first_broken_seq) : json::value(nullptr)},
          {"problem", opt_string(r.problem)}};
}

void tag_invoke(json::value_from_tag, json::value& jv, const AuditVerification& r) { jv = audit_verification_json(r); }

json::object export_json(const domain::Export& e) {
  return {{"id", e.id},
          {"kind", domain::to_string(e.kind)},
          {"dataset", domain::to_string(e.dataset)},
          {"format", domain::to_string(e.format)},
          {"filters", json::parse(e.filters)},
          {"subject_user_id", opt_string(e.subject_user_id)},
          {"status", domain::to_string(e.status)},
          {"rows_done", e.rows_done},
          {"rows_total", e.rows_total ? json::value(*e.rows_total) : json::value(nullptr)},
          {"error", opt_string(e.error)},
          {"created_at", util::format_timestamp(e.created_at)},
          {"updated_at", util::format_timestamp(e.updated_at)},
          {"completed_at", json_timestamp(e.completed_at)},
          {"expires_at", json_timestamp(e.expires_at)}};
}

json::value parse_json_text(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::parse(*text);
}

namespace {
// Appends what `sr` (reset to a value) serializes; no string is built per key or scalar.
void append_serialized(std::string& out, json::serializer& sr) {
  char buffer[512];
  while (!sr.done()) {
    const json::string_view part = sr.read(buffer, sizeof buffer);
    out.append(part.data(), part.size());
  }
}

void write_canonical(std::string& out, const json::value& v, json::serializer& sr) {
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      std::vector<const json::key_value_pair*> items;
      items.reserve(o.size());
      for (const auto& kv : o) items.push_back(&kv);
      std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
      out += '{';
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        sr.reset(items[i]->key());
        append_serialized(out, sr);
        out += ':';
        write_canonical(out, items[i]->value(), sr);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        write_canonical(out, e, sr);
      }
      out += ']';
      return;
    }
    default:
      sr.reset(&v);
      append_serialized(out, sr);
  }
}
}  // namespace

void append_canonical_json(std::string& out, const json::value& v) {
  json::serializer sr;
  write_canonical(out, v, sr);
}

std::string canonical_json(const json::value& v) {
  std::string out;
  append_canonical_json(out, v);
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  json::serializer sr;
  sr.reset(json::string_view(text.data(), text.size()));
  append_serialized(out, sr);
}

}  // namespace oms::app

namespace oms::domain {
namespace json = boost::json;
// Built in jv's storage (e.g. a page's monotonic_resource), so the assignment moves, not copies.
void tag_invoke(json::value_from_tag, json::value& jv, const Opportunity& o) {
  jv = app::opportunity_json(o, true, jv.storage());
}
void tag_invoke(json::value_from_tag, json::value& jv, const SkillRequirement& r) {
  jv = app::skill_requirement_json(r, jv.storage());
}
void tag_invoke(json::value_from_tag, json::value& jv, const Timeline& t) { jv = app::timeline_json(t, jv.storage()); }
void tag_invoke(json::value_from_tag, json::value& jv, const Attachment& a) {
  jv = app::attachment_json(a, jv.storage());
}
void tag_invoke(json::value_from_tag, json::value& jv, const StatusRecord& r) { jv = app::status_record_json(r); }
void tag_invoke(json::value_from_tag, json::value& jv, const ChangeRecord& r) { jv = app::change_record_json(r); }
void tag_invoke(json::value_from_tag, json::value& jv, const Skill& s) { jv = app::skill_json(s); }
void tag_invoke(json::value_from_tag, json::value& jv, const Customer& c) { jv = app::customer_json(c); }
void tag_invoke(json::value_from_tag, json::value& jv, const User& u) { jv = app::user_json(u); }
void tag_invoke(json::value_from_tag, json::value& jv, const AuditEntry& e) { jv = app::audit_entry_json(e); }
void tag_invoke(json::value_from_tag, json::value& jv, const Export& e) { jv = app::export_json(e); }
}  // namespace oms::domain
