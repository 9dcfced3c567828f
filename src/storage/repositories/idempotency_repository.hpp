#pragma once
// SQL for Idempotency-Key records: (actor, key) -> the resource a create made.
#include <optional>
#include <string>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct IdempotencyRecord {
  std::string actor_id;
  std::string key;
  std::string route;
  std::string request_hash;
  std::string resource_id;
  domain::Timestamp created_at{};
};

class IdempotencyRepository {
 public:
  static awaitable<std::optional<IdempotencyRecord>> find(Session& s, const std::string& actor_id,
                                                          const std::string& key);
  // Throws UniqueViolation when a concurrent request stored the same (actor, key) first.
  static awaitable<void> insert(Session& s, const IdempotencyRecord& r);
};

}  // namespace oms::storage
