#pragma once
// One X-Ray segment document being recorded: the segment (this service's work for one request or
// one job) and its tree of subsegments (database sessions and queries, outbound calls, steps).
// Span is a cheap handle to one node; every mutation takes the trace's lock, so spans may be
// started and ended from any I/O thread. A default-constructed Span is a no-op (not sampled,
// or over the subsegment cap), so instrumented code never needs to check.
//
// The document is what the X-Ray daemon accepts (docs: "AWS X-Ray segment documents"): name, id,
// trace_id, parent_id, start_time/end_time in epoch seconds, http.request/response, error/fault/
// throttle, annotations, metadata, and subsegments with namespace "remote" and "sql" for calls.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace oms::tracing {

class Trace;
struct SpanNode;

class Span {
 public:
  Span() = default;

  explicit operator bool() const noexcept { return node_ != nullptr; }
  // A subsegment started now (a no-op Span when this one is, or over the cap).
  Span start_child(std::string name) const;
  // Ends now; later calls do nothing.
  void end() const;

  const std::string& id() const;                  // "" for a no-op span
  void set_namespace(std::string_view ns) const;  // "remote" for calls to other services, "aws"
  // Any field of the document, e.g. set("sql", {...}), set("http", {...}).
  void set(std::string_view key, boost::json::value value) const;
  // One member of an object field, e.g. set("http", "response", {...}).
  void set(std::string_view key, std::string_view member, boost::json::value value) const;
  // Indexed, searchable key/values (strings, numbers, booleans).
  void annotate(std::string_view key, boost::json::value value) const;
  // error: 4xx; fault: 5xx or an exception; throttle: 429.
  void mark_error() const;
  void mark_fault() const;
  void mark_throttle() const;
  // Marks a fault and records the exception (type and message) in the span's `cause`.
  void record_exception(std::string_view message) const;

 private:
  friend class Trace;
  Span(Trace* trace, SpanNode* node) : trace_(trace), node_(node) {}
  Trace* trace_ = nullptr;
  SpanNode* node_ = nullptr;
};

class Trace {
 public:
  static constexpr std::size_t k_max_subsegments = 200;  // keeps a document below one datagram

  // A segment named `name` started now, in trace `trace_id`, child of `parent_id` ("" for none).
  Trace(std::string name, std::string trace_id, std::string parent_id);
  ~Trace();
  Trace(const Trace&) = delete;
  Trace& operator=(const Trace&) = delete;

  Span segment() { return Span(this, root_.get()); }
  const std::string& trace_id() const { return trace_id_; }
  const std::string& segment_id() const;

  // The segment document as JSON text (open spans are given the current time as end).
  std::string document() const;
  std::size_t subsegments() const;
  std::size_t dropped_subsegments() const;

 private:
  friend class Span;
  boost::json::object render(const SpanNode& node, double now, bool is_root) const;

  std::string trace_id_;
  std::string parent_id_;
  mutable std::mutex mutex_;
  std::unique_ptr<SpanNode> root_;
  std::size_t count_ = 0;
  std::size_t dropped_ = 0;
};

// Seconds since the epoch with microseconds, as X-Ray wants start_time and end_time.
double epoch_seconds(std::chrono::system_clock::time_point t);

}  // namespace oms::tracing
