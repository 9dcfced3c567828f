#include "app/cache_codec.hpp"

#include <array>
#include <boost/json.hpp>
#include <functional>
#include <stdexcept>

namespace oms::app::codec {
namespace json = boost::json;
namespace {

constexpr std::int64_t k_format = 2;  // 2: the aggregate in three entries

std::int64_t micros(domain::Timestamp t) { return t.time_since_epoch().count(); }
domain::Timestamp timestamp(const json::value& v) { return domain::Timestamp{std::chrono::microseconds{v.as_int64()}}; }
std::int64_t days(domain::Date d) { return d.time_since_epoch().count(); }
domain::Date date(const json::value& v) { return domain::Date{std::chrono::days{v.as_int64()}}; }

json::value opt_text(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }
std::optional<std::string> opt_text(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return std::string(v.as_string());
}
json::value opt_time(const std::optional<domain::Timestamp>& t) {
  return t ? json::value(micros(*t)) : json::value(nullptr);
}
std::optional<domain::Timestamp> opt_time(const json::value& v) {
  if (v.is_null()) return std::nullopt;
  return timestamp(v);
}
std::string text(const json::value& v) { return std::string(v.as_string()); }

template <class E>
json::value name(E e) {
  return json::value(domain::to_string(e));
}
template <class E>
E parse(const json::value& v) {
  auto e = domain::parse_enum<E>(v.as_string());
  if (!e) throw std::invalid_argument("cache codec: unknown enum value");
  return *e;
}

json::array texts(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}
std::vector<std::string> texts(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.as_array()) out.push_back(text(s));
  return out;
}

const json::object& checked(const json::value& v) {
  const auto& o = v.as_object();
  if (o.at("f").as_int64() != k_format) throw std::invalid_argument("cache codec: other format");
  return o;
}

json::object skill_object(const domain::Skill& s) {
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"category", name(s.category)},
                      {"subcategory", opt_text(s.subcategory)},
                      {"description", s.description},
                      {"is_active", s.is_active},
                      {"synonyms", texts(s.synonyms)},
                      {"related", texts(s.related_skill_ids)},
                      {"created_at", micros(s.created_at)},
                      {"updated_at", micros(s.updated_at)}};
}
domain::Skill skill_from(const json::object& o) {
  domain::Skill s;
  s.id = text(o.at("id"));
  s.name = text(o.at("name"));
  s.category = parse<domain::SkillCategory>(o.at("category"));
  s.subcategory = opt_text(o.at("subcategory"));
  s.description = text(o.at("description"));
  s.is_active = o.at("is_active").as_bool();
  s.synonyms = texts(o.at("synonyms"));
  s.related_skill_ids = texts(o.at("related"));
  s.created_at = timestamp(o.at("created_at"));
  s.updated_at = timestamp(o.at("updated_at"));
  return s;
}

}  // namespace

