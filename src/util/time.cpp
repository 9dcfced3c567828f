#include "util/time.hpp"

#include <cstdint>
#include <cstdio>

namespace oms::util {
namespace {

using namespace std::chrono;

// Reads exactly `n` ASCII digits at text[pos]; advances pos.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t n) noexcept {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

// Writes the `n` low decimal digits of `v`, zero-padded; returns the end.
char* put_digits(char* p, std::uint32_t v, int n) noexcept {
  for (int i = n - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + n;
}

constexpr std::size_t k_timestamp_length = 27;  // 2026-11-25T17:59:40.123456Z

bool expect(std::string_view text, std::size_t& pos, char c) noexcept {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

// "YYYY-MM-DD" at text[pos], a valid calendar date.
std::optional<Date> read_date(std::string_view text, std::size_t& pos) noexcept {
  const auto y = digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  const auto m = digits(text, pos, 2);
  if (!m || !expect(text, pos, '-')) return std::nullopt;
  const auto d = digits(text, pos, 2);
  if (!d) return std::nullopt;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

}  // namespace

std::string format_timestamp(Timestamp t) {
  const auto day_point = floor<days>(t);
  const year_month_day ymd{day_point};
  const hh_mm_ss hms{t - day_point};
  const int y = static_cast<int>(ymd.year());
  const auto hh = static_cast<unsigned>(hms.hours().count());
  const auto mm = static_cast<unsigned>(hms.minutes().count());
  const auto ss = static_cast<unsigned>(hms.seconds().count());
  const auto micros = static_cast<std::uint32_t>(hms.subseconds().count());
  if (y < 0 || y > 9999) {
    // Never written by oms (parse_timestamp refuses such years): kept readable, off the fast path.
    char buf[128];  // room for every field at its widest type (-Wformat-truncation)
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%06uZ", y, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), hh, mm, ss, static_cast<unsigned>(micros));
    return buf;
  }
  // By hand: snprintf was 6 % of a list page's CPU (a page of 20 writes ~60 timestamps).
  std::string out(k_timestamp_length, 'Z');
  char* p = out.data();
  p = put_digits(p, static_cast<std::uint32_t>(y), 4);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  p = put_digits(p, static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  p = put_digits(p, hh, 2);
  *p++ = ':';
  p = put_digits(p, mm, 2);
  *p++ = ':';
  p = put_digits(p, ss, 2);
  *p++ = '.';
  put_digits(p, micros, 6);  // the 'Z' is already last
  return out;
}

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  std::size_t pos = 0;
  const auto date = read_date(text, pos);
  if (!date || pos >= text.size()) return std::nullopt;
  const char sep = text[pos++];
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  const auto hh = digits(text, pos, 2);
  if (!hh || !expect(text, pos, ':')) return std::nullopt;
  const auto mm = digits(text, pos, 2);
  if (!mm || !expect(text, pos, ':')) return std::nullopt;
  const auto ss = digits(text, pos, 2);
  if (!ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;

  // Fraction: 1..9 digits, kept to microseconds (extra digits are truncated).
  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (text[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0 || n > 9) return std::nullopt;
    for (std::size_t i = n; i < 6; ++i) micros *= 10;
  }

  if (pos >= text.size()) return std::nullopt;  // an offset is mandatory
  minutes offset{0};
  const char z = text[pos];
  if (z == 'Z' || z == 'z') {
    ++pos;
  } else if (z == '+' || z == '-') {
    ++pos;
    const auto oh = digits(text, pos, 2);
    if (!oh || *oh > 23) return std::nullopt;
    int om = 0;
    if (pos < text.size()) {
      if (!expect(text, pos, ':')) return std::nullopt;
      const auto m = digits(text, pos, 2);
      if (!m || *m > 59) return std::nullopt;
      om = *m;
    }
    offset = hours{*oh} + minutes{om};
    if (z == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  const auto local = *date + hours{*hh} + minutes{*mm} + seconds{*ss} + microseconds{micros};
  const auto utc = local - offset;
  // An offset can carry a time out of years 0000..9999, which format_timestamp could not write
  // back in four digits (found by tests/fuzz/cursor_fuzz: 0000-01-01T00:30+01:00 -> "-001-12-31...").
  const year utc_year = year_month_day{floor<days>(utc)}.year();
  if (utc_year < year{0} || utc_year > year{9999}) return std::nullopt;
  return Timestamp{utc};
}

std::string format_date(Date d) {
  const year_month_day ymd{d};
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) {
    char buf[48];  // widest types, as above
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
  }
  std::string out(10, '-');
  char* p = put_digits(out.data(), static_cast<std::uint32_t>(y), 4);
  p = put_digits(p + 1, static_cast<unsigned>(ymd.month()), 2);
  put_digits(p + 1, static_cast<unsigned>(ymd.day()), 2);
  return out;
}

std::optional<Date> parse_date(std::string_view text) {
  std::size_t pos = 0;
  const auto date = read_date(text, pos);
  if (!date || pos != text.size()) return std::nullopt;
  return date;
}

}  // namespace oms::util
