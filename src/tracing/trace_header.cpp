#include "tracing/trace_header.hpp"

#include <algorithm>
#include <cstdint>

#include "util/encoding.hpp"
#include "util/id_random.hpp"

namespace oms::tracing {
namespace {

bool is_lower_hex(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool all_zero(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == '0'; });
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool is_xray_trace_id(std::string_view id) noexcept {
  return id.size() == 35 && id.substr(0, 2) == "1-" && id[10] == '-' && is_lower_hex(id.substr(2, 8)) &&
         is_lower_hex(id.substr(11)) && !(all_zero(id.substr(2, 8)) && all_zero(id.substr(11)));
}

bool is_span_id(std::string_view id) noexcept { return id.size() == 16 && is_lower_hex(id) && !all_zero(id); }

std::string xray_to_w3c(std::string_view xray_trace_id) {
  if (!is_xray_trace_id(xray_trace_id)) return {};
  return std::string(xray_trace_id.substr(2, 8)) + std::string(xray_trace_id.substr(11));
}

std::string w3c_to_xray(std::string_view w3c_trace_id) {
  if (w3c_trace_id.size() != 32 || !is_lower_hex(w3c_trace_id) || all_zero(w3c_trace_id)) return {};
  return "1-" + std::string(w3c_trace_id.substr(0, 8)) + "-" + std::string(w3c_trace_id.substr(8));
}

std::optional<TraceContext> parse_amzn_trace_id(std::string_view header) {
  TraceContext out;
  while (!header.empty()) {
    const auto semi = header.find(';');
    const std::string_view part = trim(header.substr(0, semi));
    const auto eq = part.find('=');
    if (eq != std::string_view::npos) {
      const std::string_view key = part.substr(0, eq);
      const std::string key_lower = util::to_lower_ascii(key);
      const std::string value = util::to_lower_ascii(part.substr(eq + 1));
      if (key_lower == "root") {
        if (!is_xray_trace_id(value)) return std::nullopt;
        out.trace_id = value;
      } else if (key_lower == "parent") {
        if (is_span_id(value)) out.parent_id = value;
      } else if (key_lower == "sampled") {
        if (value == "1") out.sampled = true;
        if (value == "0") out.sampled = false;
      }
    }
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  if (out.trace_id.empty()) return std::nullopt;
  return out;
}

std::optional<TraceContext> parse_traceparent(std::string_view header) {
  header = trim(header);
  // version "-" trace-id(32) "-" parent-id(16) "-" flags(2); version 00 has exactly these parts,
  // later versions may append more after another '-'.
  if (header.size() < 55 || header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  const std::string version = util::to_lower_ascii(header.substr(0, 2));
  if (!is_lower_hex(version) || version == "ff") return std::nullopt;
  if (version == "00" && header.size() != 55) return std::nullopt;
  if (header.size() > 55 && header[55] != '-') return std::nullopt;
  const std::string trace = util::to_lower_ascii(header.substr(3, 32));
  const std::string parent = util::to_lower_ascii(header.substr(36, 16));
  const std::string flags = util::to_lower_ascii(header.substr(53, 2));
  if (!is_lower_hex(flags) || !is_span_id(parent)) return std::nullopt;
  TraceContext out;
  out.trace_id = w3c_to_xray(trace);
  if (out.trace_id.empty()) return std::nullopt;
  out.parent_id = parent;
  const int bits = std::stoi(flags, nullptr, 16);
  out.sampled = (bits & 0x01) != 0;
  return out;
}

std::string new_trace_id(std::chrono::system_clock::time_point now) {
  // Hex by hand (not snprintf): this runs for every request without a trace header.
  static constexpr char digits[] = "0123456789abcdef";
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto epoch = static_cast<std::uint32_t>(static_cast<unsigned long long>(seconds) & 0xffffffffULL);
  std::string id = "1-00000000-";
  for (int i = 0; i < 8; ++i) id[2 + static_cast<std::size_t>(i)] = digits[(epoch >> (28 - 4 * i)) & 0xfu];
  id += util::hex_encode(util::random_id_bytes(12));
  return id;
}

std::string new_span_id() {
  for (;;) {
    std::string id = util::hex_encode(util::random_id_bytes(8));
    if (!all_zero(id)) return id;
  }
}

std::string format_amzn_trace_id(std::string_view trace_id, std::string_view segment_id, bool sampled) {
  std::string out;
  out.reserve(5 + trace_id.size() + 8 + segment_id.size() + 10);
  out += "Root=";
  out += trace_id;
  out += ";Parent=";
  out += segment_id;
  out += sampled ? ";Sampled=1" : ";Sampled=0";
  return out;
}

std::string format_traceparent(std::string_view trace_id, std::string_view segment_id, bool sampled) {
  // The X-Ray id's two hex parts make the W3C id (xray_to_w3c), written in place; an id that is
  // not X-Ray's leaves the W3C id empty, as xray_to_w3c does.
  std::string out;
  out.reserve(3 + 32 + 1 + segment_id.size() + 3);
  out += "00-";
  if (is_xray_trace_id(trace_id)) {
    out += trace_id.substr(2, 8);
    out += trace_id.substr(11);
  }
  out += '-';
  out += segment_id;
  out += sampled ? "-01" : "-00";
  return out;
}

}  // namespace oms::tracing
