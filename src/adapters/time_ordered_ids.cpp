#include "adapters/time_ordered_ids.hpp"

#include <chrono>
#include <cstdint>

#include "util/encoding.hpp"
#include "util/id_random.hpp"

namespace oms::adapters {

std::string TimeOrderedIdGenerator::next() {
  std::string bytes = util::random_id_bytes(16);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  for (std::size_t i = 0; i < 6; ++i) bytes[i] = static_cast<char>((ms >> (8 * (5 - i))) & 0xFF);  // big-endian
  bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0F) | 0x70);              // version 7
  bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3F) | 0x80);              // RFC 9562 variant
  const std::string hex = util::hex_encode(bytes);
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' + hex.substr(16, 4) + '-' +
         hex.substr(20, 12);
}

}  // namespace oms::adapters
