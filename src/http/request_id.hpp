#pragma once
// Request ids and trace ids: taken from the client when well-formed, otherwise generated.
#include <string>
#include <string_view>

#include "http/message.hpp"
#include "tracing/trace_header.hpp"

namespace oms::http {

// 1..128 characters of [A-Za-z0-9._-].
bool is_valid_request_id(std::string_view id) noexcept;
// A random (version 4) UUID.
std::string generate_request_id();
// X-Request-Id when valid, else a new id.
std::string request_id_for(const Request& request);

// The trace id of W3C `traceparent` (32 hex) or, failing that, the Root of the ALB's
// `X-Amzn-Trace-Id` ("1-5759e988-bd862e3fe1be46a994272793"); empty when there is none.
std::string trace_id_for(const Request& request);

// The caller's trace context: a valid W3C `traceparent` (its id converted to the X-Ray form),
// else a valid `X-Amzn-Trace-Id` Root (with Parent and Sampled when given); nullopt when neither.
// traceparent wins because it is what a client propagates end to end; the ALB adds an
// X-Amzn-Trace-Id only when the request has none, and X-Ray accepts W3C ids as they are.
std::optional<tracing::TraceContext> trace_context_for(const Request& request);

}  // namespace oms::http
