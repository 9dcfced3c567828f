#include "http/handlers/representations.hpp"

#include "domain/cancel.hpp"
#include "domain/status.hpp"
#include "domain/validation.hpp"
#include "util/time.hpp"

namespace oms::http::handlers {
namespace {

void timestamp_field(json::Writer& w, std::string_view name, domain::Timestamp t) {
  w.field(name, util::format_timestamp(t));
}

void timestamp_field(json::Writer& w, std::string_view name, const std::optional<domain::Timestamp>& t) {
  if (t)
    timestamp_field(w, name, *t);
  else
    w.field(name, nullptr);
}

template <class E>
void enum_field(json::Writer& w, std::string_view name, const std::optional<E>& e) {
  if (e)
    w.field(name, domain::to_string(*e));
  else
    w.field(name, nullptr);
}

void string_array(json::Writer& w, std::string_view name, const std::vector<std::string>& items) {
  w.key(name).begin_array();
  for (const auto& s : items) w.value(s);
  w.end_array();
}

}  // namespace

void write(json::Writer& w, const domain::Opportunity& o, bool with_parts) {
  w.begin_object();
  w.field("id", o.id);
  w.field("title", o.title);
  w.field("description", o.description);
  w.field("customer_id", o.customer_id);
  w.field("sales_manager_id", o.sales_manager_id);
  w.field("priority", domain::to_string(o.priority));
  w.field("annual_recurring_revenue", domain::format_money(o.annual_recurring_revenue.cents));
  w.field("currency", o.annual_recurring_revenue.currency);
  w.key("geographic_requirements").begin_object();
  w.field("region", o.geographic_requirements.region);
  w.field("requires_physical_presence", o.geographic_requirements.requires_physical_presence);
  w.field("allows_remote_work", o.geographic_requirements.allows_remote_work);
  w.end_object();
  w.field("status", domain::to_string(o.status));
  enum_field(w, "status_before_cancellation", o.status_before_cancellation);
  w.field("selected_architect_id", o.selected_architect_id);
  timestamp_field(w, "created_at", o.created_at);
  timestamp_field(w, "updated_at", o.updated_at);
  timestamp_field(w, "submitted_at", o.submitted_at);
  timestamp_field(w, "completed_at", o.completed_at);
  timestamp_field(w, "cancelled_at", o.cancelled_at);
  w.field("cancellation_reason", o.cancellation_reason);
  std::optional<domain::Timestamp> deadline;
  if (o.cancelled_at) deadline = domain::reactivation_deadline(*o.cancelled_at);
  timestamp_field(w, "reactivation_deadline", deadline);
  w.field("version", o.version);
  if (with_parts) {
    w.key("problem_statement");
    if (o.problem_statement) {
      w.begin_object();
      w.field("content", o.problem_statement->content);
      timestamp_field(w, "updated_at", o.problem_statement->updated_at);
      w.end_object();
    } else {
      w.value(nullptr);
    }
    w.key("skill_requirements").begin_array();
    for (const auto& r : o.skill_requirements) write(w, r);
    w.end_array();
    w.key("timeline");
    if (o.timeline)
      write(w, *o.timeline);
    else
      w.value(nullptr);
    w.key("attachments").begin_array();
    for (const auto& a : o.attachments) write(w, a);
    w.end_array();
  }
  w.end_object();
}

std::string opportunity_json(const domain::Opportunity& o) {
  json::Writer w;
  write(w, o, true);
  return w.take();
}

void write(json::Writer& w, const domain::SkillRequirement& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("skill_id", r.skill_id);
  w.field("skill_name", r.skill_name);
  w.field("skill_type", domain::to_string(r.skill_type));
  w.field("importance", domain::to_string(r.importance));
  w.field("minimum_proficiency", domain::to_string(r.minimum_proficiency));
  timestamp_field(w, "created_at", r.created_at);
  w.end_object();
}

void write(json::Writer& w, const domain::Timeline& t) {
  w.begin_object();
  w.field("expected_start_date", util::format_date(t.expected_start_date));
  w.field("expected_end_date", util::format_date(t.expected_end_date));
  w.key("specific_required_days").begin_array();
  for (const auto& d : t.specific_required_days) w.value(util::format_date(d));
  w.end_array();
  w.field("is_flexible", t.is_flexible);
  w.end_object();
}

void write(json::Writer& w, const domain::Attachment& a) {
  w.begin_object();
  w.field("id", a.id);
  w.field("file_name", a.file_name);
  w.field("content_type", a.content_type);
  w.field("size_bytes", a.size_bytes);
  w.field("checksum_sha256", a.checksum_sha256);
  w.field("uploaded_by", a.uploaded_by);
  timestamp_field(w, "uploaded_at", a.uploaded_at);
  w.end_object();
}

void write(json::Writer& w, const domain::StatusRecord& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("opportunity_id", r.opportunity_id);
  enum_field(w, "from_status", r.from_status);
  w.field("to_status", domain::to_string(r.to_status));
  timestamp_field(w, "changed_at", r.changed_at);
  w.field("changed_by", r.changed_by);
  w.field("reason", r.reason);
  w.end_object();
}

void write(json::Writer& w, const domain::ChangeRecord& r) {
  w.begin_object();
  w.field("id", r.id);
  w.field("opportunity_id", r.opportunity_id);
  w.field("field", r.field);
  w.field_raw("old_value", r.old_value);  // stored JSON text, embedded as JSON
  w.field_raw("new_value", r.new_value);
  timestamp_field(w, "changed_at", r.changed_at);
  w.field("changed_by", r.changed_by);
  w.field("reason", r.reason);
  w.end_object();
}

void write(json::Writer& w, const domain::Skill& s) {
  w.begin_object();
  w.field("id", s.id);
  w.field("name", s.name);
  w.field("category", domain::to_string(s.category));
  w.field("subcategory", s.subcategory);
  w.field("description", s.description);
  w.field("is_active", s.is_active);
  string_array(w, "synonyms", s.synonyms);
  string_array(w, "related_skill_ids", s.related_skill_ids);
  timestamp_field(w, "created_at", s.created_at);
  timestamp_field(w, "updated_at", s.updated_at);
  w.end_object();
}

void write(json::Writer& w, const domain::Customer& c) {
  w.begin_object();
  w.field("id", c.id);
  w.field("name", c.name);
  w.field("industry", c.industry);
  w.field("website", c.website);
  w.field("description", c.description);
  w.key("primary_contact");
  if (c.primary_contact) {
    w.begin_object();
    w.field("name", c.primary_contact->name);
    w.field("email", c.primary_contact->email);
    w.field("phone", c.primary_contact->phone);
    w.end_object();
  } else {
    w.value(nullptr);
  }
  w.field("is_active", c.is_active);
  timestamp_field(w, "created_at", c.created_at);
  timestamp_field(w, "updated_at", c.updated_at);
  w.end_object();
}

void write(json::Writer& w, const domain::User& u) {
  w.begin_object();
  w.field("id", u.id);
  w.field("name", u.name);
  w.field("email", u.email);
  w.field("role", domain::to_string(u.role));
  w.field("employee_id", u.employee_id);
  w.field("department", u.department);
  w.field("is_active", u.is_active);
  timestamp_field(w, "first_seen_at", u.first_seen_at);
  timestamp_field(w, "last_seen_at", u.last_seen_at);
  w.end_object();
}

void write(json::Writer& w, const domain::AuditEntry& e) {
  w.begin_object();
  w.field("seq", e.seq);
  w.field("id", e.id);
  timestamp_field(w, "at", e.at);
  w.field("actor_id", e.actor_id);
  w.field("action", e.action);
  w.field("entity_type", e.entity_type);
  w.field("entity_id", e.entity_id);
  w.field("request_id", e.request_id);
  w.field_raw("before", e.before);
  w.field_raw("after", e.after);
  w.field("prev_hash", e.prev_hash);
  w.field("hash", e.hash);
  w.end_object();
}

void write(json::Writer& w, const app::AuditVerification& r) {
  w.begin_object();
  w.field("valid", r.valid);
  w.field("entries_checked", r.entries_checked);
  w.key("first_broken_seq");
  if (r.first_broken_seq)
    w.value(*r.first_broken_seq);
  else
    w.value(nullptr);
  w.field("problem", r.problem);
  w.end_object();
}

}  // namespace oms::http::handlers
