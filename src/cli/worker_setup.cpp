#include "cli/worker_setup.hpp"

namespace oms::cli {

jobs::WorkerOptions worker_options(const Config& c) {
  jobs::WorkerOptions o;
  o.runner.concurrency = c.worker_concurrency;
  o.runner.idle_poll = c.worker_poll;
  o.runner.lease = c.job_lease;
  o.runner.backoff.base = c.job_backoff_base;
  o.runner.backoff.cap = c.job_backoff_max;
  o.relay.max_attempts = c.job_max_attempts;
  o.relay_interval = c.outbox_relay_interval;
  o.depth_interval = std::min<std::chrono::milliseconds>(std::chrono::seconds(5), c.outbox_relay_interval * 5);
  o.emf_interval = c.metrics_emf_interval;
  o.retention = std::chrono::hours(24 * c.job_retention_days);
  o.environment = c.environment;
  o.log_sink = c.event_log_sink;
  for (const auto& url : c.webhook_urls)
    o.webhooks.push_back(jobs::WebhookOptions{url, c.webhook_secret.value_or(""), c.webhook_key_id, c.webhook_timeout});
  return o;
}

}  // namespace oms::cli
