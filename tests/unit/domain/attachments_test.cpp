#include "domain/attachments.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/domain/test_support.hpp"

namespace oms::domain {
namespace {

using testing::repeat;

AttachmentUpload good_upload() {
  AttachmentUpload u;
  u.file_name = "proposal.pdf";
  u.content_type = "application/pdf";
  u.size_bytes = 1024;
  u.sha256 = repeat("ab", 32);
  return u;
}

// The single problem `check` records for `value`, or "" when it records none.
template <class Check, class Value>
std::string problem_of(Check check, const Value& value) {
  Validator v;
  check(v, "f", value);
  if (v.ok()) return "";
  EXPECT_EQ(v.errors().size(), 1U);
  EXPECT_EQ(v.errors().front().field, "f");
  return v.errors().front().message;
}

std::string name_problem(std::string_view name) { return problem_of(check_attachment_name, name); }

TEST(AttachmentUploads, AGoodAnnouncementPasses) { EXPECT_NO_THROW(check_upload(good_upload())); }

// Each name with the one problem it has ("" for none).
struct NameCase {
  std::string name;
  std::string_view problem;
};

TEST(AttachmentUploads, FileNamesAreOneTo255BytesWithoutSeparatorsOrControlCharacters) {
  const std::string_view too_long = "must be at most 255 bytes";
  const std::vector<NameCase> cases{
      {"a", ""},
      {"Angebot (final) – v2.pdf", ""},
      {repeat("x", k_attachment_name_max), ""},
      {"", "must not be empty"},
      {repeat("x", k_attachment_name_max + 1), too_long},
      {repeat("é", 128), too_long},  // bytes, not characters: 128 two-byte characters are 256 bytes
      {".", "must name a file"},
      {"..", "must name a file"},
      {"...", ""},
      {"../etc/passwd", "must not contain path separators"},
      {"a\\b.pdf", "must not contain path separators"},
      {"line\nbreak.pdf", "must not contain control characters"},
      {"bell\a.pdf", "must not contain control characters"},
      {std::string("nul\0.pdf", 8), "must not contain control characters"},
      {"del\x7f.pdf", "must not contain control characters"},
  };
  for (const auto& c : cases) EXPECT_EQ(name_problem(c.name), c.problem) << c.name;
}

TEST(AttachmentUploads, OnlyDocumentAndImageTypes) {
  for (const char* type :
       {"application/pdf", "application/msword", "application/vnd.ms-excel", "text/plain", "text/csv", "image/png",
        "image/jpeg", "image/gif", "application/vnd.openxmlformats-officedocument.presentationml.presentation"}) {
    EXPECT_TRUE(is_allowed_attachment_type(type)) << type;
    EXPECT_EQ(problem_of(check_attachment_type, std::string_view(type)), "") << type;
  }
  // Exact match: no parameters, no other case, nothing executable or scriptable.
  for (const char* type :
       {"text/html", "application/x-msdownload", "image/svg+xml", "application/PDF", "text/plain; charset=utf-8", ""}) {
    EXPECT_FALSE(is_allowed_attachment_type(type)) << type;
    EXPECT_EQ(problem_of(check_attachment_type, std::string_view(type)), "is not an allowed attachment type");
  }
}

TEST(AttachmentUploads, SizeIsAtLeastOneByte) {
  EXPECT_EQ(problem_of(check_attachment_size, std::int64_t{1}), "");
  EXPECT_EQ(problem_of(check_attachment_size, k_attachment_max_bytes + 1), "");  // check_upload's 413
  EXPECT_EQ(problem_of(check_attachment_size, std::int64_t{0}), "must be at least 1");
  EXPECT_EQ(problem_of(check_attachment_size, std::int64_t{-5}), "must be at least 1");
}

TEST(AttachmentUploads, Sha256IsSixtyFourHexDigitsOfEitherCase) {
  const std::string_view bad = "must be the 64 hex digits of the file's SHA-256";
  EXPECT_EQ(problem_of(check_attachment_sha256, repeat("0f", 32)), "");
  EXPECT_EQ(problem_of(check_attachment_sha256, repeat("AF", 32)), "");
  EXPECT_EQ(problem_of(check_attachment_sha256, std::string("abc")), bad);
  EXPECT_EQ(problem_of(check_attachment_sha256, repeat("a", 63)), bad);
  EXPECT_EQ(problem_of(check_attachment_sha256, repeat("a", 65)), bad);
  EXPECT_EQ(problem_of(check_attachment_sha256, repeat("g", 64)), bad);
}

TEST(AttachmentUploads, EveryFieldProblemIsReportedAtOnce) {
  AttachmentUpload u;
  u.file_name = "a/b";
  u.content_type = "text/html";
  u.size_bytes = 0;
  u.sha256 = "xyz";
  const DomainError e = testing::expect_error(ErrorCode::validation_error, [&] { check_upload(u); });
  ASSERT_EQ(e.errors().size(), 4U);
  for (const char* field : {"file_name", "content_type", "size_bytes", "sha256"})
    EXPECT_TRUE(testing::has_field(e.errors(), field)) << field;
}

TEST(AttachmentUploads, AtMost20MiBElsePayloadTooLarge) {
  AttachmentUpload u = good_upload();
  u.size_bytes = k_attachment_max_bytes;
  EXPECT_NO_THROW(check_upload(u));
  u.size_bytes = k_attachment_max_bytes + 1;
  const DomainError e = testing::expect_error(ErrorCode::payload_too_large, [&] { check_upload(u); });
  EXPECT_EQ(e.detail(), "Attachments are at most 20 MiB.");
  ASSERT_EQ(e.errors().size(), 1U);
  EXPECT_EQ(e.errors().front(), (FieldError{"size_bytes", "must be at most 20971520"}));
}

TEST(AttachmentUploads, FieldProblemsComeBeforeTheSizeLimit) {
  AttachmentUpload u = good_upload();
  u.size_bytes = k_attachment_max_bytes + 1;
  u.content_type = "text/html";
  testing::expect_error(ErrorCode::validation_error, [&] { check_upload(u); });
}

}  // namespace
}  // namespace oms::domain
