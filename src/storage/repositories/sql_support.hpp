#pragma once
// Small helpers shared by the repositories: building SQL with numbered parameters, reading
// enums and JSON arrays out of rows.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace oms::storage {

// Appends parameters and hands back their placeholders ($1, $2, ...), so dynamic SQL (filters,
// keyset pagination) stays readable and injection-free.
class SqlBuilder {
 public:
  std::string bind(Param p) {
    params_.push_back(std::move(p));
    return "$" + std::to_string(params_.size());
  }
  SqlBuilder& operator<<(std::string_view text) {
    sql_.append(text);
    return *this;
  }
  const std::string& sql() const noexcept { return sql_; }
  Params& params() noexcept { return params_; }

 private:
  std::string sql_;
  Params params_;
};

// A database value that must be one of an enum's wire names; anything else is corrupt data.
template <class E>
E enum_column(const Row& row, std::size_t i) {
  auto v = domain::parse_enum<E>(row.str(i));
  if (!v) throw DatabaseError("unexpected enum value in column " + std::to_string(i) + ": " + row.str(i));
  return *v;
}
template <class E>
std::optional<E> opt_enum_column(const Row& row, std::size_t i) {
  if (row.is_null(i)) return std::nullopt;
  return enum_column<E>(row, i);
}

std::string json_string_array(const std::vector<std::string>& values);
std::vector<std::string> parse_json_string_array(std::string_view json);

// LIKE pattern for a case-insensitive substring match: lower-cased, with % _ \ escaped (use
// ESCAPE '\').
std::string like_contains_pattern(std::string_view text);

}  // namespace oms::storage
