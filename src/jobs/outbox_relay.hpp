#pragma once
// Delivers the transactional outbox, at least once and in order per aggregate (opportunity).
//
// Design: one queue job per event (type outbox.deliver, idempotency key = the event id), and at
// most one such job per aggregate at a time: the job of an aggregate's oldest unpublished event.
// When it succeeds it marks the event published and, in the same transaction, enqueues the job of
// the aggregate's next unpublished event; scan() (run every relay interval by every worker)
// enqueues the head of any aggregate that has none, e.g. after new events were written. Enqueueing
// is idempotent by key, so concurrent scans and a scan racing a delivery add nothing twice. The
// queue supplies retries, backoff and the dead letter; an aggregate whose head is DEAD waits (its
// later events are not skipped) until an admin retries the job. Handlers are idempotent: an event
// already published is not sent again. Consumers de-duplicate by event_id (a lost
// acknowledgement makes the same event arrive twice).
#include <memory>
#include <vector>

#include "domain/clock.hpp"
#include "jobs/event_sinks.hpp"
#include "jobs/registry.hpp"
#include "storage/database.hpp"

namespace oms::jobs {

inline constexpr const char* k_outbox_delivery = "outbox.deliver";

struct RelayOptions {
  int batch = 200;  // aggregates looked at per scan
  std::int64_t max_attempts = 10;
};

class OutboxRelay {
 public:
  OutboxRelay(storage::Database& db, domain::Clock& clock, domain::IdGenerator& ids,
              std::vector<std::unique_ptr<EventSink>> sinks, RelayOptions options);

  // Enqueues the delivery job of every aggregate head that has none; returns how many were added.
  awaitable<int> scan();
  // The outbox.deliver handler.
  awaitable<void> deliver(const storage::JobRow& job);
  void register_handler(HandlerRegistry& registry);

 private:
  storage::Database& db_;
  domain::Clock& clock_;
  domain::IdGenerator& ids_;
  std::vector<std::unique_ptr<EventSink>> sinks_;
  RelayOptions options_;
};

// The job row of the delivery of `event`.
storage::NewJob delivery_job(const storage::OutboxEvent& event, std::string id, domain::Timestamp now,
                             std::int64_t max_attempts);

}  // namespace oms::jobs
