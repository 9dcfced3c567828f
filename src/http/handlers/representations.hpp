#pragma once
// Response bodies: each entity's JSON shape is defined once, in app/json_views.hpp (the same
// shape the audit snapshots and outbox payloads use); here they become bodies and list pages.
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <string>

#include "app/audit.hpp"
#include "app/context.hpp"
#include "app/json_views.hpp"
#include "domain/entities.hpp"
#include "util/json_writer.hpp"

namespace oms::http::handlers {

// A single value as a whole body.
template <class T>
std::string to_json(const T& value) {
  return boost::json::serialize(boost::json::value_from(value));
}

// An opportunity as a whole body, written without a tree (app::append_opportunity_json).
inline std::string to_json(const domain::Opportunity& o) { return app::opportunity_json_text(o); }

// {"items": [...], "next_cursor": ...}: each item's JSON text appended by `append_item(out, x)`.
template <class T, class AppendItem>
std::string page_text(const app::Page<T>& page, AppendItem append_item) {
  std::string out = "{\"items\":[";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i) out += ',';
    append_item(out, page.items[i]);
  }
  out += "],\"next_cursor\":";
  if (page.next_cursor)
    util::append_json_string(out, *page.next_cursor);
  else
    out += "null";
  out += '}';
  return out;
}

// A page as a body; `item` maps an item to its JSON value.
template <class T, class Item>
std::string page_json(const app::Page<T>& page, Item item) {
  return page_text(page, [&item](std::string& out, const T& x) { out += boost::json::serialize(item(x)); });
}

template <class T>
std::string page_json(const app::Page<T>& page) {
  return page_json(page, [](const T& x) { return boost::json::value_from(x); });
}

}  // namespace oms::http::handlers
