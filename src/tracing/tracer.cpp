#include "tracing/tracer.hpp"

#include <boost/json.hpp>

namespace oms::tracing {

Tracer::Tracer(boost::asio::any_io_executor executor, TracerOptions options) : options_(std::move(options)) {
  if (!options_.enabled) return;
  try {
    emitter_ = std::make_unique<XRayEmitter>(std::move(executor), options_.daemon_address);
  } catch (const std::exception& e) {
    error_ = std::string("X-Ray daemon address \"") + options_.daemon_address + "\": " + e.what();
  }
}

bool Tracer::sample(const std::optional<bool>& caller_decision) {
  if (!enabled()) return false;
  if (caller_decision) return *caller_decision;
  if (options_.sample_rate <= 0) return false;
  if (options_.sample_rate >= 1) return true;
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random_) < options_.sample_rate;
}

std::unique_ptr<Trace> Tracer::start(std::string name, const TraceContext& context) {
  if (!enabled()) return nullptr;
  std::string trace_id =
      is_xray_trace_id(context.trace_id) ? context.trace_id : new_trace_id(std::chrono::system_clock::now());
  auto trace = std::make_unique<Trace>(std::move(name), std::move(trace_id),
                                       is_span_id(context.parent_id) ? context.parent_id : std::string());
  if (!options_.origin.empty()) trace->segment().set("origin", boost::json::string(options_.origin));
  return trace;
}

void Tracer::finish(Trace& trace) {
  if (!enabled()) return;
  try {
    trace.segment().end();
    emitter_->send(trace.document());
  } catch (const std::exception&) {
    ++failed_;  // a trace is never worth failing the work it describes
  }
}

std::string Tracer::render_metrics() const {
  std::string out;
  out += "# HELP xray_segments_total X-Ray segment documents sent to the daemon, by outcome.\n";
  out += "# TYPE xray_segments_total counter\n";
  out += "xray_segments_total{outcome=\"sent\"} " + std::to_string(segments_sent()) + "\n";
  out += "xray_segments_total{outcome=\"failed\"} " + std::to_string(segments_failed()) + "\n";
  return out;
}

}  // namespace oms::tracing
