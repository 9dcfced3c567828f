#pragma once
// SQL for the transactional outbox: events written with the change they describe.
#include <optional>
#include <string>
#include <vector>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct OutboxEvent {
  std::string id;
  std::string event_type;
  std::string aggregate_id;
  std::int64_t version = 0;
  domain::Timestamp occurred_at{};
  std::string actor_id;
  std::string payload;  // JSON
  std::optional<domain::Timestamp> published_at;
};

class OutboxRepository {
 public:
  static awaitable<void> insert(Session& s, const OutboxEvent& e);
  // Every event of one aggregate in the order written (version, then occurrence).
  static awaitable<std::vector<OutboxEvent>> for_aggregate(Session& s, const std::string& aggregate_id);
  static awaitable<std::optional<OutboxEvent>> find(Session& s, const std::string& id);
  // The oldest unpublished event of each aggregate (in the order of for_aggregate) that has no job
  // of `job_type` keyed by its id yet, the aggregates with the oldest such events first: what the
  // relay may deliver next without breaking the per-aggregate order.
  static awaitable<std::vector<OutboxEvent>> undelivered_heads(Session& s, const std::string& job_type, int limit);
  // The next unpublished event of the aggregate after `after` in aggregate order, if any.
  static awaitable<std::optional<OutboxEvent>> next_unpublished(Session& s, const OutboxEvent& after);
  // Sets published_at once; false when it was already set.
  static awaitable<bool> mark_published(Session& s, const std::string& id, domain::Timestamp at);
};

}  // namespace oms::storage
