#pragma once
// Response bodies: each entity's JSON shape is defined once, in app/json_views.hpp (the same
// shape the audit snapshots and outbox payloads use); here they become bodies and list pages.
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <string>
#include <type_traits>

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

// {"items": [...], "next_cursor": ...} with each item built by `item(x, sp)` in `sp`.
template <class T, class Item>
std::string page_body(const app::Page<T>& page, Item item, const boost::json::storage_ptr& sp) {
  boost::json::array items(sp);
  items.reserve(page.items.size());
  for (const auto& x : page.items) items.emplace_back(item(x, sp));
  boost::json::object body(sp);
  body["items"] = std::move(items);
  body["next_cursor"] = page.next_cursor ? boost::json::value(*page.next_cursor, sp) : boost::json::value(nullptr, sp);
  return boost::json::serialize(body);
}

// A page as a body; `item` maps an item to its JSON value. An `item` that takes a storage_ptr
// builds in the page's monotonic_resource: the tree is one block (on the stack while it fits),
// freed at once instead of node by node.
template <class T, class Item>
std::string page_json(const app::Page<T>& page, Item item) {
  if constexpr (std::is_invocable_v<Item, const T&, const boost::json::storage_ptr&>) {
    alignas(16) unsigned char block[16384];
    boost::json::monotonic_resource tree(block, sizeof block);
    return page_body(page, item, boost::json::storage_ptr(&tree));
  } else {
    return page_body(page, [&item](const T& x, const boost::json::storage_ptr&) { return item(x); }, {});
  }
}

template <class T>
std::string page_json(const app::Page<T>& page) {
  return page_json(page, [](const T& x) { return boost::json::value_from(x); });
}

}  // namespace oms::http::handlers
