#pragma once
// Steps shared by the opportunity use cases (internal to src/app).
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/opportunities.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"

namespace oms::app::detail {

// Lower-cased id, or NOT_FOUND when it is not a UUID (nothing could be stored under it).
std::string normalize_opportunity_id(const std::string& id);
[[noreturn]] void throw_opportunity_not_found();

enum class WriteAccess { owner_or_admin, system };

// Loads the whole aggregate for writing (row-locked in PostgreSQL), applies the policy and the
// If-Match check: NOT_FOUND, FORBIDDEN, PRECONDITION_FAILED.
awaitable<domain::Opportunity> load_for_write(UnitOfWork& uow, const Ctx& ctx, const std::string& id,
                                              ExpectedVersion expected, WriteAccess access);

struct FieldChange {
  std::string field;
  boost::json::value old_value;
  boost::json::value new_value;
};

struct Modification {
  std::string action;  // audit action, e.g. "opportunity.update"
  std::vector<FieldChange> changes;
  std::optional<std::string> reason;
  bool write_change_records = false;  // outside DRAFT (domain::check_modification)
};

// The start of a change to an opportunity's fields or parts: begins `uow` and loads the
// opportunity for writing by its owner or an admin (load_for_write).
awaitable<domain::Opportunity> begin_modification(UnitOfWork& uow, const Ctx& ctx, const std::string& id,
                                                  ExpectedVersion expected);

// The Modification record of `action` on `before`; domain::check_modification decides whether it
// writes change records (and refuses statuses that allow no change).
Modification modification_of(std::string action, const domain::Opportunity& before,
                             const std::optional<std::string>& reason);

// Bumps version and updated_at of `after`, writes the root row (optimistic check against
// `before.version`), one ChangeRecord per field when required, the audit entry and the
// opportunity.updated event. Parts must already be written by the caller.
awaitable<void> save_modification(UnitOfWork& uow, const domain::Opportunity& before, domain::Opportunity& after,
                                  const Modification& m);

struct StatusChange {
  std::string action;  // audit action, e.g. "opportunity.submit"
  std::optional<std::string> reason;
  EventSpec event;  // type and data; id and version are filled in
};

// Bumps version and updated_at of `after` (whose status is already changed), writes the root row,
// the StatusRecord, the audit entry and the event.
awaitable<void> save_status_change(UnitOfWork& uow, const domain::Opportunity& before, domain::Opportunity& after,
                                   const StatusChange& change);

// Writes the root row with the optimistic version check; PRECONDITION_FAILED when it lost a race.
awaitable<void> write_root(UnitOfWork& uow, const domain::Opportunity& o, std::int64_t expected_version);

std::string snapshot(const domain::Opportunity& o);

// customer_id must name an existing, active customer (adds to `v` on field "customer_id").
awaitable<void> check_customer_reference(storage::Session& s, domain::Validator& v, const std::string& customer_id);

}  // namespace oms::app::detail
