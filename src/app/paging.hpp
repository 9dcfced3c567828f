#pragma once
// Keyset paging steps shared by the list use cases (internal to src/app): the limit rule, cursor
// positions, and cutting the one extra row a listing fetches to learn whether a next page exists.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/context.hpp"
#include "app/cursor.hpp"

namespace oms::app::detail {

// VALIDATION_ERROR on field "limit" unless 1 <= limit <= 100.
void check_page_limit(int limit);

// A cursor key that is a sequence number or version: 1 to 18 decimal digits (fits in int64).
bool is_sequence_key(const std::string& key);

// The (name, id) position of a cursor issued by the `list_spec` listing; VALIDATION_ERROR on field
// "cursor" when it is not one or its id is not a UUID. The id comes back lower-cased.
std::pair<std::string, std::string> name_and_uuid_position(std::string_view cursor, std::string_view list_spec);

// `rows` were fetched with limit + 1: drops the extra row; true when there was one (a next page).
template <class Row>
bool trim_to_limit(std::vector<Row>& rows, int limit) {
  if (rows.size() <= static_cast<std::size_t>(limit)) return false;
  rows.resize(limit);
  return true;
}

// A page of a listing ordered by (name, id), fetched with limit + 1.
template <class T>
Page<T> page_by_name(std::vector<T> rows, int limit, std::string_view list_spec) {
  Page<T> page;
  if (trim_to_limit(rows, limit)) page.next_cursor = encode_cursor({rows.back().name, rows.back().id}, list_spec);
  page.items = std::move(rows);
  return page;
}

// A page of a history ordered by (version, id): rows of (record, version), fetched with limit + 1.
template <class Record>
Page<Record> page_by_version(std::vector<std::pair<Record, std::int64_t>> rows, int limit, std::string_view spec) {
  Page<Record> page;
  if (trim_to_limit(rows, limit))
    page.next_cursor = encode_cursor({std::to_string(rows.back().second), rows.back().first.id}, spec);
  for (auto& r : rows) page.items.push_back(std::move(r.first));
  return page;
}

}  // namespace oms::app::detail
