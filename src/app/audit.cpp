// Use cases of the audit log: admins query it and verify its hash chain.
#include "app/audit.hpp"

#include "app/audit_pii.hpp"
#include "app/audit_redaction.hpp"
#include "app/paging.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "storage/repositories/audit_repository.hpp"

namespace oms::app {
using domain::DomainError;
using domain::ErrorCode;

namespace {
constexpr const char* k_audit_cursor_spec = "audit";
constexpr int k_verify_batch = 500;
}  // namespace

awaitable<Page<domain::AuditEntry>> Audit::list(const Ctx& /*ctx*/, const AuditQuery& q) {
  detail::check_page_limit(q.page.limit);
  storage::AuditFilter f;
  f.entity_type = q.entity_type;
  f.entity_id = q.entity_id;
  f.actor_id = q.actor_id;
  f.from = q.from;
  f.to = q.to;
  if (q.page.cursor) {
    Cursor c = decode_cursor(*q.page.cursor, k_audit_cursor_spec);
    if (!detail::is_sequence_key(c.key)) throw_bad_cursor();
    f.after_seq = std::stoll(c.key);
  }
  f.limit = q.page.limit + 1;
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto rows = co_await storage::AuditRepository::list(*session, f);
  co_await reveal_audit_pii(*session, rows);
  co_await session->commit();
  Page<domain::AuditEntry> page;
  if (detail::trim_to_limit(rows, q.page.limit)) {
    page.next_cursor = encode_cursor({std::to_string(rows.back().seq), rows.back().id}, k_audit_cursor_spec);
  }
  page.items = std::move(rows);
  co_return page;
}

// Walks the whole chain in seq order inside one read transaction (a consistent snapshot),
// recomputing every hash (a redacted entry's against its redaction record,
// app/audit_redaction.hpp) and checking every link; stops at the first broken entry.
awaitable<AuditVerification> Audit::verify(const Ctx& /*ctx*/) {
  AuditVerification out;
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  std::int64_t expected_seq = 1;
  std::string prev_hash = k_audit_genesis_hash;
  storage::AuditFilter f;
  f.limit = k_verify_batch;
  ChainContentCheck content;
  auto fail = [&](std::int64_t seq, std::string problem) {
    out.valid = false;
    out.first_broken_seq = seq;
    out.problem = std::move(problem);
  };
  while (out.valid) {
    auto rows = co_await storage::AuditRepository::list(*session, f);
    for (const auto& r : rows) {
      ++out.entries_checked;
      if (r.seq != expected_seq)
        fail(r.seq, "sequence gap: expected " + std::to_string(expected_seq));
      else if (r.prev_hash != prev_hash)
        fail(r.seq, "prev_hash does not match the previous entry's hash");
      else if (auto problem = co_await content.check(*session, r))
        fail(r.seq, std::move(*problem));
      if (!out.valid) break;
      prev_hash = r.hash;
      ++expected_seq;
    }
    if (!out.valid || rows.size() < static_cast<std::size_t>(k_verify_batch)) break;
    f.after_seq = rows.back().seq;
  }
  if (out.valid) {
    auto head = co_await storage::AuditRepository::head(*session);
    if (head.last_seq != expected_seq - 1 || head.last_hash != prev_hash)
      fail(expected_seq, "the chain head does not match the last entry (entries were removed)");
  }
  co_await session->commit();
  co_return out;
}

}  // namespace oms::app
