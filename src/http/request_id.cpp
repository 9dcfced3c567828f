#include "http/request_id.hpp"

#include <algorithm>

#include "util/encoding.hpp"
#include "util/id_random.hpp"

namespace oms::http {
namespace {

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

bool is_valid_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

std::string generate_request_id() {
  std::string b = util::random_id_bytes(16);
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  const std::string h = util::hex_encode(b);
  std::string id;  // 8-4-4-4-12, built in place
  id.reserve(36);
  id.append(h, 0, 8).append(1, '-').append(h, 8, 4).append(1, '-').append(h, 12, 4).append(1, '-');
  id.append(h, 16, 4).append(1, '-').append(h, 20, 12);
  return id;
}

std::string request_id_for(const Request& request) {
  if (auto id = request.header("x-request-id"); id && is_valid_request_id(*id)) return std::string(*id);
  return generate_request_id();
}

std::string trace_id_for(const Request& request) {
  if (auto tp = request.header("traceparent")) {
    // version "-" trace-id(32) "-" parent-id(16) "-" flags(2)
    if (tp->size() >= 55 && (*tp)[2] == '-' && (*tp)[35] == '-') {
      auto id = tp->substr(3, 32);
      if (is_hex(id) && id != std::string(32, '0')) return std::string(id);
    }
  }
  if (auto amzn = request.header("x-amzn-trace-id")) {
    std::string_view rest = *amzn;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view part = rest.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.starts_with("Root=")) {
        part.remove_prefix(5);
        if (is_valid_request_id(part)) return std::string(part);
      }
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return {};
}

std::optional<tracing::TraceContext> trace_context_for(const Request& request) {
  if (auto tp = request.header("traceparent")) {
    if (auto context = tracing::parse_traceparent(*tp)) return context;
  }
  if (auto amzn = request.header("x-amzn-trace-id")) return tracing::parse_amzn_trace_id(*amzn);
  return std::nullopt;
}

}  // namespace oms::http
