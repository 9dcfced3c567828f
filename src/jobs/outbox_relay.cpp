#include "jobs/outbox_relay.hpp"

#include <boost/json.hpp>

#include "storage/repositories/job_repository.hpp"
#include "storage/repositories/outbox_repository.hpp"

namespace oms::jobs {

storage::NewJob delivery_job(const storage::OutboxEvent& event, std::string id, domain::Timestamp now,
                             std::int64_t max_attempts) {
  boost::json::object payload{{"event_id", event.id}, {"aggregate_id", event.aggregate_id}};
  return storage::NewJob{
      std::move(id), k_outbox_delivery, event.id, boost::json::serialize(payload), max_attempts, now, now};
}

OutboxRelay::OutboxRelay(storage::Database& db, domain::Clock& clock, domain::IdGenerator& ids,
                         std::vector<std::unique_ptr<EventSink>> sinks, RelayOptions options)
    : db_(db), clock_(clock), ids_(ids), sinks_(std::move(sinks)), options_(options) {}

awaitable<int> OutboxRelay::scan() {
  // Looked for in a read transaction, so an idle scan never takes SQLite's writer; enqueueing is
  // idempotent by key, so a head another scan or a delivery enqueued meanwhile is not doubled.
  std::vector<storage::OutboxEvent> heads;
  {
    auto session = co_await db_.begin(storage::Access::read_only);
    heads = co_await storage::OutboxRepository::undelivered_heads(*session, k_outbox_delivery, options_.batch);
    co_await session->commit();
  }
  if (heads.empty()) co_return 0;
  int added = 0;
  auto session = co_await db_.begin(storage::Access::read_write);
  const auto now = clock_.now();
  for (const auto& event : heads) {
    const storage::NewJob job = delivery_job(event, ids_.next(), now, options_.max_attempts);
    if (co_await storage::JobRepository::enqueue(*session, job)) ++added;
  }
  co_await session->commit();
  co_return added;
}

awaitable<void> OutboxRelay::deliver(const storage::JobRow& job) {
  boost::json::error_code ec;
  const auto payload = boost::json::parse(job.payload, ec);
  if (ec || !payload.is_object() || !payload.as_object().contains("event_id") ||
      !payload.as_object().at("event_id").is_string())
    throw PermanentJobError("payload without event_id");
  const std::string event_id(payload.as_object().at("event_id").as_string());

  std::optional<storage::OutboxEvent> event;
  {
    auto session = co_await db_.begin(storage::Access::read_write);
    event = co_await storage::OutboxRepository::find(*session, event_id);
    co_await session->commit();
  }
  if (!event) throw PermanentJobError("no outbox event " + event_id);
  if (!event->published_at) {
    for (auto& sink : sinks_) co_await sink->publish(*event);
  }
  auto session = co_await db_.begin(storage::Access::read_write);
  const auto now = clock_.now();
  co_await storage::OutboxRepository::mark_published(*session, event->id, now);
  if (auto next = co_await storage::OutboxRepository::next_unpublished(*session, *event)) {
    const storage::NewJob follow = delivery_job(*next, ids_.next(), now, options_.max_attempts);
    co_await storage::JobRepository::enqueue(*session, follow);
  }
  co_await session->commit();
}

void OutboxRelay::register_handler(HandlerRegistry& registry) {
  registry.add(k_outbox_delivery, [this](const storage::JobRow& job) { return deliver(job); });
}

}  // namespace oms::jobs
