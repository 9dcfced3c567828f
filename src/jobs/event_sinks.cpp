#include "jobs/event_sinks.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "jobs/signature.hpp"
#include "logging/logging.hpp"
#include "tracing/context.hpp"
#include "tracing/tracer.hpp"

namespace oms::jobs {

awaitable<void> LogSink::publish(const storage::OutboxEvent& event) {
  boost::json::object o;
  o["message"] = "outbox event " + event.event_type;
  o["event_id"] = event.id;
  o["event_type"] = event.event_type;
  boost::json::error_code ec;
  auto payload = boost::json::parse(event.payload, ec);
  if (ec) {
    o["event"] = event.payload;
  } else {
    o["event"] = std::move(payload);
  }
  logging::log_fields("event", std::move(o));
  co_return;
}

WebhookSink::WebhookSink(boost::asio::any_io_executor executor, WebhookOptions options)
    : executor_(std::move(executor)), options_(std::move(options)) {
  auto url = parse_http_url(options_.url);
  if (!url) throw std::invalid_argument("not an http:// or https:// URL: " + options_.url);
  url_ = *url;
}

awaitable<void> WebhookSink::publish(const storage::OutboxEvent& event) {
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::vector<std::pair<std::string, std::string>> headers{
      {"Content-Type", "application/json"},
      {"Oms-Event-Id", event.id},
      {"Oms-Event-Type", event.event_type},
      {k_signature_header, signature_header(options_.secret, options_.key_id, t, event.payload)}};
  // A "remote" subsegment of the job's trace (a no-op when the job is not traced).
  const tracing::Span parent = co_await tracing::current_span();
  const tracing::ScopedSpan call(parent.start_child(url_.host));
  call->set_namespace("remote");
  // The URL without its query, which may carry a credential.
  const boost::json::object request{{"method", "POST"}, {"url", options_.url.substr(0, options_.url.find('?'))}};
  call->set("http", "request", request);
  HttpReply reply;
  try {
    reply = co_await http_post(executor_, url_, std::move(headers), event.payload, options_.timeout);
  } catch (const std::exception& e) {
    call->record_exception(e.what());
    throw;
  }
  const boost::json::object response{{"status", reply.status}};
  call->set("http", "response", response);
  if (reply.status < 200 || reply.status > 299) {
    if (reply.status >= 500)
      call->mark_fault();
    else
      call->mark_error();
    throw std::runtime_error("webhook " + options_.url + " answered " + std::to_string(reply.status));
  }
}

}  // namespace oms::jobs