OpportunityEntries encode(const domain::Opportunity& o) {
  json::object j{{"f", k_format},
                 {"id", o.id},
                 {"title", o.title},
                 {"description", o.description},
                 {"customer_id", o.customer_id},
                 {"sales_manager_id", o.sales_manager_id},
                 {"priority", name(o.priority)},
                 {"arr_cents", o.annual_recurring_revenue.cents},
                 {"currency", o.annual_recurring_revenue.currency},
                 {"region", o.geographic_requirements.region},
                 {"physical", o.geographic_requirements.requires_physical_presence},
                 {"remote", o.geographic_requirements.allows_remote_work},
                 {"status", name(o.status)},
                 {"status_before_cancellation",
                  o.status_before_cancellation ? name(*o.status_before_cancellation) : json::value(nullptr)},
                 {"selected_architect_id", opt_text(o.selected_architect_id)},
                 {"created_at", micros(o.created_at)},
                 {"updated_at", micros(o.updated_at)},
                 {"submitted_at", opt_time(o.submitted_at)},
                 {"completed_at", opt_time(o.completed_at)},
                 {"cancelled_at", opt_time(o.cancelled_at)},
                 {"cancellation_reason", opt_text(o.cancellation_reason)},
                 {"version", o.version}};
  // The parts carry the aggregate's version: a read assembles only entries of one version.
  json::object ps{{"f", k_format}, {"id", o.id}, {"version", o.version}};
  if (o.problem_statement)
    ps["problem_statement"] = json::object{{"content", o.problem_statement->content},
                                           {"updated_at", micros(o.problem_statement->updated_at)}};
  else
    ps["problem_statement"] = nullptr;
  json::array reqs;
  for (const auto& r : o.skill_requirements)
    reqs.push_back(json::object{{"id", r.id},
                                {"skill_id", r.skill_id},
                                {"skill_name", r.skill_name},
                                {"skill_type", name(r.skill_type)},
                                {"importance", name(r.importance)},
                                {"minimum_proficiency", name(r.minimum_proficiency)},
                                {"created_at", micros(r.created_at)}});
  json::object sr{{"f", k_format}, {"id", o.id}, {"version", o.version}, {"skill_requirements", std::move(reqs)}};
  if (o.timeline) {
    json::array specific;
    for (auto d : o.timeline->specific_required_days) specific.emplace_back(days(d));
    j["timeline"] = json::object{{"start", days(o.timeline->expected_start_date)},
                                 {"end", days(o.timeline->expected_end_date)},
                                 {"specific", std::move(specific)},
                                 {"flexible", o.timeline->is_flexible}};
  } else {
    j["timeline"] = nullptr;
  }
  json::array attachments;
  for (const auto& a : o.attachments)
    attachments.push_back(json::object{{"id", a.id},
                                       {"file_name", a.file_name},
                                       {"content_type", a.content_type},
                                       {"size_bytes", a.size_bytes},
                                       {"object_key", a.object_key},
                                       {"checksum_sha256", a.checksum_sha256},
                                       {"uploaded_by", a.uploaded_by},
                                       {"uploaded_at", micros(a.uploaded_at)},
                                       {"removed_at", opt_time(a.removed_at)}});
  j["attachments"] = std::move(attachments);
  return OpportunityEntries{json::serialize(j), json::serialize(ps), json::serialize(sr)};
}

domain::Opportunity decode_opportunity(const OpportunityEntries& entries) {
  const json::value v = json::parse(entries.root);
  const auto& j = checked(v);
  const json::value ps_value = json::parse(entries.problem_statement);
  const auto& ps_entry = checked(ps_value);
  const json::value sr_value = json::parse(entries.skill_requirements);
  const auto& sr_entry = checked(sr_value);
  for (const auto* part : {&ps_entry, &sr_entry})
    if (part->at("id") != j.at("id") || part->at("version") != j.at("version"))
      throw std::invalid_argument("cache codec: the parts are of another version of the aggregate");
  domain::Opportunity o;
  o.id = text(j.at("id"));
  o.title = text(j.at("title"));
  o.description = text(j.at("description"));
  o.customer_id = text(j.at("customer_id"));
  o.sales_manager_id = text(j.at("sales_manager_id"));
  o.priority = parse<domain::Priority>(j.at("priority"));
  o.annual_recurring_revenue.cents = j.at("arr_cents").as_int64();
  o.annual_recurring_revenue.currency = text(j.at("currency"));
  o.geographic_requirements.region = text(j.at("region"));
  o.geographic_requirements.requires_physical_presence = j.at("physical").as_bool();
  o.geographic_requirements.allows_remote_work = j.at("remote").as_bool();
  o.status = parse<domain::Status>(j.at("status"));
  if (!j.at("status_before_cancellation").is_null())
    o.status_before_cancellation = parse<domain::Status>(j.at("status_before_cancellation"));
  o.selected_architect_id = opt_text(j.at("selected_architect_id"));
  o.created_at = timestamp(j.at("created_at"));
  o.updated_at = timestamp(j.at("updated_at"));
  o.submitted_at = opt_time(j.at("submitted_at"));
  o.completed_at = opt_time(j.at("completed_at"));
  o.cancelled_at = opt_time(j.at("cancelled_at"));
  o.cancellation_reason = opt_text(j.at("cancellation_reason"));
  o.version = j.at("version").as_int64();
  if (const auto& ps = ps_entry.at("problem_statement"); !ps.is_null())
    o.problem_statement = domain::ProblemStatement{text(ps.at("content")), timestamp(ps.at("updated_at"))};
  for (const auto& item : sr_entry.at("skill_requirements").as_array()) {
    const auto& r = item.as_object();
    domain::SkillRequirement req;
    req.id = text(r.at("id"));
    req.skill_id = text(r.at("skill_id"));
    req.skill_name = text(r.at("skill_name"));
    req.skill_type = parse<domain::SkillCategory>(r.at("skill_type"));
    req.importance = parse<domain::Importance>(r.at("importance"));
    req.minimum_proficiency = parse<domain::Proficiency>(r.at("minimum_proficiency"));
    req.created_at = timestamp(r.at("created_at"));
    o.skill_requirements.push_back(std::move(req));
  }
  if (const auto& t = j.at("timeline"); !t.is_null()) {
    domain::Timeline tl;
    tl.expected_start_date = date(t.at("start"));
    tl.expected_end_date = date(t.at("end"));
    for (const auto& d : t.at("specific").as_array()) tl.specific_required_days.push_back(date(d));
    tl.is_flexible = t.at("flexible").as_bool();
    o.timeline = std::move(tl);
  }
  for (const auto& item : j.at("attachments").as_array()) {
    const auto& a = item.as_object();
    domain::Attachment att;
    att.id = text(a.at("id"));
    att.file_name = text(a.at("file_name"));
    att.content_type = text(a.at("content_type"));
    att.size_bytes = a.at("size_bytes").as_int64();
    att.object_key = text(a.at("object_key"));
    att.checksum_sha256 = text(a.at("checksum_sha256"));
    att.uploaded_by = text(a.at("uploaded_by"));
    att.uploaded_at = timestamp(a.at("uploaded_at"));
    att.removed_at = opt_time(a.at("removed_at"));
    o.attachments.push_back(std::move(att));
  }
  return o;
}

