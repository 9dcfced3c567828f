#include "util/csv.hpp"

namespace oms::util {
namespace {

bool starts_a_formula(std::string_view field) {
  if (field.empty()) return false;
  const char c = field.front();
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

void append_csv_field(std::string& out, std::string_view field) {
  const bool neutralise = starts_a_formula(field);
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    if (neutralise) out += '\'';
    out.append(field);
    return;
  }
  out += '"';
  if (neutralise) out += '\'';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_record(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, fields[i]);
  }
  out += "\r\n";
}

}  // namespace oms::util
