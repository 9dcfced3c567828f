#pragma once
// SQL for the hash-chained audit log and its head row.
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct AuditHead {
  std::int64_t last_seq = 0;
  std::string last_hash;
};

// One id named by an admin read entry (app/read_audit.hpp), which may name many.
struct AuditReadIndexRow {
  std::string entity_id;
  std::int64_t seq = 0;
};

struct AuditFilter {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;  // also finds the read entries that name it (audit_read_index)
  std::optional<std::string> actor_id;
  std::optional<domain::Timestamp> from;
  std::optional<domain::Timestamp> to;
  std::optional<int> format;  // only entries of this format
  std::optional<std::int64_t> after_seq;
  int limit = 20;
};

class AuditRepository {
 public:
  // Reads the chain head, locking it in PostgreSQL so concurrent writers queue instead of forking
  // the chain (SQLite writers are serialised by BEGIN IMMEDIATE).
  static awaitable<AuditHead> head_for_append(Session& s);
  static awaitable<void> append(Session& s, const domain::AuditEntry& row);  // also moves the head
  // Consecutive entries (already chained) in multi-row INSERTs, then the head once.
  static awaitable<void> append_many(Session& s, const std::vector<domain::AuditEntry>& rows);
  // Records which entities list-read entries (already appended) name, for AuditFilter::entity_id.
  static awaitable<void> index_reads(Session& s, const std::vector<AuditReadIndexRow>& rows);
  static awaitable<std::vector<domain::AuditEntry>> list(Session& s, const AuditFilter& f);  // seq ascending
  // Every entry matching `f` (its limit ignored), seq ascending, read in batches of 500.
  static awaitable<std::vector<domain::AuditEntry>> list_all(Session& s, AuditFilter f);
  static awaitable<AuditHead> head(Session& s);
  static awaitable<std::optional<domain::AuditEntry>> find(Session& s, std::int64_t seq);
  // Rewrites an entry's payloads and marks it redacted by the entry `redacted_by_seq`; its hash
  // and prev_hash (the chain links) stay as they are (app/audit_redaction.hpp).
  static awaitable<void> redact(Session& s, std::int64_t seq, const std::optional<std::string>& before,
                                const std::optional<std::string>& after, std::int64_t redacted_by_seq);
};

}  // namespace oms::storage
