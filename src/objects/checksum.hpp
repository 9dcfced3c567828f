#pragma once
// S3's `x-amz-checksum-sha256`: the SHA-256 of an object in standard base64. Both stores (S3 and
// the local one speaking its protocol) keep it as lower-case hex.
#include <string>
#include <string_view>

namespace oms::objects {

// The hex SHA-256 the header value carries; empty when it is not base64 of 32 bytes.
std::string sha256_hex_of_checksum(std::string_view header_value);

}  // namespace oms::objects
