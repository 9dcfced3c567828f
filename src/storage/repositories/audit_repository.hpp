#pragma once
// SQL for the hash-chained audit log and its head row.
#include <optional>
#include <string>
#include <vector>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct AuditRow {
  std::int64_t seq = 0;
  std::string id;
  domain::Timestamp at{};
  std::string actor_id;
  std::string action;
  std::string entity_type;
  std::string entity_id;
  std::string request_id;
  std::optional<std::string> before;  // JSON text (PostgreSQL hands jsonb back re-formatted)
  std::optional<std::string> after;
  std::string prev_hash;
  std::string hash;
};

struct AuditHead {
  std::int64_t last_seq = 0;
  std::string last_hash;
};

struct AuditFilter {
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
  std::optional<std::string> actor_id;
  std::optional<domain::Timestamp> from;
  std::optional<domain::Timestamp> to;
  std::optional<std::int64_t> after_seq;
  int limit = 20;
};

class AuditRepository {
 public:
  // Reads the chain head, locking it in PostgreSQL so concurrent writers queue instead of forking
  // the chain (SQLite writers are serialised by BEGIN IMMEDIATE).
  static awaitable<AuditHead> head_for_append(Session& s);
  static awaitable<void> append(Session& s, const AuditRow& row);                  // also moves the head
  static awaitable<std::vector<AuditRow>> list(Session& s, const AuditFilter& f);  // seq ascending
  static awaitable<AuditHead> head(Session& s);
};

}  // namespace oms::storage
