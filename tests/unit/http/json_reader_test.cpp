// The strict JSON body reader: parse failures, types, required and unknown fields, lengths,
// enums, money, dates, UUIDs, nested paths, and that every problem is reported at once.
#include <gtest/gtest.h>

#include <string>

#include "domain/error.hpp"
#include "domain/types.hpp"
#include "http/json/reader.hpp"
#include "util/time.hpp"

namespace oms::http::json {
namespace {

using domain::FieldError;
using domain::Validator;

std::optional<boost::json::object> parse(std::string_view body, Validator& v, bool allow_empty = false) {
  return parse_object(body, v, allow_empty);
}

// The single error the validator holds (fails the test otherwise).
FieldError only_error(const Validator& v) {
  EXPECT_EQ(v.errors().size(), 1u);
  return v.errors().empty() ? FieldError{} : v.errors().front();
}

bool has_error(const Validator& v, std::string_view field, std::string_view message_part = {}) {
  for (const auto& e : v.errors())
    if (e.field == field && e.message.find(message_part) != std::string::npos) return true;
  return false;
}

TEST(JsonParseObject, AcceptsAnObject) {
  Validator v;
  auto o = parse(R"({"a": 1, "b": "x"})", v);
  ASSERT_TRUE(o);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(o->size(), 2u);
}

TEST(JsonParseObject, InvalidJsonIsABodyError) {
  for (std::string_view body : {"{", R"({"a":})", "{'a': 1}", R"({"a": 1,})", "nul", R"({"a": 1} x)", "{\"a\": NaN}"}) {
    Validator v;
    EXPECT_FALSE(parse(body, v)) << body;
    const FieldError e = only_error(v);
    EXPECT_EQ(e.field, "body") << body;
    EXPECT_NE(e.message.find("not valid JSON"), std::string::npos) << e.message;
  }
}

TEST(JsonParseObject, TopLevelMustBeAnObject) {
  for (std::string_view body : {"[]", "[1,2]", "\"text\"", "42", "null", "true"}) {
    Validator v;
    EXPECT_FALSE(parse(body, v)) << body;
    EXPECT_EQ(only_error(v), (FieldError{"body", "must be a JSON object"})) << body;
  }
}

TEST(JsonParseObject, InvalidUtf8IsRejected) {
  for (std::string_view body : {std::string_view("{\"a\": \"\xff\"}"), std::string_view("{\"a\": \"\xc3\x28\"}"),
                                std::string_view("{\"a\": \"\xed\xa0\x80\"}"),  // UTF-8 encoded surrogate
                                std::string_view("{\"\xc0\xaf\": 1}")}) {       // overlong key
    Validator v;
    EXPECT_FALSE(parse(body, v));
    EXPECT_EQ(only_error(v), (FieldError{"body", "must be valid UTF-8"}));
  }
}

TEST(JsonParseObject, BadSurrogateEscapesNameTheField) {
  struct Case {
    std::string_view body;
    std::string_view field;
  };
  for (const Case& c : {Case{R"({"a": "\ud800"})", "a"}, Case{R"({"x": 1, "t": "ok \udc00"})", "t"},
                        Case{R"({"t": "\ude00\ud83d"})", "t"}, Case{R"({"g": {"r": "\ud800x"}})", "g.r"},
                        Case{R"({"l": ["a", 2, {"k": null}, "\ud800"]})", "l[3]"}, Case{R"(["\ud800"])", "[0]"},
                        Case{R"("\ud800")", "body"}}) {
    Validator v;
    EXPECT_FALSE(parse_object(c.body, v)) << c.body;
    const FieldError e = only_error(v);
    EXPECT_EQ(e.field, c.field) << c.body;
    EXPECT_NE(e.message.find("surrogate"), std::string::npos) << e.message;
  }
}

TEST(JsonParseObject, ControlCharactersInsideStringsAreInvalid) {
  Validator v;
  EXPECT_FALSE(parse_object("{\"t\": \"a\x01b\"}", v));
  EXPECT_EQ(only_error(v).field, "body");
}

TEST(JsonParseObject, ValidSurrogatePairIsAccepted) {
  Validator v;
  auto o = parse_object(R"({"e": "\ud83d\ude00"})", v);
  ASSERT_TRUE(o);
  EXPECT_EQ(std::string(o->at("e").as_string()), "\U0001F600");
}

TEST(JsonParseObject, DepthIsLimited) {
  auto nested = [](int depth) {
    std::string s;
    for (int i = 0; i < depth - 1; ++i) s += "{\"a\":";
    s += "{}";
    for (int i = 0; i < depth - 1; ++i) s += "}";
    return s;
  };
  Validator ok;
  EXPECT_TRUE(parse(nested(k_max_depth), ok));
  EXPECT_TRUE(ok.ok());
  Validator deep;
  EXPECT_FALSE(parse(nested(k_max_depth + 1), deep));
  const FieldError e = only_error(deep);
  EXPECT_EQ(e.field, "body");
  EXPECT_NE(e.message.find("nested too deeply"), std::string::npos) << e.message;
}

TEST(JsonParseObject, DuplicateKeysAreRejectedAtAnyDepth) {
  struct Case {
    std::string_view body;
    std::string_view field;
  };
  for (const Case& c : {Case{R"({"a": 1, "a": 2})", "a"}, Case{R"({"x": {"k": 1, "b": 0, "k": 1}})", "x.k"},
                        Case{R"({"l": [1, {"k": 1, "k": 2}]})", "l[1].k"}, Case{R"({"k": 1, "\u006b": 2})", "k"}}) {
    Validator v;
    EXPECT_FALSE(parse_object(c.body, v)) << c.body;
    const FieldError e = only_error(v);
    EXPECT_EQ(e.field, c.field) << c.body;
    EXPECT_NE(e.message.find("more than once"), std::string::npos) << e.message;
  }
  // The same key in sibling objects is fine.
  Validator ok;
  EXPECT_TRUE(parse_object(R"({"a": {"k": 1}, "b": {"k": 2}, "k": [{"k": 3}]})", ok));
  EXPECT_TRUE(ok.ok());
}

TEST(JsonParseObject, EmptyBodyOnlyWhenAllowed) {
  Validator allowed;
  auto o = parse("  \r\n", allowed, /*allow_empty=*/true);
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->empty());
  EXPECT_TRUE(allowed.ok());

