#pragma once
// Idempotency-Key handling shared by the create use cases (internal to src/app): look the key up
// before creating, record it with the created resource in the same transaction.
#include <optional>
#include <string>
#include <string_view>

#include "app/context.hpp"
#include "app/unit_of_work.hpp"

namespace oms::app::detail {

// The id of the resource a prior request with this key created, when the key was already used
// for this same route and request; nullopt for a new key. CONFLICT when it was used for another
// request.
awaitable<std::optional<std::string>> find_replayed_resource(UnitOfWork& uow, const IdempotencyKey& idem,
                                                             std::string_view route);

// CONFLICT: the resource a replayed key refers to no longer exists.
[[noreturn]] void throw_replayed_resource_removed();

// Stores the key with the resource it created; CONFLICT when a concurrent request with the same
// key got there first.
awaitable<void> record_idempotency_key(UnitOfWork& uow, const IdempotencyKey& idem, std::string_view route,
                                       const std::string& resource_id);

}  // namespace oms::app::detail
