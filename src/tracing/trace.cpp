#include "tracing/trace.hpp"

#include <boost/json.hpp>

#include "tracing/trace_header.hpp"

namespace oms::tracing {

struct SpanNode {
  std::string id;
  std::string name;
  double start = 0;
  double end = 0;  // 0 while open
  std::string ns;
  boost::json::object fields;
  boost::json::object annotations;
  bool error = false;
  bool fault = false;
  bool throttle = false;
  std::vector<std::unique_ptr<SpanNode>> children;
};

namespace {

double now_seconds() { return epoch_seconds(std::chrono::system_clock::now()); }

const std::string k_empty;

}  // namespace

double epoch_seconds(std::chrono::system_clock::time_point t) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  return static_cast<double>(us) / 1e6;
}

// ---------------------------------------------------------------- Span

Span Span::start_child(std::string name) const {
  if (node_ == nullptr) return {};
  std::lock_guard lock(trace_->mutex_);
  if (trace_->count_ >= Trace::k_max_subsegments) {
    ++trace_->dropped_;
    return {};
  }
  auto child = std::make_unique<SpanNode>();
  child->id = new_span_id();
  child->name = std::move(name);
  child->start = now_seconds();
  SpanNode* raw = child.get();
  node_->children.push_back(std::move(child));
  ++trace_->count_;
  return Span(trace_, raw);
}

void Span::end() const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  if (node_->end == 0) node_->end = std::max(now_seconds(), node_->start);
}

const std::string& Span::id() const { return node_ == nullptr ? k_empty : node_->id; }

void Span::set_namespace(std::string_view ns) const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->ns = std::string(ns);
}

void Span::set(std::string_view key, boost::json::value value) const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->fields[key] = std::move(value);
}

void Span::set(std::string_view key, std::string_view member, boost::json::value value) const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  auto& field = node_->fields[key];
  if (!field.is_object()) field = boost::json::object{};
  field.as_object()[member] = std::move(value);
}

void Span::annotate(std::string_view key, boost::json::value value) const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->annotations[key] = std::move(value);
}

void Span::mark_error() const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->error = true;
}

void Span::mark_fault() const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->fault = true;
}

void Span::mark_throttle() const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->throttle = true;
}

void Span::record_exception(std::string_view message) const {
  if (node_ == nullptr) return;
  std::lock_guard lock(trace_->mutex_);
  node_->fault = true;
  boost::json::object exception;
  exception["id"] = new_span_id();
  exception["message"] = message;
  boost::json::array exceptions;
  exceptions.push_back(std::move(exception));
  boost::json::object cause;
  cause["exceptions"] = std::move(exceptions);
  node_->fields["cause"] = std::move(cause);
}

// ---------------------------------------------------------------- Trace

Trace::Trace(std::string name, std::string trace_id, std::string parent_id)
    : trace_id_(std::move(trace_id)), parent_id_(std::move(parent_id)), root_(std::make_unique<SpanNode>()) {
  root_->id = new_span_id();
  root_->name = std::move(name);
  root_->start = now_seconds();
}

Trace::~Trace() = default;

const std::string& Trace::segment_id() const { return root_->id; }

std::size_t Trace::subsegments() const {
  std::lock_guard lock(mutex_);
  return count_;
}

std::size_t Trace::dropped_subsegments() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

boost::json::object Trace::render(const SpanNode& node, double now, bool is_root) const {
  boost::json::object o = node.fields;
  o["name"] = node.name;
  o["id"] = node.id;
  o["start_time"] = node.start;
  o["end_time"] = node.end == 0 ? std::max(now, node.start) : node.end;
  if (is_root) {
    o["trace_id"] = trace_id_;
    if (!parent_id_.empty()) o["parent_id"] = parent_id_;
  }
  if (!node.ns.empty()) o["namespace"] = node.ns;
  if (node.error) o["error"] = true;
  if (node.fault) o["fault"] = true;
  if (node.throttle) o["throttle"] = true;
  if (!node.annotations.empty()) o["annotations"] = node.annotations;
  if (!node.children.empty()) {
    boost::json::array subs;
    for (const auto& child : node.children) subs.push_back(render(*child, now, false));
    o["subsegments"] = std::move(subs);
  }
  return o;
}

std::string Trace::document() const {
  std::lock_guard lock(mutex_);
  boost::json::object doc = render(*root_, now_seconds(), true);
  if (dropped_ > 0) {
    auto& annotations = doc["annotations"];
    if (!annotations.is_object()) annotations = boost::json::object{};
    annotations.as_object()["dropped_subsegments"] = dropped_;
  }
  return boost::json::serialize(doc);
}

}  // namespace oms::tracing
