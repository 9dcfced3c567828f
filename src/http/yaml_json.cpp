#include "http/yaml_json.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace oms::http {
namespace {

namespace json = boost::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_seq_item(std::string_view c) { return c == "-" || c.starts_with("- "); }

// Plain scalars are typed by the YAML 1.2 core schema.
json::value resolve_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  static const std::regex k_int("[-+]?[0-9]+");
  static const std::regex k_float("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  const std::string text(s);
  if (std::regex_match(text, k_int)) {
    std::int64_t v = 0;
    const char* b = text.data() + (text[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(b, text.data() + text.size(), v);
    if (ec == std::errc() && p == text.data() + text.size()) return v;
  }
  if (std::regex_match(text, k_float)) {
    double d = std::strtod(text.c_str(), nullptr);
    if (std::isfinite(d)) return d;
  }
  return json::string(text);
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string line(text.substr(start, end - start));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      lines_.push_back(std::move(line));
      start = end + 1;
    }
  }

  json::value document() {
    skip_blank();
    if (!eof() && (content(pos_).starts_with("%"))) fail(pos_, "directives are not supported");
    if (!eof() && trim(lines_[pos_]) == "---") ++pos_;
    json::value v = block(0);
    skip_blank();
    if (!eof() && trim(lines_[pos_]) == "...") {
      ++pos_;
      skip_blank();
    }
    if (!eof()) fail(pos_, "unexpected content (bad indentation or a second document)");
    return v;
  }

 private:
  std::vector<std::string> lines_;
  std::size_t pos_ = 0;

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw YamlError("YAML line " + std::to_string(line + 1) + ": " + what);
  }
  bool eof() const { return pos_ >= lines_.size(); }

  int indent(std::size_t i) const {
    const auto& l = lines_[i];
    std::size_t n = 0;
    while (n < l.size() && l[n] == ' ') ++n;
    if (n < l.size() && l[n] == '\t') fail(i, "tabs are not allowed for indentation");
    return static_cast<int>(n);
  }
  static bool whitespace_only(std::string_view l) { return trim(l).empty(); }
  bool blank(std::size_t i) const {
    auto t = trim(lines_[i]);
    return t.empty() || t.front() == '#';
  }
  void skip_blank() {
    while (!eof() && blank(pos_)) ++pos_;
  }

  // Cuts a trailing comment: '#' after white space, outside quoted scalars (a quote opens a
  // scalar only where a token starts, so apostrophes inside plain text do not count).
  static std::string_view strip_comment(std::string_view s) {
    char quote = 0;
    char prev_token = ' ';  // last non-space character seen
    for (std::size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      if (quote != 0) {
        if (quote == '"' && ch == '\\') {
          ++i;
        } else if (ch == quote) {
          if (quote == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
            ++i;
          } else {
            quote = 0;
          }
        }
        continue;
      }
      if ((ch == '"' || ch == '\'') &&
          (i == 0 || std::string_view(":-[{,?").find(prev_token) != std::string_view::npos) &&
          (i == 0 || s[i - 1] == ' ' || s[i - 1] == '[' || s[i - 1] == '{' || s[i - 1] == ',')) {
        quote = ch;
        continue;
      }
      if (ch == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) return s.substr(0, i);
      if (ch != ' ') prev_token = ch;
    }
    return s;
  }
  std::string_view content(std::size_t i) const {
    std::string_view l = lines_[i];
    l.remove_prefix(std::min<std::size_t>(static_cast<std::size_t>(indent(i)), l.size()));
    return trim(strip_comment(l));
  }

  // Index of the ':' ending a mapping key in `c`, or npos.
  std::size_t key_colon(std::string_view c, std::size_t line) const {
    if (c.empty() || c.front() == '[' || c.front() == '{' || starts_seq_item(c)) return std::string_view::npos;
    std::size_t i = 0;
    if (c.front() == '"' || c.front() == '\'') {
      i = quoted_end(c, 0, line);
      while (i < c.size() && c[i] == ' ') ++i;
      if (i < c.size() && c[i] == ':' && (i + 1 == c.size() || c[i + 1] == ' ')) return i;
      return std::string_view::npos;
    }
    for (; i < c.size(); ++i)
      if (c[i] == ':' && (i + 1 == c.size() || c[i + 1] == ' ')) return i;
    return std::string_view::npos;
  }

  // Position after the closing quote of the quoted scalar starting at `start`.
  std::size_t quoted_end(std::string_view c, std::size_t start, std::size_t line) const {
    const char q = c[start];
    for (std::size_t i = start + 1; i < c.size(); ++i) {
      if (q == '"' && c[i] == '\\') {
        ++i;
      } else if (c[i] == q) {
        if (q == '\'' && i + 1 < c.size() && c[i + 1] == '\'') {
          ++i;
        } else {
          return i + 1;
        }
      }
    }
    fail(line, "unterminated quoted scalar");
  }

