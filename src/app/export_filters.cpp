#include "app/export_filters.hpp"

#include <boost/json.hpp>

#include "app/json_views.hpp"
#include "domain/validation.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"
#include "util/utf8.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {

constexpr std::size_t k_max_query_text = 200;  // as the list route's `query`
constexpr std::size_t k_max_user_id = 255;

struct SortName {
  domain::OpportunitySort field;
  std::string_view name;
};
constexpr SortName k_sorts[] = {{domain::OpportunitySort::created_at, "created_at"},
                                {domain::OpportunitySort::updated_at, "updated_at"},
                                {domain::OpportunitySort::priority, "priority"},
                                {domain::OpportunitySort::title, "title"},
                                {domain::OpportunitySort::expected_start_date, "expected_start_date"}};

template <class E>
std::string choices() {
  std::string out;
  for (int i = 0;; ++i) {
    const std::string_view name = domain::to_string(static_cast<E>(i));
    if (name.empty()) break;
    if (i > 0) out += ", ";
    out += name;
  }
  return out;
}

std::string path(std::string_view key) {
  std::string out = "filters.";
  out += key;
  return out;
}

const json::string* string_of(const json::value& value, std::string_view key, domain::Validator& v) {
  if (!value.is_string()) {
    v.add(path(key), "must be a string");
    return nullptr;
  }
  return &value.get_string();
}

template <class E>
std::optional<E> enum_of(const json::value& value, std::string_view key, domain::Validator& v) {
  const json::string* s = string_of(value, key, v);
  if (s == nullptr) return std::nullopt;
  if (auto e = domain::parse_enum<E>(std::string_view(s->data(), s->size()))) return e;
  v.add(path(key), "must be one of " + choices<E>());
  return std::nullopt;
}

std::optional<domain::Timestamp> timestamp_of(const json::value& value, std::string_view key, domain::Validator& v) {
  const json::string* s = string_of(value, key, v);
  if (s == nullptr) return std::nullopt;
  if (auto t = util::parse_timestamp(std::string_view(s->data(), s->size()))) return t;
  v.add(path(key), "must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z");
  return std::nullopt;
}

void read_statuses(const json::value& value, OpportunityQuery& q, domain::Validator& v) {
  if (value.is_string()) {
    if (auto s = enum_of<domain::Status>(value, "status", v)) q.statuses.push_back(*s);
    return;
  }
  if (!value.is_array() || value.get_array().empty()) {
    v.add("filters.status", "must be a status or a non-empty array of statuses");
    return;
  }
  for (const auto& item : value.get_array())
    if (auto s = enum_of<domain::Status>(item, "status", v)) q.statuses.push_back(*s);
}

void read_sort(const json::value& value, OpportunityQuery& q, domain::Validator& v) {
  const json::string* s = string_of(value, "sort", v);
  if (s == nullptr) return;
  std::string_view name(s->data(), s->size());
  const bool descending = name.starts_with('-');
  if (descending) name.remove_prefix(1);
  for (const auto& sort : k_sorts) {
    if (sort.name == name) {
      q.sort = sort.field;
      q.descending = descending;
      return;
    }
  }
  v.add("filters.sort",
        "must be one of created_at, updated_at, priority, title, expected_start_date, optionally prefixed by - "
        "for descending order");
}

}  // namespace

OpportunityQuery read_export_filters(const json::object& filters, domain::Validator& v) {
  OpportunityQuery q;
  for (const auto& [key_view, value] : filters) {
    const std::string_view key(key_view.data(), key_view.size());
    if (key == "status") {
      read_statuses(value, q, v);
    } else if (key == "priority") {
      q.priority = enum_of<domain::Priority>(value, key, v);
    } else if (key == "customer_id") {
      if (const json::string* s = string_of(value, key, v)) {
        if (util::is_uuid(std::string_view(s->data(), s->size())))
          q.customer_id = util::to_lower_ascii(std::string_view(s->data(), s->size()));
        else
          v.add(path(key), "must be a UUID");
      }
    } else if (key == "sales_manager_id") {
      if (const json::string* s = string_of(value, key, v)) {
        if (s->empty() || s->size() > k_max_user_id)
          v.add(path(key), "must be a user id of 1 to 255 characters");
        else
          q.sales_manager_id = std::string(s->data(), s->size());
      }
    } else if (key == "query") {
      if (const json::string* s = string_of(value, key, v)) {
        const std::string_view text(s->data(), s->size());
        const std::size_t before = v.errors().size();
        domain::check_text(v, path(key), text, 1, k_max_query_text);
        if (v.errors().size() == before) q.text = std::string(util::trim(text));
      }
    } else if (key == "created_from") {
      q.created_from = timestamp_of(value, key, v);
    } else if (key == "created_to") {
      q.created_to = timestamp_of(value, key, v);
    } else if (key == "needs_attention") {
      if (value.is_bool())
        q.needs_attention = value.get_bool();
      else
        v.add(path(key), "must be a boolean");
    } else if (key == "sort") {
      read_sort(value, q, v);
    } else {
      v.add(path(key), "is not allowed");
    }
  }
  if (q.created_from && q.created_to && *q.created_to < *q.created_from)
    v.add("filters.created_to", "must not be before created_from");
  return q;
}

std::string export_filters_text(const OpportunityQuery& q) {
  json::object out;
  if (!q.statuses.empty()) {
    json::array statuses;
    for (auto s : q.statuses) statuses.emplace_back(domain::to_string(s));
    out["status"] = std::move(statuses);
  }
  if (q.priority) out["priority"] = domain::to_string(*q.priority);
  if (q.customer_id) out["customer_id"] = *q.customer_id;
  if (q.sales_manager_id) out["sales_manager_id"] = *q.sales_manager_id;
  if (q.text) out["query"] = *q.text;
  if (q.created_from) out["created_from"] = util::format_timestamp(*q.created_from);
  if (q.created_to) out["created_to"] = util::format_timestamp(*q.created_to);
  if (q.needs_attention) out["needs_attention"] = true;
  if (q.sort != domain::OpportunitySort::created_at || !q.descending) {
    std::string sort = q.descending ? "-" : "";
    for (const auto& s : k_sorts)
      if (s.field == q.sort) sort += s.name;
    out["sort"] = sort;
  }
  return canonical_json(out);
}

}  // namespace oms::app
