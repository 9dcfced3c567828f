#include "adapters/random_ids.hpp"

#include "util/encoding.hpp"
#include "util/id_random.hpp"

namespace oms::adapters {

std::string RandomIdGenerator::next() {
  std::string bytes = util::random_id_bytes(16);
  bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3F) | 0x80);  // RFC 4122 variant
  const std::string hex = util::hex_encode(bytes);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20, 12);
}

}  // namespace oms::adapters
