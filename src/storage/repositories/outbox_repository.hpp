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
};

}  // namespace oms::storage
