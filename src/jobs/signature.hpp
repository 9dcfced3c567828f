#pragma once
// Webhook signatures. Receivers verify
//   Oms-Signature: t=<unix seconds>,kid=<key id>,v1=<hex HMAC-SHA256(secret, t + "." + body)>
// and should refuse stale timestamps (replay) and unknown key ids (rotation: the key id names
// which secret signed).
#include <cstdint>
#include <string>
#include <string_view>

namespace oms::jobs {

inline constexpr const char* k_signature_header = "Oms-Signature";

std::string hmac_sha256_hex(std::string_view key, std::string_view message);
std::string signature_header(std::string_view secret, std::string_view key_id, std::int64_t unix_seconds,
                             std::string_view body);

}  // namespace oms::jobs
