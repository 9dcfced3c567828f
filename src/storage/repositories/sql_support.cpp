#include "storage/repositories/sql_support.hpp"

#include <boost/json.hpp>

#include "util/encoding.hpp"

namespace oms::storage {

std::string json_string_array(const std::vector<std::string>& values) {
  boost::json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return boost::json::serialize(a);
}

std::vector<std::string> parse_json_string_array(std::string_view json) {
  std::vector<std::string> out;
  boost::json::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) throw DatabaseError("expected a JSON array of strings");
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) throw DatabaseError("expected a JSON array of strings");
    out.emplace_back(e.as_string().c_str(), e.as_string().size());
  }
  return out;
}

std::string like_contains_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : util::to_lower_ascii(text)) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

}  // namespace oms::storage
