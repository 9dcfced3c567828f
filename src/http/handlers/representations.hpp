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

namespace oms::http::handlers {

// A single value as a whole body.
template <class T>
std::string to_json(const T& value) {
  return boost::json::serialize(boost::json::value_from(value));
}

// {"items": [...], "next_cursor": ...}; `item` maps an item to its JSON value.
template <class T, class Item>
std::string page_json(const app::Page<T>& page, Item item) {
  boost::json::array items;
  items.reserve(page.items.size());
  for (const auto& x : page.items) items.emplace_back(item(x));
  boost::json::object body;
  body["items"] = std::move(items);
  body["next_cursor"] = page.next_cursor ? boost::json::value(*page.next_cursor) : boost::json::value(nullptr);
  return boost::json::serialize(body);
}

template <class T>
std::string page_json(const app::Page<T>& page) {
  return page_json(page, [](const T& x) { return boost::json::value_from(x); });
}

}  // namespace oms::http::handlers