std::string encode(const domain::User& u) {
  json::object j{{"f", k_format},
                 {"id", u.id},
                 {"name", u.name},
                 {"email", u.email},
                 {"role", name(u.role)},
                 {"employee_id", opt_text(u.employee_id)},
                 {"department", opt_text(u.department)},
                 {"is_active", u.is_active},
                 {"first_seen_at", micros(u.first_seen_at)},
                 {"last_seen_at", micros(u.last_seen_at)}};
  return json::serialize(j);
}

namespace {

domain::User parse_user(std::string_view bytes) {
  const json::value v = json::parse(bytes);
  const auto& j = checked(v);
  domain::User u;
  u.id = text(j.at("id"));
  u.name = text(j.at("name"));
  u.email = text(j.at("email"));
  u.role = parse<domain::Role>(j.at("role"));
  u.employee_id = opt_text(j.at("employee_id"));
  u.department = opt_text(j.at("department"));
  u.is_active = j.at("is_active").as_bool();
  u.first_seen_at = timestamp(j.at("first_seen_at"));
  u.last_seen_at = timestamp(j.at("last_seen_at"));
  return u;
}

}  // namespace

// Parsing was most of a cache hit's user touch, and the same user's bytes come back request after
// request: each thread keeps the users it decoded last, by their bytes (equal bytes, equal user;
// a slot holds one, a collision replaces it).
domain::User decode_user(std::string_view bytes) {
  struct Decoded {
    std::string bytes;
    domain::User user;
  };
  constexpr std::size_t k_slots = 16;
  thread_local std::array<Decoded, k_slots> recent;
  Decoded& slot = recent[std::hash<std::string_view>{}(bytes) % k_slots];
  if (!slot.bytes.empty() && slot.bytes == bytes) return slot.user;
  domain::User user = parse_user(bytes);
  slot.user = user;
  slot.bytes.assign(bytes);
  return user;
}

std::string encode(const std::vector<domain::Skill>& skills) {
  json::array items;
  for (const auto& s : skills) items.push_back(skill_object(s));
  json::object j{{"f", k_format}, {"skills", std::move(items)}};
  return json::serialize(j);
}

std::vector<domain::Skill> decode_skills(std::string_view bytes) {
  const json::value v = json::parse(bytes);
  const auto& j = checked(v);
  std::vector<domain::Skill> out;
  for (const auto& s : j.at("skills").as_array()) out.push_back(skill_from(s.as_object()));
  return out;
}

}  // namespace oms::app::codec
