#pragma once
// The tracing API: decides which units of work are sampled, starts their X-Ray segments and
// sends them to the daemon when they end.
//
//   HTTP requests (src/http/pipeline.cpp): the trace id comes from the request's `traceparent`
//   or `X-Amzn-Trace-Id` (or is new), the caller's Sampled decision is honoured, otherwise the
//   sample rate decides; the segment is the request, its subsegments the database work.
//
//   Jobs (for the worker): one segment per job run, in its own trace or the trace that enqueued
//   it (store the X-Ray trace id with the job):
//       auto trace = tracer.start("oms-worker", tracing::TraceContext{job.trace_id, "", {}});
//       if (trace) {
//         trace->segment().annotate("job_type", job.type);
//         co_await tracing::with_span(trace->segment(), run(job));  // DB work becomes subsegments
//         tracer.finish(*trace);                                  // ends and sends it
//       }
//   and inside any traced coroutine, a step of its own:
//       tracing::Span parent = co_await tracing::current_span();
//       tracing::Span step = parent.start_child("deliver webhook");
//       step.set_namespace("remote");  ...  step.end();
//   (ScopedSpan below ends it on every path.)
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "tracing/context.hpp"
#include "tracing/trace.hpp"
#include "tracing/trace_header.hpp"
#include "tracing/xray_emitter.hpp"

namespace oms::tracing {

struct TracerOptions {
  bool enabled = false;  // off: nothing is sampled or sent (ids are still made)
  std::string daemon_address = "127.0.0.1:2000";
  double sample_rate = 0.05;  // 0..1, for work whose caller made no decision
  std::string origin;         // e.g. "AWS::ECS::Container"; "" leaves it out
};

class Tracer {
 public:
  // A disabled tracer.
  Tracer() = default;
  // When the daemon address cannot be used (malformed, or a host name that does not resolve),
  // tracing stays off and error() says why: traces are never worth refusing to serve.
  Tracer(boost::asio::any_io_executor executor, TracerOptions options);

  bool enabled() const noexcept { return emitter_ != nullptr; }
  const std::string& error() const noexcept { return error_; }
  // The caller's decision when it made one, else a draw at the sample rate (false when disabled).
  bool sample(const std::optional<bool>& caller_decision);
  // A trace for sampled work, in trace `context.trace_id` (a new one when empty) under
  // `context.parent_id`; nullptr when disabled.
  std::unique_ptr<Trace> start(std::string name, const TraceContext& context);
  // Ends the segment and sends the document; never throws.
  void finish(Trace& trace);

  std::uint64_t segments_sent() const noexcept { return emitter_ ? emitter_->sent() : 0; }
  std::uint64_t segments_failed() const noexcept { return (emitter_ ? emitter_->failed() : 0) + failed_.load(); }
  // Prometheus text of the two counters above.
  std::string render_metrics() const;

 private:
  TracerOptions options_;
  std::unique_ptr<XRayEmitter> emitter_;
  std::string error_;
  std::mutex mutex_;
  std::mt19937_64 random_{std::random_device{}()};
  std::atomic<std::uint64_t> failed_{0};
};

// Ends the span when it leaves scope (also when an exception passes).
class ScopedSpan {
 public:
  explicit ScopedSpan(Span span) : span_(span) {}
  ~ScopedSpan() { span_.end(); }
  ScopedSpan(const ScopedSpan&) = delete;
  ScopedSpan& operator=(const ScopedSpan&) = delete;
  const Span& operator*() const { return span_; }
  const Span* operator->() const { return &span_; }

 private:
  Span span_;
};

}  // namespace oms::tracing
