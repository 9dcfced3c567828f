#include "storage/repositories/outbox_repository.hpp"

namespace oms::storage {

awaitable<void> OutboxRepository::insert(Session& s, const OutboxEvent& e) {
  Params p{e.id,       e.event_type, e.aggregate_id,       e.version, param(e.occurred_at),
           e.actor_id, e.payload,    param(e.published_at)};
  co_await s.query(
      "INSERT INTO outbox_events (id, event_type, aggregate_id, version, occurred_at, actor_id, payload, "
      "published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      std::move(p));
}

awaitable<std::vector<OutboxEvent>> OutboxRepository::for_aggregate(Session& s, const std::string& aggregate_id) {
  Params p{aggregate_id};
  auto r = co_await s.query(
      "SELECT id, event_type, aggregate_id, version, occurred_at, actor_id, payload, published_at "
      "FROM outbox_events WHERE aggregate_id = $1 ORDER BY version, occurred_at, event_type",
      std::move(p));
  std::vector<OutboxEvent> out;
  for (const Row& row : r.rows)
    out.push_back({row.str(0), row.str(1), row.str(2), row.i64(3), row.timestamp(4), row.str(5), row.str(6),
                   row.opt_timestamp(7)});
  co_return out;
}

}  // namespace oms::storage
