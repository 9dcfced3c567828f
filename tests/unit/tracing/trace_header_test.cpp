// Trace context headers: X-Amzn-Trace-Id and W3C traceparent, and the id conversion between them.
#include "tracing/trace_header.hpp"

#include <gtest/gtest.h>

namespace oms::tracing {
namespace {

TEST(TraceHeader, XRayAndW3cIdsAreTheSameBits) {
  EXPECT_EQ(xray_to_w3c("1-5759e988-bd862e3fe1be46a994272793"), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(w3c_to_xray("5759e988bd862e3fe1be46a994272793"), "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(w3c_to_xray(xray_to_w3c("1-00000001-000000000000000000000002")), "1-00000001-000000000000000000000002");
  EXPECT_EQ(xray_to_w3c("2-5759e988-bd862e3fe1be46a994272793"), "");
  EXPECT_EQ(xray_to_w3c("1-5759e988-bd862e3fe1be46a99427279"), "");
  EXPECT_EQ(w3c_to_xray(std::string(32, '0')), "");
  EXPECT_EQ(w3c_to_xray("5759e988bd862e3fe1be46a99427279g"), "");
}

TEST(TraceHeader, ParsesTheAlbsHeaderWithParentAndDecision) {
  auto c = parse_amzn_trace_id(
      "Self=1-67891234-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793;"
      "Parent=53995c3f42cd8ad8;Sampled=1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->trace_id, "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(c->parent_id, "53995c3f42cd8ad8");
  EXPECT_EQ(c->sampled, std::optional<bool>(true));

  c = parse_amzn_trace_id("Root=1-5759E988-BD862E3FE1BE46A994272793; Sampled=0");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->trace_id, "1-5759e988-bd862e3fe1be46a994272793");  // lower-cased
  EXPECT_EQ(c->parent_id, "");
  EXPECT_EQ(c->sampled, std::optional<bool>(false));

  c = parse_amzn_trace_id("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->sampled.has_value());  // the decision is left to us

  EXPECT_FALSE(parse_amzn_trace_id("Sampled=1"));
  EXPECT_FALSE(parse_amzn_trace_id("Root=garbage;Sampled=1"));
  EXPECT_FALSE(parse_amzn_trace_id(""));
}

TEST(TraceHeader, ParsesTraceparentIntoTheXRayForm) {
  auto c = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->trace_id, "1-4bf92f35-77b34da6a3ce929d0e0e4736");
  EXPECT_EQ(c->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(c->sampled, std::optional<bool>(true));
  c = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sampled, std::optional<bool>(false));
  // A later version may append fields.
  EXPECT_TRUE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));

  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
  EXPECT_FALSE(parse_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));
  EXPECT_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"));
  EXPECT_FALSE(parse_traceparent("garbage"));
}

TEST(TraceHeader, NewIdsAreWellFormedAndCarryTheEpoch) {
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(0x5759e988));
  const std::string id = new_trace_id(now);
  EXPECT_TRUE(is_xray_trace_id(id)) << id;
  EXPECT_EQ(id.substr(0, 11), "1-5759e988-");
  EXPECT_NE(new_trace_id(now), id);
  EXPECT_TRUE(is_span_id(new_span_id()));
}

TEST(TraceHeader, FormatsTheResponseHeaders) {
  EXPECT_EQ(format_amzn_trace_id("1-5759e988-bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true),
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
  EXPECT_EQ(format_traceparent("1-5759e988-bd862e3fe1be46a994272793", "53995c3f42cd8ad8", false),
            "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00");
}

}  // namespace
}  // namespace oms::tracing
