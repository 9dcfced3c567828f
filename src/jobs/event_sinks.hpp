#pragma once
// Where outbox events go. A sink publishes one event or throws; the delivery job then retries.
//   LogSink      one JSON line per event on standard output (type "event", the payload as "event")
//   WebhookSink  POST of the payload, exactly as stored, signed (jobs/signature.hpp), with
//                Oms-Event-Id and Oms-Event-Type headers; any status but 2xx is a failure
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "jobs/http_post.hpp"
#include "jobs/registry.hpp"
#include "storage/repositories/outbox_repository.hpp"

namespace oms::jobs {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual awaitable<void> publish(const storage::OutboxEvent& event) = 0;
};

class LogSink final : public EventSink {
 public:
  awaitable<void> publish(const storage::OutboxEvent& event) override;
};

struct WebhookOptions {
  std::string url;
  std::string secret;
  std::string key_id;
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
};

class WebhookSink final : public EventSink {
 public:
  // Throws std::invalid_argument for a URL that is not http(s)://host[:port][/path].
  WebhookSink(boost::asio::any_io_executor executor, WebhookOptions options);
  awaitable<void> publish(const storage::OutboxEvent& event) override;

 private:
  boost::asio::any_io_executor executor_;
  WebhookOptions options_;
  HttpUrl url_;
};

}  // namespace oms::jobs
