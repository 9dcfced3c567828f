#include "domain/attachments.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace oms::domain {
namespace {

constexpr std::array<std::string_view, 12> k_allowed_types = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "text/plain",
    "text/csv",
    "image/png",
    "image/jpeg",
    "image/gif",
};

bool is_hex_digit(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The one problem of a file name, or "" when it is acceptable.
std::string attachment_name_problem(std::string_view name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > k_attachment_name_max) {
    std::string out = "must be at most ";
    out += std::to_string(k_attachment_name_max);
    out += " bytes";
    return out;
  }
  if (name == "." || name == "..") return "must name a file";
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\') return "must not contain path separators";
    if (u < 0x20 || u == 0x7f) return "must not contain control characters";
  }
  return "";
}

}  // namespace

std::span<const std::string_view> allowed_attachment_types() noexcept { return k_allowed_types; }

bool is_allowed_attachment_type(std::string_view content_type) noexcept {
  return std::find(k_allowed_types.begin(), k_allowed_types.end(), content_type) != k_allowed_types.end();
}

void check_attachment_name(Validator& v, std::string_view field, std::string_view file_name) {
  if (auto problem = attachment_name_problem(file_name); !problem.empty())
    v.add(std::string(field), std::move(problem));
}

void check_attachment_type(Validator& v, std::string_view field, std::string_view content_type) {
  if (!is_allowed_attachment_type(content_type)) v.add(std::string(field), "is not an allowed attachment type");
}

void check_attachment_size(Validator& v, std::string_view field, std::int64_t size_bytes) {
  if (size_bytes < 1) v.add(std::string(field), "must be at least 1");
}

void check_attachment_sha256(Validator& v, std::string_view field, std::string_view sha256_hex) {
  if (sha256_hex.size() != 64 || !std::all_of(sha256_hex.begin(), sha256_hex.end(), is_hex_digit))
    v.add(std::string(field), "must be the 64 hex digits of the file's SHA-256");
}

void check_upload(const AttachmentUpload& u) {
  Validator v;
  check_attachment_name(v, "file_name", u.file_name);
  check_attachment_type(v, "content_type", u.content_type);
  check_attachment_size(v, "size_bytes", u.size_bytes);
  check_attachment_sha256(v, "sha256", u.sha256);
  v.throw_if_failed();
  if (u.size_bytes > k_attachment_max_bytes) {
    std::string detail = "Attachments are at most ";
    detail += std::to_string(k_attachment_max_bytes / (1024 * 1024));
    detail += " MiB.";
    std::string limit = "must be at most ";
    limit += std::to_string(k_attachment_max_bytes);
    throw DomainError(ErrorCode::payload_too_large, detail, {{"size_bytes", limit}});
  }
}

}  // namespace oms::domain
