#pragma once
// Trace context on the wire: AWS X-Ray's `X-Amzn-Trace-Id` ("Root=1-5759e988-bd862e3fe1be46a994272793;
// Parent=53995c3f42cd8ad8;Sampled=1", as the ALB sends it) and W3C `traceparent`
// ("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"). The two trace ids are the same
// 128 bits: X-Ray's "1-<8 hex epoch seconds>-<24 hex>" is W3C's 32 hex without the dashes, so a
// trace keeps its id whichever header carried it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace oms::tracing {

struct TraceContext {
  std::string trace_id;         // X-Ray form: 1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx (lowercase hex)
  std::string parent_id;        // 16 hex: the caller's segment or span; "" when none
  std::optional<bool> sampled;  // the caller's decision; nullopt when it made none ("Sampled=?")
};

bool is_xray_trace_id(std::string_view id) noexcept;
bool is_span_id(std::string_view id) noexcept;  // 16 lowercase hex, not all zero

// "" when the input is not a valid id of the other form.
std::string xray_to_w3c(std::string_view xray_trace_id);
std::string w3c_to_xray(std::string_view w3c_trace_id);

// nullopt when the header has no valid Root (X-Ray) or is not a valid version-00 traceparent.
std::optional<TraceContext> parse_amzn_trace_id(std::string_view header);
std::optional<TraceContext> parse_traceparent(std::string_view header);

// A new X-Ray trace id whose first part is `now` in epoch seconds, and a new 16-hex span id.
std::string new_trace_id(std::chrono::system_clock::time_point now);
std::string new_span_id();

// Response headers naming the trace and this service's segment.
std::string format_amzn_trace_id(std::string_view trace_id, std::string_view segment_id, bool sampled);
std::string format_traceparent(std::string_view trace_id, std::string_view segment_id, bool sampled);

}  // namespace oms::tracing
