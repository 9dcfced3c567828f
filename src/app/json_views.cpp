#include "app/json_views.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "domain/cancel.hpp"
#include "domain/status.hpp"
#include "domain/validation.hpp"
#include "util/json_writer.hpp"
#include "util/time.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {
json::value opt_string(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }
json::array string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
}  // namespace

json::value json_timestamp(const std::optional<domain::Timestamp>& t, const json::storage_ptr& sp) {
  return t ? json::value(util::format_timestamp(*t), sp) : json::value(nullptr, sp);
}

namespace {
// The shapes of an opportunity and its parts, written once (util::JsonWriter); the *_json
// builders below parse this text where a tree is wanted (an event's payload, a change record).
void write_timestamp(util::JsonWriter& w, const std::optional<domain::Timestamp>& t) {
  if (t)
    w.string(util::format_timestamp(*t));
  else
    w.null();
}

void write_geographic(util::JsonWriter& w, const domain::GeographicRequirements& g) {
  w.begin_object();
  w.key("region").string(g.region);
  w.key("requires_physical_presence").boolean(g.requires_physical_presence);
  w.key("allows_remote_work").boolean(g.allows_remote_work);
  w.end_object();
}

void write_skill_requirement(util::JsonWriter& w, const domain::SkillRequirement& r) {
  w.begin_object();
  w.key("id").string(r.id);
  w.key("skill_id").string(r.skill_id);
  w.key("skill_name").string(r.skill_name);
  w.key("skill_type").string(domain::to_string(r.skill_type));
  w.key("importance").string(domain::to_string(r.importance));
  w.key("minimum_proficiency").string(domain::to_string(r.minimum_proficiency));
  w.key("created_at").string(util::format_timestamp(r.created_at));
  w.end_object();
}

void write_timeline(util::JsonWriter& w, const domain::Timeline& t) {
  w.begin_object();
  w.key("expected_start_date").string(util::format_date(t.expected_start_date));
  w.key("expected_end_date").string(util::format_date(t.expected_end_date));
  w.key("specific_required_days").begin_array();
  for (auto d : t.specific_required_days) w.string(util::format_date(d));
  w.end_array();
  w.key("is_flexible").boolean(t.is_flexible);
  w.end_object();
}

void write_attachment(util::JsonWriter& w, const domain::Attachment& a) {
  w.begin_object();
  w.key("id").string(a.id);
  w.key("file_name").string(a.file_name);
  w.key("content_type").string(a.content_type);
  w.key("size_bytes").integer(a.size_bytes);
  w.key("checksum_sha256").string(a.checksum_sha256);
  w.key("uploaded_by").string(a.uploaded_by);
  w.key("uploaded_at").string(util::format_timestamp(a.uploaded_at));
  w.end_object();
}

void write_parts(util::JsonWriter& w, const domain::Opportunity& o) {
  w.key("problem_statement");
  if (o.problem_statement) {
    w.begin_object();
    w.key("content").string(o.problem_statement->content);
    w.key("updated_at").string(util::format_timestamp(o.problem_statement->updated_at));
    w.end_object();
  } else {
    w.null();
  }
  w.key("skill_requirements").begin_array();
  for (const auto& r : o.skill_requirements) write_skill_requirement(w, r);
  w.end_array();
  w.key("timeline");
  if (o.timeline)
    write_timeline(w, *o.timeline);
  else
    w.null();
  w.key("attachments").begin_array();
  for (const auto& a : o.attachments) write_attachment(w, a);
  w.end_array();
}

void write_opportunity(util::JsonWriter& w, const domain::Opportunity& o, bool with_parts) {
  w.begin_object();
  w.key("id").string(o.id);
  w.key("title").string(o.title);
  w.key("description").string(o.description);
  w.key("customer_id").string(o.customer_id);
  w.key("sales_manager_id").string(o.sales_manager_id);
  w.key("priority").string(domain::to_string(o.priority));
  w.key("annual_recurring_revenue").string(domain::format_money(o.annual_recurring_revenue.cents));
  w.key("currency").string(o.annual_recurring_revenue.currency);
  w.key("geographic_requirements");
  write_geographic(w, o.geographic_requirements);
  w.key("status").string(domain::to_string(o.status));
  w.key("status_before_cancellation");
  if (o.status_before_cancellation)
    w.string(domain::to_string(*o.status_before_cancellation));
  else
    w.null();
  w.key("selected_architect_id").optional_string(o.selected_architect_id);
  w.key("created_at").string(util::format_timestamp(o.created_at));
  w.key("updated_at").string(util::format_timestamp(o.updated_at));
  w.key("submitted_at");
  write_timestamp(w, o.submitted_at);
  w.key("completed_at");
  write_timestamp(w, o.completed_at);
  w.key("cancelled_at");
  write_timestamp(w, o.cancelled_at);
  w.key("cancellation_reason").optional_string(o.cancellation_reason);
  w.key("reactivation_deadline");
  write_timestamp(w, o.cancelled_at ? std::optional(domain::reactivation_deadline(*o.cancelled_at)) : std::nullopt);
  w.key("version").integer(o.version);
  if (with_parts) write_parts(w, o);
  w.end_object();
}

// `x` written by `write`, parsed into an object allocated in `sp`.
template <class T>
json::object parsed(void (*write)(util::JsonWriter&, const T&), const T& x, const json::storage_ptr& sp) {
  std::string text;
  util::JsonWriter w(text);
  write(w, x);
  return std::move(json::parse(text, sp).as_object());
}
}  // namespace

json::object skill_requirement_json(const domain::SkillRequirement& r, const json::storage_ptr& sp) {
  return parsed(&write_skill_requirement, r, sp);
}

json::object timeline_json(const domain::Timeline& t, const json::storage_ptr& sp) {
  return parsed(&write_timeline, t, sp);
}

json::object attachment_json(const domain::Attachment& a, const json::storage_ptr& sp) {
  return parsed(&write_attachment, a, sp);
}

void append_opportunity_json(std::string& out, const domain::Opportunity& o, bool with_parts) {
  util::JsonWriter w(out);
  write_opportunity(w, o, with_parts);
}

std::string opportunity_json_text(const domain::Opportunity& o, bool with_parts) {
  // Room for the keys and fixed-width values, the long texts and the parts: one allocation.
  constexpr std::size_t k_fixed = 900;
  constexpr std::size_t k_each_part = 320;
  std::string text;
  std::size_t size = k_fixed + o.title.size() + o.description.size();
  if (with_parts) {
    if (o.problem_statement) size += o.problem_statement->content.size();
    size += k_each_part * (o.skill_requirements.size() + o.attachments.size());
  }
  text.reserve(size);
  append_opportunity_json(text, o, with_parts);
  return text;
}

json::object opportunity_json(const domain::Opportunity& o, bool with_parts, const json::storage_ptr& sp) {
  return std::move(json::parse(opportunity_json_text(o, with_parts), sp).as_object());
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
