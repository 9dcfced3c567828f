#include "util/utf8.hpp"

#include <cstdint>

namespace oms::util {
namespace {

// Decodes one code point at text[i] of already-valid UTF-8; returns its length in bytes.
std::size_t decode(std::string_view text, std::size_t i, char32_t& cp) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
  cp = b0 & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len && i + k < text.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  return len;
}

// Unicode White_Space property.
bool is_space(char32_t cp) noexcept {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool is_continuation(unsigned char b) noexcept { return (b & 0xC0) == 0x80; }

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      min = 0x10000;
    } else {
      return false;  // continuation byte first, C0/C1 overlong leads, F5..FF
    }
    if (i + len > n) return false;
    char32_t cp = b0 & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if (!is_continuation(b)) return false;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    // The shortest valid prefix is the sequence the lead byte announces.
    std::size_t len = 1;
    while (len <= 4 && i + len <= text.size() && !is_valid_utf8(text.substr(i, len))) ++len;
    if (len <= 4 && i + len <= text.size()) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    }
  }
  return out;
}

std::size_t code_points(std::string_view valid_utf8) noexcept {
  std::size_t count = 0;
  for (char c : valid_utf8)
    if (!is_continuation(static_cast<unsigned char>(c))) ++count;
  return count;
}

std::string_view trim(std::string_view valid_utf8) noexcept {
  std::size_t begin = 0;
  while (begin < valid_utf8.size()) {
    char32_t cp = 0;
    const std::size_t len = decode(valid_utf8, begin, cp);
    if (!is_space(cp)) break;
    begin += len;
  }
  std::size_t end = valid_utf8.size();
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && is_continuation(static_cast<unsigned char>(valid_utf8[start]))) --start;
    char32_t cp = 0;
    decode(valid_utf8, start, cp);
    if (!is_space(cp)) break;
    end = start;
  }
  return valid_utf8.substr(begin, end - begin);
}

void append_utf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace oms::util
