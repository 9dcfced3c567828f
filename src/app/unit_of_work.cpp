#include "app/unit_of_work.hpp"

#include <boost/json.hpp>

#include "app/audit_pii.hpp"
#include "app/json_views.hpp"
#include "domain/error.hpp"
#include "storage/repositories/outbox_repository.hpp"
#include "util/encoding.hpp"
#include "util/json_writer.hpp"
#include "util/time.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {
// The canonical JSON of a stored snapshot (null when absent), its tree parsed in a stack block.
void append_canonical_snapshot(std::string& out, const std::optional<std::string>& text) {
  if (!text) {
    out += "null";
    return;
  }
  unsigned char block[8192];
  json::monotonic_resource arena(block, sizeof block);
  append_canonical_json(out, json::parse(*text, &arena));
}
}  // namespace

// The canonical JSON of the entry's fields, written directly in sorted key order (what
// canonical_json of the same object gives, pinned by audit_hash_test) into one string: building a
// json::object per entry, and a string per key and value, was most of an entry's hashing cost,
// paid inside the single SQLite writer on every audited write and on every audited admin read.
std::string audit_entry_hash(const domain::AuditEntry& row) {
  std::string text;
  text.reserve(row.prev_hash.size() + (row.before ? row.before->size() : 0) + (row.after ? row.after->size() : 0) +
               512);
  text += row.prev_hash;
  text += "\n{\"action\":";
  util::append_json_string(text, row.action);
  text += ",\"actor_id\":";
  util::append_json_string(text, row.actor_id);
  text += ",\"after\":";
  append_canonical_snapshot(text, row.after);
  text += ",\"at\":";
  util::append_json_string(text, util::format_timestamp(row.at));
  text += ",\"before\":";
  append_canonical_snapshot(text, row.before);
  text += ",\"entity_id\":";
  util::append_json_string(text, row.entity_id);
  text += ",\"entity_type\":";
  util::append_json_string(text, row.entity_type);
  // Format 1 (entries written before migration 0006) is hashed exactly as it always was; later
  // formats hash their number too, so an entry cannot be passed off as another format.
  if (row.format != 1) {
    text += ",\"format\":";
    text += std::to_string(row.format);
  }
  text += ",\"id\":";
  util::append_json_string(text, row.id);
  text += ",\"prev_hash\":";
  util::append_json_string(text, row.prev_hash);
  text += ",\"request_id\":";
  util::append_json_string(text, row.request_id);
  text += ",\"seq\":";
  text += std::to_string(row.seq);
  text += '}';
  return util::sha256_hex(text);
}

awaitable<void> UnitOfWork::begin() {
  session_ = co_await ports_.db.begin(storage::Access::read_write);
  // Checked after the pool wait, the longest part of a busy begin; from here on the write runs
  // to its end even if the client leaves (and a retry with its Idempotency-Key replays it).
  if (client_gone_ && client_gone_()) {
    session_.reset();
    throw domain::DomainError(domain::ErrorCode::client_closed, "The client closed the connection before the write.");
  }
  now_ = ports_.clock.now();
}

awaitable<std::int64_t> UnitOfWork::audit(const AuditSpec& spec) {
  // Sealed first: the chain head stays locked only for the append itself.
  auto before = co_await seal_audit_payload(*session_, ports_.ids, now_, spec.entity_type, spec.entity_id, spec.before);
  auto after = co_await seal_audit_payload(*session_, ports_.ids, now_, spec.entity_type, spec.entity_id, spec.after);
  storage::AuditHead head = co_await storage::AuditRepository::head_for_append(*session_);
  domain::AuditEntry row;
  row.seq = head.last_seq + 1;
  row.id = ports_.ids.next();
  row.at = now_;
  row.actor_id = actor_id_;
  row.action = spec.action;
  row.entity_type = spec.entity_type;
  row.entity_id = spec.entity_id;
  row.request_id = request_id_;
  row.format = k_audit_format;
  row.before = std::move(before);
  row.after = std::move(after);
  row.prev_hash = head.last_hash;
  row.hash = audit_entry_hash(row);
  co_await storage::AuditRepository::append(*session_, row);
  co_return row.seq;
}

awaitable<void> UnitOfWork::event(const EventSpec& spec) {
  storage::OutboxEvent e;
  e.id = ports_.ids.next();
  e.event_type = spec.event_type;
  e.aggregate_id = spec.aggregate_id;
  e.version = spec.version;
  e.occurred_at = now_;
  e.actor_id = actor_id_;
  json::object payload{{"event_id", e.id},
                       {"event_type", e.event_type},
                       {"occurred_at", util::format_timestamp(now_)},
                       {"actor_id", actor_id_},
                       {spec.aggregate_field, spec.aggregate_id},
                       {"version", spec.version}};
  for (const auto& kv : spec.data) payload[kv.key()] = kv.value();
  e.payload = json::serialize(payload);
  co_await storage::OutboxRepository::insert(*session_, e);
}

awaitable<void> UnitOfWork::commit() {
  std::exception_ptr failure;
  try {
    co_await session_->commit();
  } catch (...) {
    failure = std::current_exception();  // the outcome may be unknown: invalidate anyway
  }
  if (ports_.cache)
    for (auto& key : invalidations_) co_await ports_.cache->invalidate(std::move(key));
  invalidations_.clear();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace oms::app