  std::string unquote(std::string_view q, std::size_t line) const {
    std::string out;
    const char quote = q.front();
    std::string_view body = q.substr(1, q.size() - 2);
    for (std::size_t i = 0; i < body.size(); ++i) {
      char ch = body[i];
      if (quote == '\'') {
        out += ch;
        if (ch == '\'') ++i;  // '' is one quote
        continue;
      }
      if (ch != '\\') {
        out += ch;
        continue;
      }
      if (++i >= body.size()) fail(line, "bad escape at the end of a string");
      char e = body[i];
      auto hex = [&](std::size_t n) {
        if (i + n >= body.size()) fail(line, "short escape");
        std::uint32_t cp = 0;
        auto digits = body.substr(i + 1, n);
        auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, 16);
        if (ec != std::errc() || p != digits.data() + digits.size() || digits.size() != n) fail(line, "bad hex escape");
        i += n;
        append_utf8(out, cp);
      };
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
        case '\t':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'v':
          out += '\v';
          break;
        case 'a':
          out += '\a';
          break;
        case 'e':
          out += '\x1b';
          break;
        case '0':
          out += '\0';
          break;
        case ' ':
          out += ' ';
          break;
        case '"':
          out += '"';
          break;
        case '/':
          out += '/';
          break;
        case '\\':
          out += '\\';
          break;
        case 'x':
          hex(2);
          break;
        case 'u':
          hex(4);
          break;
        case 'U':
          hex(8);
          break;
        case '\n':
          break;  // escaped line break (joined lines)
        default:
          fail(line, std::string("unknown escape \\") + e);
      }
    }
    return out;
  }

  // A node in block context whose first line is at pos_ with indentation >= min_indent.
  json::value block(int min_indent) {
    skip_blank();
    if (eof()) return nullptr;
    const int n = indent(pos_);
    if (n < min_indent) return nullptr;
    std::string_view c = content(pos_);
    if (starts_seq_item(c)) return sequence(n);
    if (key_colon(c, pos_) != std::string_view::npos) return mapping(n);
    const std::string first(c);
    ++pos_;
    return inline_value(first, n - 1, pos_ - 1);
  }

  json::value mapping(int n) {
    json::object obj;
    for (;;) {
      skip_blank();
      if (eof()) break;
      const int m = indent(pos_);
      if (m < n) break;
      if (m > n) fail(pos_, "bad indentation of a mapping entry");
      std::string_view c = content(pos_);
      if (starts_seq_item(c)) break;
      if (c == "..." || c == "---") break;
      const std::size_t line = pos_;
      const std::size_t colon = key_colon(c, line);
      if (colon == std::string_view::npos) fail(line, "expected \"key: value\"");
      std::string_view raw_key = trim(c.substr(0, colon));
      if (raw_key.starts_with("? ")) fail(line, "complex keys are not supported");
      std::string key =
          (raw_key.front() == '"' || raw_key.front() == '\'') ? unquote(raw_key, line) : std::string(raw_key);
      const std::string rest(trim(c.substr(colon + 1)));
      ++pos_;
      json::value v = after_indicator(rest, n, true, line);
      if (obj.contains(key)) fail(line, "duplicate key \"" + key + "\"");
      obj.emplace(key, std::move(v));
    }
    return obj;
  }

  json::value sequence(int n) {
    json::array arr;
    for (;;) {
      skip_blank();
      if (eof()) break;
      const int m = indent(pos_);
      if (m < n) break;
      if (m > n) fail(pos_, "bad indentation of a sequence entry");
      std::string_view c = content(pos_);
      if (!starts_seq_item(c)) break;
      const std::size_t line = pos_;
      if (c == "-") {
        ++pos_;
        arr.push_back(after_indicator("", n, false, line));
        continue;
      }
      // Turn "- item" into "  item" so the item is parsed as a node at its own column; its
      // following lines (e.g. the other keys of a mapping item) line up with it.
      lines_[pos_][static_cast<std::size_t>(n)] = ' ';
      const int k = indent(pos_);
      std::string_view item = content(pos_);
      if (item.front() == '|' || item.front() == '>') {
        const std::string header(item);
        ++pos_;
        arr.push_back(block_scalar(header, n, line));
      } else if (starts_seq_item(item) || key_colon(item, pos_) != std::string_view::npos) {
        arr.push_back(block(k));
      } else {
        const std::string text(item);
        ++pos_;
        arr.push_back(inline_value(text, n, line));
      }
    }
    return arr;
  }

  // The value after "key:" or "-": on the same line (`rest`), or a nested block below.
  json::value after_indicator(const std::string& rest, int n, bool in_mapping, std::size_t line) {
    if (rest.empty()) {
      skip_blank();
      if (eof()) return nullptr;
      const int m = indent(pos_);
      if (m > n) return block(m);
      // YAML lets a mapping's sequence value sit at the key's own indentation.
      if (in_mapping && m == n && starts_seq_item(content(pos_))) return sequence(n);
      return nullptr;
    }
    const char f = rest.front();
    if (f == '&' || f == '*' || f == '!') fail(line, "anchors, aliases and tags are not supported");
    if (f == '|' || f == '>') return block_scalar(rest, n, line);
    return inline_value(rest, n, line);
  }

  // A scalar or flow collection starting with `text`; may continue on lines indented more than n.
  json::value inline_value(const std::string& text, int n, std::size_t line) {
    const char f = text.front();
    if (f == '[' || f == '{') {
      std::string all = text;
      while (!flow_balanced(all, line)) {
        if (eof()) fail(line, "unterminated flow collection");
        all += ' ';
        all += std::string(content(pos_));
        ++pos_;
      }
      std::size_t i = 0;
      json::value v = flow(all, i, line);
      skip_ws(all, i);
      if (i != all.size()) fail(line, "unexpected text after a flow collection");
      return v;
    }
    if (f == '"' || f == '\'') {
      std::string all = text;
      // A quoted scalar may span lines: line breaks fold to spaces, empty lines to '\n'.
      while (!quote_closed(all)) {
        if (eof()) fail(line, "unterminated quoted scalar");
        std::string_view next = trim(lines_[pos_]);
        ++pos_;
        if (next.empty()) {
          all += '\n';
        } else if (!all.empty() && all.back() == '\\' && f == '"') {
          all.pop_back();
          all += next;
        } else {
          if (all.back() != '\n') all += ' ';
          all += next;
        }
      }
      const std::size_t end = quoted_end(all, 0, line);
      if (!trim(std::string_view(all).substr(end)).empty()) fail(line, "unexpected text after a quoted scalar");
      return json::string(unquote(std::string_view(all).substr(0, end), line));
    }
    // A plain scalar, possibly continued on more indented lines (folded with spaces).
    std::string all = text;
    bool multi = false;
    std::size_t empties = 0;
    while (!eof()) {
      if (whitespace_only(lines_[pos_])) {
        ++empties;
        ++pos_;
        continue;
      }
      if (blank(pos_) || indent(pos_) <= n) break;
      std::string_view next = content(pos_);
      if (empties > 0) {
        all.append(empties, '\n');
      } else {
        all += ' ';
      }
      empties = 0;
      all += next;
      multi = true;
      ++pos_;
    }
    if (multi) return json::string(all);
    return resolve_plain(trim(all));
  }

  bool quote_closed(const std::string& s) const {
    const char q = s.front();
    for (std::size_t i = 1; i < s.size(); ++i) {
      if (q == '"' && s[i] == '\\') {
        ++i;
      } else if (s[i] == q) {
        if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
          ++i;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  bool flow_balanced(const std::string& s, std::size_t line) const {
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      char ch = s[i];
      if ((ch == '"' || ch == '\'') && (i == 0 || std::string_view("[{, :").find(s[i - 1]) != std::string_view::npos)) {
        if (!quote_closed(s.substr(i))) return false;
        i = quoted_end(s, i, line) - 1;
      } else if (ch == '[' || ch == '{') {
        ++depth;
      } else if (ch == ']' || ch == '}') {
        --depth;
      }
    }
    return depth <= 0;
  }

  static void skip_ws(const std::string& s, std::size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }

  json::value flow(const std::string& s, std::size_t& i, std::size_t line) {
    skip_ws(s, i);
    if (i >= s.size()) fail(line, "missing value in a flow collection");
    if (s[i] == '[') {
      ++i;
      json::array arr;
      for (;;) {
        skip_ws(s, i);
        if (i < s.size() && s[i] == ']') {
          ++i;
          return arr;
        }
        arr.push_back(flow(s, i, line));
        skip_ws(s, i);
        if (i < s.size() && s[i] == ',') {
          ++i;
        } else if (i < s.size() && s[i] == ']') {
          ++i;
          return arr;
        } else {
          fail(line, "expected ',' or ']' in a flow sequence");
        }
      }
    }
    if (s[i] == '{') {
      ++i;
      json::object obj;
      for (;;) {
        skip_ws(s, i);
        if (i < s.size() && s[i] == '}') {
          ++i;
          return obj;
        }
        json::value k = flow_scalar(s, i, line, true);
        std::string key = k.is_string() ? std::string(k.as_string()) : json::serialize(k);
        skip_ws(s, i);
        json::value v = nullptr;
        if (i < s.size() && s[i] == ':') {
          ++i;
          skip_ws(s, i);
          if (i < s.size() && s[i] != ',' && s[i] != '}') v = flow(s, i, line);
        }
        if (obj.contains(key)) fail(line, "duplicate key \"" + key + "\"");
        obj.emplace(key, std::move(v));
        skip_ws(s, i);
        if (i < s.size() && s[i] == ',') {
          ++i;
        } else if (i < s.size() && s[i] == '}') {
          ++i;
          return obj;
        } else {
          fail(line, "expected ',' or '}' in a flow mapping");
        }
      }
    }
    return flow_scalar(s, i, line, false);
  }

  json::value flow_scalar(const std::string& s, std::size_t& i, std::size_t line, bool is_key) {
    if (s[i] == '"' || s[i] == '\'') {
      const std::size_t end = quoted_end(s, i, line);
      std::string text = unquote(std::string_view(s).substr(i, end - i), line);
      i = end;
      return json::string(text);
    }
    if (s[i] == '&' || s[i] == '*' || s[i] == '!') fail(line, "anchors, aliases and tags are not supported");
    const std::size_t start = i;
    while (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != '}' &&
           !(s[i] == ':' && (i + 1 == s.size() || s[i + 1] == ' ' || (is_key && s[i + 1] != '/')))) {
      if (s[i] == '[' || s[i] == '{') fail(line, "unexpected bracket in a flow scalar");
      ++i;
    }
    std::string_view text = trim(std::string_view(s).substr(start, i - start));
    if (is_key) return json::string(text);
    return resolve_plain(text);
  }

  // `|` or `>` with optional chomping (+/-) and indentation (1-9) indicators.
  json::value block_scalar(const std::string& header, int n, std::size_t line) {
    const bool folded = header.front() == '>';
    char chomp = 'c';
    int explicit_indent = 0;
    for (std::size_t i = 1; i < header.size(); ++i) {
      char ch = header[i];
      if (ch == '-' || ch == '+') {
        chomp = ch;
      } else if (ch >= '1' && ch <= '9') {
        explicit_indent = ch - '0';
      } else if (ch == ' ') {
        break;
      } else {
        fail(line, "bad block scalar header \"" + header + "\"");
      }
    }
    int block_indent = explicit_indent > 0 ? n + explicit_indent : -1;
    if (block_indent < 0) {
      for (std::size_t j = pos_; j < lines_.size(); ++j) {
        if (whitespace_only(lines_[j])) continue;
        block_indent = indent(j);
        break;
      }
      if (block_indent <= n) block_indent = -1;  // empty block scalar
    }
    std::vector<std::string> body;
    while (!eof() && block_indent > 0) {
      const std::string& raw = lines_[pos_];
      if (whitespace_only(raw)) {
        body.emplace_back(raw.size() > static_cast<std::size_t>(block_indent) ? raw.substr(block_indent) : "");
        ++pos_;
        continue;
      }
      if (indent(pos_) < block_indent) break;
      body.push_back(raw.substr(static_cast<std::size_t>(block_indent)));
      ++pos_;
    }
    std::size_t trailing = 0;
    while (!body.empty() && trim(body.back()).empty()) {
      body.pop_back();
      ++trailing;
    }
    std::string out;
    if (!folded) {
      for (std::size_t j = 0; j < body.size(); ++j) {
        if (j > 0) out += '\n';
        out += body[j];
      }
    } else {
      std::size_t empties = 0;
      bool prev_more = false;
      for (std::size_t j = 0; j < body.size(); ++j) {
        const std::string& l = body[j];
        const bool more = !l.empty() && (l.front() == ' ' || l.front() == '\t');
        if (j == 0) {
          out = l;
          prev_more = more;
          continue;
        }
        if (trim(l).empty()) {
          out += '\n';
          ++empties;
          continue;
        }
        if (empties == 0) {
          out += (prev_more || more) ? '\n' : ' ';
        } else if (prev_more || more) {
          out += '\n';
        }
        out += l;
        empties = 0;
        prev_more = more;
      }
    }
    if (!body.empty() && chomp != '-') out += '\n';
    if (chomp == '+') out.append(trailing, '\n');
    return json::string(out);
  }
};

}  // namespace

boost::json::value yaml_to_json(std::string_view yaml) { return Parser(yaml).document(); }

}  // namespace oms::http
