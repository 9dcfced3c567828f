#include "jobs/event_sinks.hpp"

#include <boost/json.hpp>
#include <stdexcept>

#include "jobs/signature.hpp"
#include "logging/logging.hpp"

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
  const HttpReply reply = co_await http_post(executor_, url_, std::move(headers), event.payload, options_.timeout);
  if (reply.status < 200 || reply.status > 299)
    throw std::runtime_error("webhook " + options_.url + " answered " + std::to_string(reply.status));
}

}  // namespace oms::jobs
