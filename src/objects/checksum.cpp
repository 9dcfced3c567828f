#include "objects/checksum.hpp"

#include "util/encoding.hpp"

namespace oms::objects {

std::string sha256_hex_of_checksum(std::string_view header_value) {
  // Standard base64 to bytes, through the base64url decoder.
  std::string url(header_value);
  for (char& c : url) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  auto bytes = util::base64url_decode(url);
  return bytes && bytes->size() == 32 ? util::hex_encode(*bytes) : std::string();
}

}  // namespace oms::objects
