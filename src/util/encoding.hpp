#pragma once
// Byte encodings and digests used across the service.
#include <optional>
#include <string>
#include <string_view>

namespace oms::util {

std::string base64url_encode(std::string_view bytes);                // no padding
std::optional<std::string> base64url_decode(std::string_view text);  // accepts missing padding; rejects bad chars
std::string base64_encode(std::string_view bytes);                   // standard alphabet, padded (RFC 4648 section 4)
std::string hex_encode(std::string_view bytes);                      // lower case
std::string sha256(std::string_view bytes);                          // raw 32 bytes
std::string sha256_hex(std::string_view bytes);
std::string hmac_sha256(std::string_view key, std::string_view message);  // raw 32 bytes
std::string random_bytes(std::size_t n);                                  // CSPRNG
bool is_uuid(std::string_view text);                                      // canonical 8-4-4-4-12 hex (either case)
std::string to_lower_ascii(std::string_view text);
// Equal ignoring ASCII case. Never reads outside either view (Boost 1.81's beast::iequals reads
// one byte past both ends when they differ only in case: an http_server_fuzz finding).
bool iequals_ascii(std::string_view a, std::string_view b);

}  // namespace oms::util
