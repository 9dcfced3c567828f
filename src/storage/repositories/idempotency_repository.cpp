#include "storage/repositories/idempotency_repository.hpp"

namespace oms::storage {

awaitable<std::optional<IdempotencyRecord>> IdempotencyRepository::find(Session& s, const std::string& actor_id,
                                                                        const std::string& key) {
  Params p{actor_id, key};
  auto r = co_await s.query(
      "SELECT actor_id, key, route, request_hash, resource_id, created_at FROM idempotency_keys "
      "WHERE actor_id = $1 AND key = $2",
      std::move(p));
  if (r.empty()) co_return std::nullopt;
  const Row& row = r.rows.front();
  co_return IdempotencyRecord{row.str(0), row.str(1), row.str(2), row.str(3), row.str(4), row.timestamp(5)};
}

awaitable<void> IdempotencyRepository::insert(Session& s, const IdempotencyRecord& r) {
  Params p{r.actor_id, r.key, r.route, r.request_hash, r.resource_id, param(r.created_at)};
  co_await s.query(
      "INSERT INTO idempotency_keys (actor_id, key, route, request_hash, resource_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      std::move(p));
}

}  // namespace oms::storage
