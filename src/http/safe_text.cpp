#include "http/safe_text.hpp"

#include "util/utf8.hpp"

namespace oms::http {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::string valid_utf8(std::string_view text) {
  if (util::is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_length(static_cast<unsigned char>(text[i]));
    if (n > 0 && i + n <= text.size() && util::is_valid_utf8(text.substr(i, n))) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append(k_replacement);
      ++i;
    }
  }
  return out;
}

}  // namespace oms::http
