#pragma once
// The response bodies of the shared JSON contract (docs/openapi.yaml), written with the streaming
// json::Writer: one function per shape, and list pages built from them.
#include <string>

#include "app/audit.hpp"
#include "app/context.hpp"
#include "domain/entities.hpp"
#include "http/json/writer.hpp"

namespace oms::http::handlers {

// with_parts false: the list-item shape (no problem_statement, skill_requirements, timeline,
// attachments keys).
void write(json::Writer& w, const domain::Opportunity& o, bool with_parts = true);
void write(json::Writer& w, const domain::SkillRequirement& r);
void write(json::Writer& w, const domain::Timeline& t);
void write(json::Writer& w, const domain::Attachment& a);
void write(json::Writer& w, const domain::StatusRecord& r);
void write(json::Writer& w, const domain::ChangeRecord& r);
void write(json::Writer& w, const domain::Skill& s);
void write(json::Writer& w, const domain::Customer& c);
void write(json::Writer& w, const domain::User& u);
void write(json::Writer& w, const domain::AuditEntry& e);
void write(json::Writer& w, const app::AuditVerification& r);

// A single value as a whole body.
template <class T>
std::string to_json(const T& value) {
  json::Writer w;
  write(w, value);
  return w.take();
}

std::string opportunity_json(const domain::Opportunity& o);

// {"items": [...], "next_cursor": ...}
template <class T, class WriteItem>
std::string page_json(const app::Page<T>& page, WriteItem write_item) {
  json::Writer w;
  w.begin_object().key("items").begin_array();
  for (const auto& item : page.items) write_item(w, item);
  w.end_array().field("next_cursor", page.next_cursor).end_object();
  return w.take();
}

template <class T>
std::string page_json(const app::Page<T>& page) {
  return page_json(page, [](json::Writer& w, const T& item) { write(w, item); });
}

}  // namespace oms::http::handlers
