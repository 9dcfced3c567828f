#include "http/yaml_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/builtin_routes.hpp"

namespace oms::http {
namespace {

namespace json = boost::json;

json::value yj(std::string_view y) { return yaml_to_json(y); }
json::value js(std::string_view j) { return json::parse(j); }

TEST(YamlToJson, NestedMappingsAndSequences) {
  auto v = yj(R"(openapi: 3.1.0
info:
  title: oms
  version: 0.1.0
tags:
  - name: opportunities
    description: The aggregate
  - name: skills
servers:
- url: http://localhost:8000
)");
  EXPECT_EQ(v, js(R"({"openapi":"3.1.0","info":{"title":"oms","version":"0.1.0"},
    "tags":[{"name":"opportunities","description":"The aggregate"},{"name":"skills"}],
    "servers":[{"url":"http://localhost:8000"}]})"));
}

TEST(YamlToJson, ScalarTypes) {
  auto v = yj(
      "a: 12\nb: -3\nc: 1.5\nd: true\ne: False\nf: null\ng: ~\nh:\ni: 1e3\nj: 0.1.0\nk: yes\nl: '12'\nm: \"true\"\n");
  EXPECT_EQ(v, js(R"({"a":12,"b":-3,"c":1.5,"d":true,"e":false,"f":null,"g":null,"h":null,"i":1000.0,
    "j":"0.1.0","k":"yes","l":"12","m":"true"})"));
}

TEST(YamlToJson, QuotedKeysAndStrings) {
  auto v = yj(R"(responses:
  '200':
    description: 'It''s fine'
  "404":
    description: "Tab\there \"quoted\" \u00e9 # not a comment"
  default: {description: x}
)");
  EXPECT_EQ(v, js(R"({"responses":{"200":{"description":"It's fine"},
    "404":{"description":"Tab\there \"quoted\" \u00e9 # not a comment"},"default":{"description":"x"}}})"));
}

TEST(YamlToJson, Comments) {
  auto v = yj(R"(# leading comment
a: 1 # trailing
# between
b:   # nothing here
  - x  # item
  # inside
  - y#not-a-comment
url: http://example.com/#anchor
)");
  EXPECT_EQ(v, js(R"({"a":1,"b":["x","y#not-a-comment"],"url":"http://example.com/#anchor"})"));
}

TEST(YamlToJson, LiteralBlockScalars) {
  auto v = yj("a: |\n  line one\n    indented\n\n  last\nb: |-\n  stripped\nc: |+\n  kept\n\nd: x\n");
  EXPECT_EQ(v.at("a"), json::value("line one\n  indented\n\nlast\n"));
  EXPECT_EQ(v.at("b"), json::value("stripped"));
  EXPECT_EQ(v.at("c"), json::value("kept\n\n"));
  EXPECT_EQ(v.at("d"), json::value("x"));
}

TEST(YamlToJson, FoldedBlockScalars) {
  auto v = yj("description: >\n  Folded text\n  continues here.\n\n  New paragraph.\nnext: >-\n  no newline\n");
  EXPECT_EQ(v.at("description"), json::value("Folded text continues here.\nNew paragraph.\n"));
  EXPECT_EQ(v.at("next"), json::value("no newline"));
}

TEST(YamlToJson, BlockScalarKeepsHashesAndColons) {
  auto v = yj("md: |\n  # Heading\n  key: value\n");
  EXPECT_EQ(v.at("md"), json::value("# Heading\nkey: value\n"));
}

TEST(YamlToJson, FlowCollections) {
  auto v = yj(R"(required: [title, 'description', "customer_id"]
enum: [LOW, MEDIUM,
  HIGH, CRITICAL]
empty: []
obj: {type: string, format: uuid, nested: [1, 2]}
none: {}
)");
  EXPECT_EQ(v, js(R"({"required":["title","description","customer_id"],"enum":["LOW","MEDIUM","HIGH","CRITICAL"],
    "empty":[],"obj":{"type":"string","format":"uuid","nested":[1,2]},"none":{}})"));
}

TEST(YamlToJson, SequencesOfSequencesAndRefs) {
  auto v = yj(R"(security:
  - bearer: []
schema:
  $ref: '#/components/schemas/Opportunity'
matrix:
  - - 1
    - 2
  - [3]
)");
  EXPECT_EQ(v, js(R"({"security":[{"bearer":[]}],"schema":{"$ref":"#/components/schemas/Opportunity"},
    "matrix":[[1,2],[3]]})"));
}

TEST(YamlToJson, MultiLinePlainAndQuotedScalars) {
  auto v = yj("a: first line\n  second line\nb: \"quoted\n  continues\"\nc: 1\n");
  EXPECT_EQ(v, js(R"({"a":"first line second line","b":"quoted continues","c":1})"));
}

TEST(YamlToJson, DocumentMarker) { EXPECT_EQ(yj("---\na: 1\n"), js(R"({"a":1})")); }

TEST(YamlToJson, RejectsWhatItDoesNotSupport) {
  EXPECT_THROW(yj("a: &x 1\nb: *x\n"), YamlError);
  EXPECT_THROW(yj("a: 1\na: 2\n"), YamlError);
  EXPECT_THROW(yj("a:\n\t- 1\n"), YamlError);
  EXPECT_THROW(yj("a: [1, 2\n"), YamlError);
  EXPECT_THROW(yj("a: \"open\n"), YamlError);
  EXPECT_THROW(yj("a:\n    b: 1\n  c: 2\n"), YamlError);
}

TEST(YamlToJson, ErrorsNameTheLine) {
  try {
    yj("a: 1\nb: 2\na: 3\n");
    FAIL();
  } catch (const YamlError& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
}

TEST(OpenApi, TheEmbeddedDocumentConverts) {
  const std::string& text = openapi_json();
  auto doc = json::parse(text);
  ASSERT_TRUE(doc.is_object());
  EXPECT_TRUE(doc.as_object().contains("openapi"));
  EXPECT_TRUE(doc.as_object().contains("paths"));
}

}  // namespace
}  // namespace oms::http
