// util::JsonWriter writes the bytes boost::json::serialize writes for the same values: the bodies,
// snapshots and hash inputs written with it must not change by a byte.
#include "util/json_writer.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cstdint>
#include <string>

namespace oms::util {
namespace {

std::string boost_string(std::string_view text) {
  return boost::json::serialize(boost::json::string(text.data(), text.size()));
}

std::string ours(std::string_view text) {
  std::string out = "x";  // appended to what is there
  append_json_string(out, text);
  return out.substr(1);
}

// Each of the 256 bytes, at every position of an eight-byte word and in the tail after it.
TEST(JsonWriter, EscapesEveryByteAsBoostJsonDoes) {
  for (int b = 0; b < 256; ++b) {
    for (std::size_t at = 0; at < 12; ++at) {
      std::string text = "abcdefghijkl";
      text[at] = static_cast<char>(b);
      ASSERT_EQ(ours(text), boost_string(text)) << "byte " << b << " at " << at;
    }
    const std::string alone(1, static_cast<char>(b));
    ASSERT_EQ(ours(alone), boost_string(alone)) << "byte " << b;
  }
}

// Two bytes of interest at every pair of positions in two words: the second escape in the same word
// as the first, and a byte whose borrow could mark the bytes above it.
TEST(JsonWriter, EscapesEveryPairOfPositionsAsBoostJsonDoes) {
  const std::string bytes("\x00\x01\x1f\x20\x21\"\\\x7f\x80\xff", 10);
  for (const char first : bytes) {
    for (const char second : bytes) {
      for (std::size_t a = 0; a < 17; ++a) {
        for (std::size_t b = a + 1; b < 17; ++b) {
          std::string text = "abcdefghijklmnopq";
          text[a] = first;
          text[b] = second;
          ASSERT_EQ(ours(text), boost_string(text))
              << "bytes " << int(first) << " at " << a << ", " << int(second) << " at " << b;
        }
      }
    }
  }
}

TEST(JsonWriter, EscapesRunsOfMixedTextAsBoostJsonDoes) {
  const std::string alphabet = std::string("aZ9 \"\\/\x01\x1f\x7f\n\t\r\b\f") + "\xc3\xa9\xf0\x9f\x98\x80\xff";
  std::uint64_t state = 88172645463325252ULL;  // xorshift64: the same strings every run
  for (int n = 0; n < 2000; ++n) {
    std::string text;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const std::size_t length = state % 70;
    for (std::size_t i = 0; i < length; ++i) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      text += alphabet[state % alphabet.size()];
    }
    ASSERT_EQ(ours(text), boost_string(text)) << "text of " << length << " bytes, case " << n;
  }
  EXPECT_EQ(ours(""), "\"\"");
}

TEST(JsonWriter, WritesNestedValuesAsSerializeDoes) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.integer(1);
  w.integer(-9223372036854775807LL - 1);
  w.string("x\"y");
  w.null();
  w.boolean(true);
  w.begin_object();
  w.key("b");
  w.boolean(false);
  w.end_object();
  w.begin_array();
  w.end_array();
  w.end_array();
  w.key("c");
  w.begin_object();
  w.end_object();
  w.key("d");
  w.optional_string(std::nullopt);
  w.key("e");
  w.optional_string("z");
  w.end_object();
  EXPECT_EQ(out, R"({"a":[1,-9223372036854775808,"x\"y",null,true,{"b":false},[]],"c":{},"d":null,"e":"z"})");
  EXPECT_EQ(out, boost::json::serialize(boost::json::parse(out)));
}

}  // namespace
}  // namespace oms::util