  Validator refused;
  EXPECT_FALSE(parse("", refused));
  EXPECT_EQ(only_error(refused).field, "body");
}

class ReaderTest : public ::testing::Test {
 protected:
  ObjectReader reader(std::string_view body) {
    auto o = parse_object(body, v);
    EXPECT_TRUE(o) << body;
    object = o ? std::move(*o) : boost::json::object{};
    return ObjectReader(object, v);
  }
  Validator v;
  boost::json::object object;
};

TEST_F(ReaderTest, RequiredStringPresentMissingAndWrongType) {
  auto r = reader(R"({"a": "hello", "c": 5, "d": null})");
  EXPECT_EQ(r.string("a", Need::required, 1, 10), "hello");
  EXPECT_FALSE(r.string("b", Need::required, 1, 10));
  EXPECT_FALSE(r.string("c", Need::required, 1, 10));
  EXPECT_FALSE(r.string("d", Need::required, 1, 10));
  EXPECT_TRUE(has_error(v, "b", "is required"));
  EXPECT_TRUE(has_error(v, "c", "must be a string"));
  EXPECT_TRUE(has_error(v, "d", "must be a string"));
  EXPECT_EQ(v.errors().size(), 3u);
}

TEST_F(ReaderTest, OptionalStringAbsentIsFine) {
  auto r = reader(R"({})");
  EXPECT_FALSE(r.string("a", Need::optional, 1, 10));
  EXPECT_TRUE(v.ok());
}

TEST_F(ReaderTest, WhitespaceOnlyRequiredStringIsRequired) {
  auto r = reader(R"({"a": " \t\n ", "b": ""})");
  EXPECT_FALSE(r.string("a", Need::required, 1, 10));
  EXPECT_FALSE(r.string("b", Need::required, 1, 10));
  EXPECT_TRUE(has_error(v, "a", "is required"));
  EXPECT_TRUE(has_error(v, "b", "is required"));
}

TEST_F(ReaderTest, LengthsCountCodePointsNotBytes) {
  // Five code points, fifteen bytes.
  auto r = reader(R"({"ok": "東京東京東", "long": "東京東京東京"})");
  EXPECT_EQ(r.string("ok", Need::required, 1, 5), "東京東京東");
  EXPECT_FALSE(r.string("long", Need::required, 1, 5));
  EXPECT_TRUE(has_error(v, "long", "at most 5"));
  EXPECT_EQ(v.errors().size(), 1u);
}

TEST_F(ReaderTest, TrimOnRequest) {
  auto r = reader(R"({"a": "  padded  ", "b": "  kept  "})");
  EXPECT_EQ(r.string("a", Need::required, 1, 20, /*trim=*/true), "padded");
  EXPECT_EQ(r.string("b", Need::required, 1, 20), "  kept  ");
}

TEST_F(ReaderTest, UnknownFieldsAreNotAllowed) {
  auto r = reader(R"({"known": true, "extra": 1, "other": null})");
  EXPECT_EQ(r.boolean("known", Need::required), true);
  r.finish();
  EXPECT_TRUE(has_error(v, "extra", "is not allowed"));
  EXPECT_TRUE(has_error(v, "other", "is not allowed"));
  EXPECT_EQ(v.errors().size(), 2u);
}

TEST_F(ReaderTest, FieldsAskedForAreKnownEvenWhenInvalid) {
  auto r = reader(R"({"flag": "yes"})");
  EXPECT_FALSE(r.boolean("flag", Need::required));
  r.finish();
  EXPECT_EQ(only_error(v), (FieldError{"flag", "must be a boolean"}));
}

TEST_F(ReaderTest, EnumValuesListTheChoices) {
  auto r = reader(R"({"p": "URGENT", "q": "HIGH", "r": "high", "s": 3})");
  EXPECT_FALSE(r.enumeration<domain::Priority>("p", Need::required));
  EXPECT_EQ(r.enumeration<domain::Priority>("q", Need::required), domain::Priority::high);
  EXPECT_FALSE(r.enumeration<domain::Priority>("r", Need::required));  // case-sensitive
  EXPECT_FALSE(r.enumeration<domain::Priority>("s", Need::required));
  EXPECT_TRUE(has_error(v, "p", "must be one of LOW, MEDIUM, HIGH, CRITICAL"));
  EXPECT_TRUE(has_error(v, "r", "must be one of LOW, MEDIUM, HIGH, CRITICAL"));
  EXPECT_TRUE(has_error(v, "s", "must be a string"));
}

TEST(EnumChoices, CoverEveryValue) {
  EXPECT_EQ(enum_choices<domain::Importance>(), "MUST_HAVE, NICE_TO_HAVE");
  EXPECT_EQ(enum_choices<domain::Status>(),
            "DRAFT, SUBMITTED, MATCHING_IN_PROGRESS, MATCHES_FOUND, ARCHITECT_SELECTED, COMPLETED, CANCELLED");
  EXPECT_EQ(enum_choices<domain::Proficiency>(),
            "BEGINNER, INTERMEDIATE, ADVANCED, EXPERT, BASIC, CONVERSATIONAL, FLUENT, NATIVE");
}

TEST_F(ReaderTest, MoneyIsADecimalStringOnly) {
  auto r = reader(R"({"a": "125000.00", "b": "12.5", "c": 125000, "d": "-1.00", "e": "1.234", "f": "1e5"})");
  EXPECT_EQ(r.money("a", Need::required), 12'500'000);
  EXPECT_EQ(r.money("b", Need::required), 1'250);
  EXPECT_FALSE(r.money("c", Need::required));
  EXPECT_FALSE(r.money("d", Need::required));
  EXPECT_FALSE(r.money("e", Need::required));
  EXPECT_FALSE(r.money("f", Need::required));
  EXPECT_TRUE(has_error(v, "c", "must be a string"));
  EXPECT_TRUE(has_error(v, "d", "decimal"));
  EXPECT_TRUE(has_error(v, "e", "decimal"));
  EXPECT_TRUE(has_error(v, "f", "decimal"));
  EXPECT_EQ(v.errors().size(), 4u);
}

TEST_F(ReaderTest, Dates) {
  auto r = reader(R"({"a": "2026-03-01", "b": "2026-02-30", "c": "2026-3-1", "d": 20260301})");
  EXPECT_EQ(r.date("a", Need::required), util::parse_date("2026-03-01"));
  EXPECT_FALSE(r.date("b", Need::required));
  EXPECT_FALSE(r.date("c", Need::required));
  EXPECT_FALSE(r.date("d", Need::required));
  EXPECT_TRUE(has_error(v, "b", "YYYY-MM-DD"));
  EXPECT_TRUE(has_error(v, "c", "YYYY-MM-DD"));
  EXPECT_TRUE(has_error(v, "d", "must be a string"));
}

TEST_F(ReaderTest, UuidsAreCheckedAndLowerCased) {
  auto r = reader(R"({"a": "0F8FAD5B-D9CB-469F-A165-70867728950E", "b": "not-a-uuid"})");
  EXPECT_EQ(r.uuid("a", Need::required), "0f8fad5b-d9cb-469f-a165-70867728950e");
  EXPECT_FALSE(r.uuid("b", Need::required));
  EXPECT_EQ(only_error(v), (FieldError{"b", "must be a UUID"}));
}

TEST_F(ReaderTest, NullableStringDistinguishesAbsentNullAndValue) {
  auto r = reader(R"({"n": null, "s": "x", "bad": 1})");
  EXPECT_FALSE(r.nullable_string("absent", 1, 10).has_value());
  const auto n = r.nullable_string("n", 1, 10);
  ASSERT_TRUE(n.has_value());
  EXPECT_FALSE(n->has_value());
  EXPECT_EQ(r.nullable_string("s", 1, 10), std::optional<std::string>("x"));
  EXPECT_FALSE(r.nullable_string("bad", 1, 10));
  EXPECT_EQ(only_error(v), (FieldError{"bad", "must be a string or null"}));
}

TEST_F(ReaderTest, NestedObjectsReportJsonPaths) {
  auto r = reader(R"({"geo": {"region": "", "remote": "yes", "extra": 1}})");
  auto g = r.object("geo", Need::required);
  ASSERT_TRUE(g);
  EXPECT_FALSE(g->string("region", Need::required, 1, 100));
  EXPECT_FALSE(g->boolean("remote", Need::required));
  EXPECT_FALSE(g->boolean("presence", Need::required));
  g->finish();
  r.finish();
  EXPECT_TRUE(has_error(v, "geo.region", "is required"));
  EXPECT_TRUE(has_error(v, "geo.remote", "must be a boolean"));
  EXPECT_TRUE(has_error(v, "geo.presence", "is required"));
  EXPECT_TRUE(has_error(v, "geo.extra", "is not allowed"));
  EXPECT_EQ(v.errors().size(), 4u);
}

TEST_F(ReaderTest, ObjectOfWrongType) {
  auto r = reader(R"({"geo": [1]})");
  EXPECT_FALSE(r.object("geo", Need::required));
  EXPECT_FALSE(r.object("missing", Need::required));
  EXPECT_TRUE(has_error(v, "geo", "must be an object"));
  EXPECT_TRUE(has_error(v, "missing", "is required"));
}

TEST_F(ReaderTest, ArraysReportIndexedPaths) {
  auto r = reader(R"({"s": ["a", 2, ""], "u": ["0f8fad5b-d9cb-469f-a165-70867728950e", "x"],
                      "d": ["2026-01-01", "nope"], "ok": ["x", "y"], "notarray": "x"})");
  EXPECT_FALSE(r.string_array("s", Need::required, 1, 10));
  EXPECT_FALSE(r.uuid_array("u", Need::required));
  EXPECT_FALSE(r.date_array("d", Need::required));
  EXPECT_EQ(r.string_array("ok", Need::required, 1, 10), (std::vector<std::string>{"x", "y"}));
  EXPECT_FALSE(r.string_array("notarray", Need::optional, 1, 10));
  EXPECT_TRUE(has_error(v, "s[1]", "must be a string"));
  EXPECT_TRUE(has_error(v, "s[2]", "is required"));
  EXPECT_TRUE(has_error(v, "u[1]", "must be a UUID"));
  EXPECT_TRUE(has_error(v, "d[1]", "YYYY-MM-DD"));
  EXPECT_TRUE(has_error(v, "notarray", "must be an array"));
  EXPECT_EQ(v.errors().size(), 5u);
}

TEST_F(ReaderTest, EveryProblemIsCollectedBeforeFailing) {
  auto r = reader(R"({"title": "", "priority": "NOPE", "annual_recurring_revenue": 5, "surprise": true})");
  r.string("title", Need::required, 1, 200);
  r.string("description", Need::required, 1, 2000);
  r.enumeration<domain::Priority>("priority", Need::required);
  r.money("annual_recurring_revenue", Need::required);
  r.finish();
  EXPECT_EQ(v.errors().size(), 5u);
  try {
    v.throw_if_failed();
    FAIL() << "expected a DomainError";
  } catch (const domain::DomainError& e) {
    EXPECT_EQ(e.code(), domain::ErrorCode::validation_error);
    EXPECT_EQ(e.errors().size(), 5u);
  }
}

}  // namespace
}  // namespace oms::http::json
