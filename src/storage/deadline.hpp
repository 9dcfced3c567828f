#pragma once
// The readiness probe shared by the adapters: SELECT 1 in a read-write session, within 2 s.
#include <string>

#include "storage/database.hpp"

namespace oms::storage {

// "" when healthy, otherwise the error text (including a timeout).
awaitable<std::string> check_with_deadline(Database& db);

}  // namespace oms::storage
