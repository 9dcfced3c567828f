#include "app/opportunity_support.hpp"

#include <boost/json.hpp>

#include "app/cached_reads.hpp"
#include "app/json_views.hpp"
#include "domain/modify.hpp"
#include "domain/policy.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app::detail {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;
using storage::OpportunityRepository;

void throw_opportunity_not_found() { throw DomainError(ErrorCode::not_found, "Opportunity not found."); }

std::string normalize_opportunity_id(const std::string& id) {
  if (!util::is_uuid(id)) throw_opportunity_not_found();
  return util::to_lower_ascii(id);
}

std::string snapshot(const domain::Opportunity& o) { return opportunity_json_text(o, true); }

awaitable<domain::Opportunity> load_for_write(UnitOfWork& uow, const Ctx& ctx, const std::string& id,
                                              ExpectedVersion expected, WriteAccess access) {
  const std::string key = normalize_opportunity_id(id);
  auto found = co_await OpportunityRepository::load(uow.session(), key, true);
  if (!found) throw_opportunity_not_found();
  if (access == WriteAccess::system)
    domain::require_system(ctx.actor, *found);
  else
    domain::require_owner_or_admin(ctx.actor, *found);
  if (expected && *expected != found->version)
    throw DomainError(
        ErrorCode::precondition_failed,
        "The opportunity is at version " + std::to_string(found->version) + ", not " + std::to_string(*expected) + ".");
  co_return std::move(*found);
}

awaitable<domain::Opportunity> begin_modification(UnitOfWork& uow, const Ctx& ctx, const std::string& id,
                                                  ExpectedVersion expected) {
  co_await uow.begin();
  co_return co_await load_for_write(uow, ctx, id, expected, WriteAccess::owner_or_admin);
}

Modification modification_of(std::string action, const domain::Opportunity& before,
                             const std::optional<std::string>& reason) {
  return Modification{std::move(action), {}, reason, domain::check_modification(before.status, reason)};
}

awaitable<void> write_root(UnitOfWork& uow, const domain::Opportunity& o, std::int64_t expected_version) {
  for (auto& key : cached::opportunity_keys(o.id)) uow.invalidate_after_commit(std::move(key));
  bool ok = co_await OpportunityRepository::update(uow.session(), o, expected_version);
  if (!ok) throw DomainError(ErrorCode::precondition_failed, "The opportunity was changed concurrently.");
}

awaitable<void> save_modification(UnitOfWork& uow, const domain::Opportunity& before, domain::Opportunity& after,
                                  const Modification& m) {
  after.version = before.version + 1;
  after.updated_at = uow.now();
  co_await write_root(uow, after, before.version);

  json::array fields;
  for (const auto& c : m.changes) {
    if (m.write_change_records) {
      domain::ChangeRecord r;
      r.id = uow.new_id();
      r.opportunity_id = after.id;
      r.field = c.field;
      r.old_value = json::serialize(c.old_value);
      r.new_value = json::serialize(c.new_value);
      r.changed_at = uow.now();
      r.changed_by = uow.actor_id();
      r.reason = m.reason;
      co_await OpportunityRepository::insert_change_record(uow.session(), r, after.version);
    }
    fields.push_back(json::object{{"field", c.field}, {"old_value", c.old_value}, {"new_value", c.new_value}});
  }

  AuditSpec audit{m.action, "opportunity", after.id, snapshot(before), snapshot(after)};
  co_await uow.audit(audit);
  EventSpec event{"opportunity.updated", after.id, after.version,
                  json::object{{"fields", std::move(fields)},
                               {"reason", m.reason ? json::value(*m.reason) : json::value(nullptr)}}};
  co_await uow.event(event);
}

awaitable<void> save_status_change(UnitOfWork& uow, const domain::Opportunity& before, domain::Opportunity& after,
                                   const StatusChange& change) {
  after.version = before.version + 1;
  after.updated_at = uow.now();
  co_await write_root(uow, after, before.version);

  domain::StatusRecord r;
  r.id = uow.new_id();
  r.opportunity_id = after.id;
  r.from_status = before.status;
  r.to_status = after.status;
  r.changed_at = uow.now();
  r.changed_by = uow.actor_id();
  r.reason = change.reason;
  co_await OpportunityRepository::insert_status_record(uow.session(), r, after.version);

  AuditSpec audit{change.action, "opportunity", after.id, snapshot(before), snapshot(after)};
  co_await uow.audit(audit);
  EventSpec event = change.event;
  event.aggregate_id = after.id;
  event.version = after.version;
  co_await uow.event(event);
}

}  // namespace oms::app::detail
