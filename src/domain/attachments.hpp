#pragma once
// The field rules of an attachment upload (api.md; story: attachments): what a client may announce
// before it sends the bytes. Who may upload, and the upload itself, are the use case's.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace oms::domain {

inline constexpr std::size_t k_attachment_name_max = 255;  // bytes
inline constexpr std::int64_t k_attachment_max_bytes = 20LL * 1024 * 1024;

// What the client announces: the file's name, type, size and SHA-256 (hex, either case).
struct AttachmentUpload {
  std::string file_name;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string sha256;
};

// Documents and images: PDF, Word, Excel, PowerPoint (old and OOXML), text, CSV, PNG, JPEG, GIF.
bool is_allowed_attachment_type(std::string_view content_type) noexcept;
// Those types, as the page learns them (/web-config.json) and the contract lists them.
std::span<const std::string_view> allowed_attachment_types() noexcept;
// 1..255 bytes, not "." or "..", no path separators and no control characters.
void check_attachment_name(Validator& v, std::string_view field, std::string_view file_name);
void check_attachment_type(Validator& v, std::string_view field, std::string_view content_type);
// At least one byte; the upper bound is check_upload's PAYLOAD_TOO_LARGE.
void check_attachment_size(Validator& v, std::string_view field, std::int64_t size_bytes);
void check_attachment_sha256(Validator& v, std::string_view field, std::string_view sha256_hex);
// Every field rule above (VALIDATION_ERROR listing each problem), then PAYLOAD_TOO_LARGE above 20 MiB.
void check_upload(const AttachmentUpload& u);

}  // namespace oms::domain
