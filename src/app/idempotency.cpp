#include "app/idempotency.hpp"

#include "domain/error.hpp"
#include "storage/repositories/idempotency_repository.hpp"

namespace oms::app::detail {
using domain::DomainError;
using domain::ErrorCode;

awaitable<std::optional<std::string>> find_replayed_resource(UnitOfWork& uow, const IdempotencyKey& idem,
                                                             std::string_view route) {
  auto prior = co_await storage::IdempotencyRepository::find(uow.session(), uow.actor_id(), idem.key);
  if (!prior) co_return std::nullopt;
  if (prior->route != route || prior->request_hash != idem.request_hash)
    throw DomainError(ErrorCode::conflict, "The Idempotency-Key was already used with a different request.");
  co_return prior->resource_id;
}

void throw_replayed_resource_removed() {
  throw DomainError(ErrorCode::conflict, "The Idempotency-Key refers to a removed resource.");
}

awaitable<void> record_idempotency_key(UnitOfWork& uow, const IdempotencyKey& idem, std::string_view route,
                                       const std::string& resource_id) {
  storage::IdempotencyRecord key{uow.actor_id(),    idem.key,    std::string(route),
                                 idem.request_hash, resource_id, uow.now()};
  try {
    co_await storage::IdempotencyRepository::insert(uow.session(), key);
  } catch (const storage::UniqueViolation&) {
    throw DomainError(ErrorCode::conflict, "A request with the same Idempotency-Key is in progress.");
  }
}

}  // namespace oms::app::detail
