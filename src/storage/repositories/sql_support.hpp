#pragma once
// Small helpers shared by the repositories: building SQL with numbered parameters, reading
// enums and JSON arrays out of rows.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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
    std::string placeholder(1, '$');  // not "$" + to_string(): g++ 12 -O3 -Wrestrict, GCC bug 105329
    placeholder += std::to_string(params_.size());
    return placeholder;
  }
  SqlBuilder& operator<<(std::string_view text) {
    sql_.append(text);
    return *this;
  }
  // Binds a (name, id) keyset cursor and writes the condition for the rows after it, ordered by
  // name, id: "(name > $n OR (name = $n AND id > $m))".
  SqlBuilder& after_name_and_id(const std::pair<std::string, std::string>& after) {
    std::string n = bind(after.first);
    std::string id = bind(after.second);
    return *this << "(name > " << n << " OR (name = " << n << " AND id > " << id << "))";
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

// Every row of a result, mapped by read_row.
template <class ReadRow>
auto read_rows(const Result& result, ReadRow read_row) {
  std::vector<decltype(read_row(result.rows.front()))> out;
  out.reserve(result.rows.size());
  for (const Row& row : result.rows) out.push_back(read_row(row));
  return out;
}

std::string json_string_array(const std::vector<std::string>& values);
std::vector<std::string> parse_json_string_array(std::string_view json);

// LIKE pattern for a case-insensitive substring match: lower-cased, with % _ \ escaped (use
// ESCAPE '\').
std::string like_contains_pattern(std::string_view text);

}  // namespace oms::storage
