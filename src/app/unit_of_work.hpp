#pragma once
// One write use case = one UnitOfWork: a read_write session, one clock reading for every
// timestamp it writes, and the side records that must commit with the change: hash-chained audit
// entries and outbox events. Destroying it without commit() rolls everything back.
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "storage/repositories/audit_repository.hpp"

namespace oms::app {

struct AuditSpec {
  std::string action;       // "opportunity.create", "skill.update", ...
  std::string entity_type;  // "opportunity", "skill", "customer", "user"
  std::string entity_id;
  std::optional<std::string> before;  // JSON text
  std::optional<std::string> after;   // JSON text
};

struct EventSpec {
  std::string event_type;  // "opportunity.created", ...
  std::string aggregate_id;
  std::int64_t version = 0;
  boost::json::object data;  // event-specific fields, merged into the payload
  // The payload's name for aggregate_id ("customer_id" for customer events).
  const char* aggregate_field = "opportunity_id";
};

// The zero hash that the first audit entry links to.
inline constexpr const char* k_audit_genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

// The format new entries are written in: PII sealed per subject (app/audit_pii.hpp).
inline constexpr int k_audit_format = 2;

// hash = sha256_hex(prev_hash + "\n" + canonical JSON of every other field of the entry); the
// `format` field is part of it from format 2 on (format 1 entries keep their original hash).
std::string audit_entry_hash(const domain::AuditEntry& row);

class UnitOfWork {
 public:
  UnitOfWork(Ports ports, std::string actor_id, std::string request_id, std::function<bool()> client_gone = {})
      : ports_(ports),
        actor_id_(std::move(actor_id)),
        request_id_(std::move(request_id)),
        client_gone_(std::move(client_gone)) {}
  UnitOfWork(Ports ports, const Ctx& ctx) : UnitOfWork(ports, ctx.actor.user_id, ctx.request_id, ctx.client_gone) {}

  // Throws DomainError(CLIENT_CLOSED) instead when the client has gone meanwhile (e.g. while
  // waiting for a connection): nothing is written for a request nobody waits for.
  awaitable<void> begin();
  storage::Session& session() { return *session_; }
  domain::Timestamp now() const noexcept { return now_; }
  std::string new_id() { return ports_.ids.next(); }
  const std::string& actor_id() const noexcept { return actor_id_; }

  // Returns the new entry's seq.
  awaitable<std::int64_t> audit(const AuditSpec& spec);
  // Payload: {event_id, event_type, occurred_at, actor_id, <aggregate_field>, version, ...data}.
  awaitable<void> event(const EventSpec& spec);
  // Deletes `key` from the cache once the transaction committed, before the use case returns
  // (so before its response is sent); see app/cached_reads.hpp.
  void invalidate_after_commit(std::string key) { invalidations_.push_back(std::move(key)); }
  awaitable<void> commit();

 private:
  Ports ports_;
  std::string actor_id_;
  std::string request_id_;
  std::function<bool()> client_gone_;
  std::unique_ptr<storage::Session> session_;
  domain::Timestamp now_{};
  std::vector<std::string> invalidations_;
};

}  // namespace oms::app
