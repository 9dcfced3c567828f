#include "http/target.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/parse_path.hpp>
#include <boost/url/url_view.hpp>

namespace oms::http {
namespace {

namespace urls = boost::urls;

// Characters RFC 3986 does not allow in a target but that browsers send unescaped (the WHATWG
// URL standard leaves them as typed), and bytes of UTF-8 text. The old decoder accepted them, so
// they are escaped before Boost.URL's strict grammar reads the target; '%' is left alone, so a
// malformed escape is still refused.
bool is_tolerated_raw(unsigned char c) noexcept {
  switch (c) {
    case '[':
    case ']':
    case '{':
    case '}':
    case '|':
    case '^':
    case '`':
    case '\\':
    case '"':
    case '<':
    case '>':
      return true;
    default:
      return c >= 0x80;
  }
}

// `text`, or when it holds tolerated characters, `text` with them escaped into `storage`.
std::string_view escape_tolerated(std::string_view text, std::string& storage) {
  if (std::none_of(text.begin(), text.end(), [](char c) { return is_tolerated_raw(static_cast<unsigned char>(c)); }))
    return text;  // the common case: nothing to escape, nothing to copy
  constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string& out = storage;
  out.clear();
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_tolerated_raw(c)) {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 0x0F];
    } else {
      out += ch;
    }
  }
  return out;
}

std::vector<std::string> decoded(const urls::segments_encoded_view& segments) {
  std::vector<std::string> out;
  out.reserve(segments.size());
  for (const urls::pct_string_view segment : segments) out.push_back(segment.decode());
  return out;
}

}  // namespace

bool parse_target(std::string_view target, Request& request) {
  std::string storage;
  const std::string_view escaped = escape_tolerated(target, storage);
  const auto url = urls::parse_origin_form(escaped);
  if (!url) return false;
  request.path = url->path();
  request.segments = decoded(url->encoded_segments());
  request.query.clear();
  for (const auto& param : url->params()) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    request.query.emplace_back(param.key, param.value);
  }
  return true;
}

std::optional<std::vector<std::string>> path_segments(std::string_view raw_path) {
  std::string storage;
  const std::string_view escaped = escape_tolerated(raw_path, storage);
  if (escaped.empty() || escaped.front() != '/') return std::nullopt;
  const auto path = urls::parse_path(escaped);
  if (!path) return std::nullopt;
  return decoded(*path);
}

}  // namespace oms::http
