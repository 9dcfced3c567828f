#include "storage/repositories/outbox_repository.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_event_columns =
    "id, event_type, aggregate_id, version, occurred_at, actor_id, payload, published_at";

std::vector<OutboxEvent> read_events(const Result& r) {
  std::vector<OutboxEvent> out;
  for (const Row& row : r.rows)
    out.push_back({row.str(0), row.str(1), row.str(2), row.i64(3), row.timestamp(4), row.str(5), row.str(6),
                   row.opt_timestamp(7)});
  return out;
}

}  // namespace

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
  auto r =
      co_await s.query(std::string("SELECT ") + k_event_columns +
                           " FROM outbox_events WHERE aggregate_id = $1 ORDER BY version, occurred_at, event_type, id",
                       std::move(p));
  co_return read_events(r);
}

awaitable<std::optional<OutboxEvent>> OutboxRepository::find(Session& s, const std::string& id) {
  Params p{id};
  auto r =
      co_await s.query(std::string("SELECT ") + k_event_columns + " FROM outbox_events WHERE id = $1", std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_events(r).front();
}

awaitable<std::vector<OutboxEvent>> OutboxRepository::undelivered_heads(Session& s, const std::string& job_type,
                                                                        int limit) {
  Params p{job_type, std::int64_t{limit}};
  auto r = co_await s.query(
      std::string("SELECT ") + k_event_columns + " FROM (SELECT " + k_event_columns +
          ", row_number() OVER (PARTITION BY aggregate_id ORDER BY version, occurred_at, event_type, id) AS rn "
          "FROM outbox_events WHERE published_at IS NULL) heads WHERE rn = 1 AND NOT EXISTS (SELECT 1 FROM jobs "
          "WHERE jobs.type = $1 AND jobs.idempotency_key = CAST(heads.id AS TEXT)) ORDER BY occurred_at, id LIMIT $2",
      std::move(p));
  co_return read_events(r);
}

awaitable<std::optional<OutboxEvent>> OutboxRepository::next_unpublished(Session& s, const OutboxEvent& after) {
  Params p{after.aggregate_id, after.version, param(after.occurred_at), after.event_type, after.id};
  auto r = co_await s.query(
      std::string("SELECT ") + k_event_columns +
          " FROM outbox_events WHERE aggregate_id = $1 AND published_at IS NULL AND (version > $2 OR (version = $2 "
          "AND (occurred_at > $3 OR (occurred_at = $3 AND (event_type > $4 OR (event_type = $4 AND id > $5)))))) "
          "ORDER BY version, occurred_at, event_type, id LIMIT 1",
      std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_events(r).front();
}

awaitable<bool> OutboxRepository::mark_published(Session& s, const std::string& id, domain::Timestamp at) {
  Params p{id, param(at)};
  auto r = co_await s.query("UPDATE outbox_events SET published_at = $2 WHERE id = $1 AND published_at IS NULL",
                            std::move(p));
  co_return r.affected > 0;
}

}  // namespace oms::storage
