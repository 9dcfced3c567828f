#include "objects/content_disposition.hpp"

#include <algorithm>

#include "objects/sigv4.hpp"

namespace oms::objects {

std::string attachment_disposition(std::string_view name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
  if (plain) return "attachment; filename=\"" + std::string(name) + "\"";
  return "attachment; filename*=UTF-8''" + sigv4::uri_encode(name, false);
}

}  // namespace oms::objects
