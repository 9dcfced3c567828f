#include "storage/sqlite/placeholders.hpp"

#include <cctype>

namespace oms::storage::sqlite {

std::string rewrite_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  const std::size_t n = sql.size();
  auto copy_until = [&](char close) {  // copies a quoted run including both quotes
    out += sql[i++];
    while (i < n) {
      char c = sql[i++];
      out += c;
      if (c == close) {
        if (i < n && sql[i] == close) {  // doubled quote escapes itself
          out += sql[i++];
          continue;
        }
        return;
      }
    }
  };
  while (i < n) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      copy_until(c);
    } else if (c == '[') {
      copy_until(']');
    } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') out += sql[i++];
    } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      std::size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? n : end + 2;
      out.append(sql.substr(i, end - i));
      i = end;
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '?';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

}  // namespace oms::storage::sqlite
