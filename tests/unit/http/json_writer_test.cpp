// The streaming JSON writer: structure, escaping, and agreement with a real JSON parser.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "http/json/writer.hpp"

namespace oms::http::json {
namespace {

std::string escaped(std::string_view s) {
  std::string out;
  append_escaped(out, s);
  return out;
}

TEST(JsonWriter, EmptyContainers) {
  Writer w;
  w.begin_object().key("a").begin_array().end_array().key("b").begin_object().end_object().end_object();
  EXPECT_EQ(w.str(), R"({"a":[],"b":{}})");
}

TEST(JsonWriter, CommasBetweenMembersAndItems) {
  Writer w;
  w.begin_object();
  w.field("s", "x").field("n", 42).field("t", true).field("f", false).field("z", nullptr);
  w.key("list").begin_array().value(1).value("two").begin_object().field("k", 3).end_object().end_array();
  w.end_object();
  EXPECT_EQ(w.str(), R"({"s":"x","n":42,"t":true,"f":false,"z":null,"list":[1,"two",{"k":3}]})");
}

TEST(JsonWriter, NestedArraysOfArrays) {
  Writer w;
  w.begin_array().begin_array().value(1).end_array().begin_array().end_array().value(2).end_array();
  EXPECT_EQ(w.str(), "[[1],[],2]");
}

TEST(JsonWriter, IntegersAtTheLimits) {
  Writer w;
  w.begin_array()
      .value(std::numeric_limits<std::int64_t>::max())
      .value(std::numeric_limits<std::int64_t>::min())
      .value(0)
      .value(-7)
      .end_array();
  EXPECT_EQ(w.str(), "[9223372036854775807,-9223372036854775808,0,-7]");
}

TEST(JsonWriter, OptionalStringsBecomeNull) {
  Writer w;
  w.begin_object().field("a", std::optional<std::string>{}).field("b", std::optional<std::string>{"v"}).end_object();
  EXPECT_EQ(w.str(), R"({"a":null,"b":"v"})");
}

TEST(JsonWriter, RawJsonIsInsertedVerbatimAndEmptyIsNull) {
  Writer w;
  w.begin_object()
      .field_raw("old", std::optional<std::string>{R"({"x":[1,2]})"})
      .field_raw("new", std::optional<std::string>{})
      .field_raw("blank", std::optional<std::string>{""})
      .end_object();
  EXPECT_EQ(w.str(), R"({"old":{"x":[1,2]},"new":null,"blank":null})");
}

TEST(JsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(escaped("a\"b"), R"("a\"b")");
  EXPECT_EQ(escaped("a\\b"), R"("a\\b")");
  EXPECT_EQ(escaped("\n\r\t\b\f"), R"("\n\r\t\b\f")");
  EXPECT_EQ(escaped(std::string_view("\x00\x01\x1f", 3)), R"("\u0000\u0001\u001f")");
  EXPECT_EQ(escaped("/"), R"("/")");       // no need to escape the solidus
  EXPECT_EQ(escaped("\x7f"), "\"\x7f\"");  // DEL is legal in JSON strings
}

TEST(JsonWriter, Utf8PassesThroughUnchanged) {
  const std::string text = "Zürich – 東京 😀";
  EXPECT_EQ(escaped(text), "\"" + text + "\"");
}

TEST(JsonWriter, KeysAreEscapedToo) {
  Writer w;
  w.begin_object().field("we\"ird\n", 1).end_object();
  EXPECT_EQ(w.str(), R"({"we\"ird\n":1})");
}

TEST(JsonWriter, OutputRoundTripsThroughAParser) {
  std::string nasty;
  for (int c = 0; c < 0x80; ++c) nasty.push_back(static_cast<char>(c));
  nasty += "é😀";
  Writer w;
  w.begin_object().field("s", nasty).field("n", -12).key("a").begin_array().value(true).end_array().end_object();
  const boost::json::value parsed = boost::json::parse(w.str());
  EXPECT_EQ(std::string(parsed.at("s").as_string()), nasty);
  EXPECT_EQ(parsed.at("n").as_int64(), -12);
  EXPECT_TRUE(parsed.at("a").as_array().at(0).as_bool());
}

TEST(JsonWriter, TakeMovesTheDocumentOut) {
  Writer w;
  w.begin_object().field("k", "v").end_object();
  const std::string out = w.take();
  EXPECT_EQ(out, R"({"k":"v"})");
}

}  // namespace
}  // namespace oms::http::json
