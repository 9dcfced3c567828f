#include "util/json_writer.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cstring>

namespace oms::util {

namespace {
// What follows the backslash for each byte that needs one ('u': \u00xx), 0 for the rest.
constexpr std::array<char, 256> k_escapes = [] {
  std::array<char, 256> e{};
  for (int c = 0; c < 0x20; ++c) e[c] = 'u';
  e['\b'] = 'b';
  e['\t'] = 't';
  e['\n'] = 'n';
  e['\f'] = 'f';
  e['\r'] = 'r';
  e['"'] = '"';
  e['\\'] = '\\';
  return e;
}();
constexpr char k_hex[] = "0123456789abcdef";

// A mark (the byte's high bit) on each of the 8 bytes in `w` that needs an escape: below 0x20, '"'
// or '\\'. The "has a byte less than n" and "has a zero byte" tests of "Bit Twiddling Hacks": a
// borrow may also mark bytes above a marked one, never below, so the lowest mark is exact.
std::uint64_t escape_marks(std::uint64_t w) {
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t x) { return (x - k_ones) & ~x & k_highs; };
  return ((w - k_ones * 0x20) & ~w & k_highs) | has_zero(w ^ (k_ones * '"')) | has_zero(w ^ (k_ones * '\\'));
}

// The position of the first byte at or after `i` that needs an escape; `n` when none does.
std::size_t next_escape(const char* p, std::size_t n, std::size_t i) {
  for (; n - i >= sizeof(std::uint64_t); i += sizeof(std::uint64_t)) {  // eight bytes at a time
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, sizeof w);
    if (const std::uint64_t marks = escape_marks(w); marks != 0) {
      if constexpr (std::endian::native == std::endian::little) return i + std::countr_zero(marks) / 8;
      break;  // the bytes one at a time from this word on
    }
  }
  for (; i < n; ++i) {
    if (k_escapes[static_cast<unsigned char>(p[i])] != 0) return i;
  }
  return n;
}
}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  const char* const p = text.data();
  const std::size_t n = text.size();
  std::size_t i = next_escape(p, n, 0);
  if (i == n) {  // most text: nothing to escape, so one append (the quotes) and one copy
    const std::size_t at = out.size();
    out.append(n + 2, '"');
    if (n != 0) std::memcpy(out.data() + at + 1, p, n);
    return;
  }
  out.reserve(out.size() + n + 8);
  out += '"';
  std::size_t plain = 0;  // start of the bytes not yet appended, none of them escaped
  while (i < n) {
    out.append(p + plain, i - plain);
    const auto byte = static_cast<unsigned char>(p[i]);
    const char e = k_escapes[byte];
    if (e == 'u') {
      const char escaped[6] = {'\\', 'u', '0', '0', k_hex[byte >> 4], k_hex[byte & 15]};
      out.append(escaped, sizeof escaped);
    } else {
      const char escaped[2] = {'\\', e};
      out.append(escaped, sizeof escaped);
    }
    plain = i + 1;
    i = next_escape(p, n, plain);
  }
  out.append(p + plain, n - plain);
  out += '"';
}

JsonWriter& JsonWriter::key(std::string_view name) {
  // [','] '"' name '"' ':' in one append: filled with quotes, then the rest written over them.
  const std::size_t at = out_.size();
  const std::size_t lead = after_value_ ? 2 : 1;
  out_.append(lead + name.size() + 2, '"');
  char* const d = out_.data() + at;
  if (after_value_) d[0] = ',';
  if (!name.empty()) std::memcpy(d + lead, name.data(), name.size());
  d[lead + name.size() + 1] = ':';
  after_value_ = false;
  return *this;
}

void JsonWriter::string(std::string_view text) {
  separate();
  append_json_string(out_, text);
  after_value_ = true;
}

void JsonWriter::optional_string(const std::optional<std::string>& text) {
  if (text)
    string(*text);
  else
    null();
}

void JsonWriter::integer(std::int64_t n) {
  separate();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out_.append(digits, end);
  after_value_ = true;
}

void JsonWriter::boolean(bool b) {
  separate();
  out_ += b ? "true" : "false";
  after_value_ = true;
}

void JsonWriter::null() {
  separate();
  out_ += "null";
  after_value_ = true;
}

void JsonWriter::open(char bracket) {
  separate();
  out_ += bracket;
  after_value_ = false;
}

void JsonWriter::close(char bracket) {
  out_ += bracket;
  after_value_ = true;
}

}  // namespace oms::util
