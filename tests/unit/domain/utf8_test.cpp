#include "util/utf8.hpp"

#include <gtest/gtest.h>

namespace oms::util {
namespace {

TEST(Utf8, AcceptsAsciiAndMultibyte) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("hello"));
  EXPECT_TRUE(is_valid_utf8("h\xC3\xA9llo"));              // é
  EXPECT_TRUE(is_valid_utf8("\xE6\x97\xA5\xE6\x9C\xAC"));  // 日本
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));          // 😀
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));          // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xEF\xBF\xBD"));              // U+FFFD
  EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3)));
}

TEST(Utf8, RejectsMalformedSequences) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated 2-byte
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));          // truncated 3-byte
  EXPECT_FALSE(is_valid_utf8("\xF0\x9F\x98"));      // truncated 4-byte
  EXPECT_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong 4-byte
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xED\xBF\xBF"));      // surrogate U+DFFF
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));  // lead byte F5
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("ok\xFE"));
}

TEST(Utf8, ReplacesInvalidBytesWithReplacementCharacter) {
  EXPECT_EQ(to_valid_utf8("h\xC3\xA9llo \xF0\x9F\x98\x80"), "h\xC3\xA9llo \xF0\x9F\x98\x80");  // unchanged
  EXPECT_EQ(to_valid_utf8("/\x9B"), "/\xEF\xBF\xBD");
  EXPECT_EQ(to_valid_utf8("a\xC3(b"), "a\xEF\xBF\xBD(b");                              // bad continuation
  EXPECT_EQ(to_valid_utf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");                    // truncated at the end
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80x"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx");  // surrogate
  EXPECT_EQ(to_valid_utf8("\xFF\xC3\xA9"), "\xEF\xBF\xBD\xC3\xA9");
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8("\xF4\x90\x80\x80\xC0\xAF\x80")));
}

TEST(Utf8, CountsCodePointsNotBytes) {
  EXPECT_EQ(code_points(""), 0u);
  EXPECT_EQ(code_points("hello"), 5u);
  EXPECT_EQ(code_points("h\xC3\xA9llo"), 5u);
  EXPECT_EQ(code_points("\xE6\x97\xA5\xE6\x9C\xAC"), 2u);
  EXPECT_EQ(code_points("\xF0\x9F\x98\x80"), 1u);
  EXPECT_EQ(code_points("a\xF0\x9F\x98\x80z"), 3u);
}

TEST(Utf8, TrimsAsciiWhiteSpace) {
  EXPECT_EQ(trim("  hello \t\r\n"), "hello");
  EXPECT_EQ(trim("hello"), "hello");
  EXPECT_EQ(trim("a b"), "a b");
  EXPECT_EQ(trim(" \t\n "), "");
  EXPECT_EQ(trim(""), "");
}

TEST(Utf8, TrimsUnicodeWhiteSpace) {
  EXPECT_EQ(trim("\xC2\xA0hi\xC2\xA0"), "hi");          // U+00A0
  EXPECT_EQ(trim("\xE3\x80\x80hi\xE3\x80\x80"), "hi");  // U+3000
  EXPECT_EQ(trim("\xE2\x80\x83hi\xE2\x80\x8A"), "hi");  // U+2003, U+200A
  EXPECT_EQ(trim("\xE2\x80\xA8hi\xE2\x80\xAF"), "hi");  // U+2028, U+202F
  EXPECT_EQ(trim("\xC2\xA0 \xE3\x80\x80"), "");
  EXPECT_EQ(trim("a\xC2\xA0z"), "a\xC2\xA0z");  // interior kept
}

TEST(Utf8, TrimKeepsNonSpaceMultibyteAtTheEdges) {
  EXPECT_EQ(trim("\xC3\xA9"), "\xC3\xA9");
  EXPECT_EQ(trim(" \xF0\x9F\x98\x80 "), "\xF0\x9F\x98\x80");
  EXPECT_EQ(trim("\xE2\x80\x8B"), "\xE2\x80\x8B");  // U+200B zero width space is not White_Space
}

TEST(Utf8, AppendsEachEncodingLength) {
  std::string out;
  for (char32_t cp : {U'A', U'\u00E9', U'\u4E2D', U'\U0001F600'}) append_utf8(cp, out);
  EXPECT_EQ(out, "A\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");
  EXPECT_TRUE(is_valid_utf8(out));
}

}  // namespace
}  // namespace oms::util
