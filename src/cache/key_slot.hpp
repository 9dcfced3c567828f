#pragma once
// Redis Cluster key slots: CRC16 (XMODEM) of the key, or of its hash tag ({...}), modulo 16384.
#include <cstdint>
#include <string_view>

namespace oms::cache {

inline constexpr int k_cluster_slots = 16384;

std::uint16_t crc16(std::string_view bytes);
int key_slot(std::string_view key);

}  // namespace oms::cache
