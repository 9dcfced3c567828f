#include "util/json_writer.hpp"

#include <array>
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

// Whether any of the 8 bytes in `w` needs an escape: below 0x20, '"' or '\\'. The "has a byte less
// than n" and "has a zero byte" tests of "Bit Twiddling Hacks": exact as a yes/no for the word.
bool needs_escape(std::uint64_t w) {
  constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
  constexpr std::uint64_t k_highs = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t x) { return (x - k_ones) & ~x & k_highs; };
  return (((w - k_ones * 0x20) & ~w & k_highs) | has_zero(w ^ (k_ones * '"')) | has_zero(w ^ (k_ones * '\\'))) != 0;
}
}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  const char* const p = text.data();
  const std::size_t n = text.size();
  std::size_t plain = 0;  // start of the bytes not yet appended, none of them escaped
  std::size_t i = 0;
  while (i < n) {
    if (n - i >= sizeof(std::uint64_t)) {  // eight bytes at a time while none needs an escape
      std::uint64_t w = 0;
      std::memcpy(&w, p + i, sizeof w);
      if (!needs_escape(w)) {
        i += sizeof w;
        continue;
      }
    }
    const char e = k_escapes[static_cast<unsigned char>(p[i])];
    if (e != 0) {
      out.append(p + plain, i - plain);
      plain = i + 1;
      out += '\\';
      out += e;
      if (e == 'u') {
        const auto byte = static_cast<unsigned char>(p[i]);
        out += "00";
        out += k_hex[byte >> 4];
        out += k_hex[byte & 15];
      }
    }
    ++i;
  }
  out.append(p + plain, n - plain);
  out += '"';
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  out_ += '"';
  out_ += name;
  out_ += "\":";
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
