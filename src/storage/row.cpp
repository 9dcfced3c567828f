// Row's typed accessors. Values arrive as text from both engines; these accept both
// dialects' spellings (PostgreSQL 't'/'f', SQLite 1/0; "YYYY-MM-DD HH:MM:SS+00" and RFC 3339).
#include <algorithm>
#include <charconv>
#include <string>

#include "storage/database.hpp"
#include "util/time.hpp"

namespace oms::storage {
namespace {

const std::string& required(const std::optional<std::string>& v, std::size_t i) {
  if (!v) throw DatabaseError("column " + std::to_string(i) + " is NULL where a value was expected");
  return *v;
}

}  // namespace

std::string Row::str(std::size_t i) const { return values_.at(i).value_or(std::string{}); }

std::int64_t Row::i64(std::size_t i) const {
  const std::string& s = required(values_.at(i), i);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    throw DatabaseError("column " + std::to_string(i) + " is not an integer: '" + s + "'");
  }
  return out;
}

bool Row::boolean(std::size_t i) const {
  const std::string& s = required(values_.at(i), i);
  if (s == "t" || s == "true" || s == "1") return true;
  if (s == "f" || s == "false" || s == "0") return false;
  throw DatabaseError("column " + std::to_string(i) + " is not a boolean: '" + s + "'");
}

domain::Timestamp Row::timestamp(std::size_t i) const {
  const std::string& s = required(values_.at(i), i);
  if (auto t = util::parse_timestamp(s)) return *t;
  throw DatabaseError("column " + std::to_string(i) + " is not a timestamp: '" + s + "'");
}

std::optional<domain::Timestamp> Row::opt_timestamp(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return timestamp(i);
}

domain::Date Row::date(std::size_t i) const {
  const std::string& s = required(values_.at(i), i);
  if (auto d = util::parse_date(s)) return *d;
  throw DatabaseError("column " + std::to_string(i) + " is not a date: '" + s + "'");
}

std::size_t Row::index(std::string_view column) const {
  if (columns_ != nullptr) {
    auto it = std::find(columns_->begin(), columns_->end(), column);
    if (it != columns_->end()) return static_cast<std::size_t>(it - columns_->begin());
  }
  throw DatabaseError("result has no column named '" + std::string(column) + "'");
}

}  // namespace oms::storage
