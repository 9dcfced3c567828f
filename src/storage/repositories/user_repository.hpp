#pragma once
// SQL for the users oms has seen.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::storage {

class UserRepository {
 public:
  static awaitable<std::optional<domain::User>> find(Session& s, const std::string& id);
  // False when a concurrent first request recorded the same user first (nothing is written).
  static awaitable<bool> insert(Session& s, const domain::User& u);
  // Writes every column but id and first_seen_at.
  static awaitable<void> update(Session& s, const domain::User& u);
  // Ordered by (name, id); `after` is the last (name, id) seen.
  static awaitable<std::vector<domain::User>> list(Session& s,
                                                   const std::optional<std::pair<std::string, std::string>>& after,
                                                   int limit);
};

}  // namespace oms::storage
