#pragma once
// Opaque keyset cursors: base64url of {"k": last sort value, "id": last id, "s": sort spec}.
// A cursor only works for the listing (sort spec) that issued it.
#include <string>
#include <string_view>

namespace oms::app {

struct Cursor {
  std::string key;  // the sort column's value of the last row returned
  std::string id;   // the last row's id (tie breaker)
};

std::string encode_cursor(const Cursor& c, std::string_view sort_spec);
// Throws VALIDATION_ERROR on field "cursor" for garbage or a cursor of another sort spec.
Cursor decode_cursor(std::string_view text, std::string_view sort_spec);
[[noreturn]] void throw_bad_cursor();

}  // namespace oms::app
