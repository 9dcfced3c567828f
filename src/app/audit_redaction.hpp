#pragma once
// Erasure of audit entries written before migration 0006 (format 1: raw PII, hashed as it is).
// Crypto-shredding (app/audit_pii.hpp) cannot reach them, and rewriting their payloads would break
// their hash, so erasure uses redaction records instead (docs/data-protection.md):
// - the PII fields of every format-1 entry about the subject (user snapshots of the user; customer
//   snapshots whose primary contact has their e-mail) are rewritten to "[erased]"; the entry keeps
//   its `hash` and `prev_hash`, so the chain's links are untouched;
// - one entry `audit.redact` is appended to the chain in the same transaction, listing per
//   rewritten entry {seq, original_hash, redacted_hash} (redacted_hash = audit_entry_hash of the
//   new content), and each rewritten entry gets `redacted_by_seq` = that entry's seq.
// Verification checks a redacted entry's content against the hash its (chain-protected) redaction
// entry recorded, and every redaction entry against the entries it names.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "app/context.hpp"

namespace oms::app {

class UnitOfWork;

inline constexpr const char* k_redaction_action = "audit.redact";

// Redacts the format-1 entries about the user `user_id` (and the contact with e-mail `email`,
// case-insensitive; none when empty) inside `uow`, appending the redaction entry (entity
// data_subject/<user_id>, naming the request `request`). Entries already redacted have nothing
// left to change and are left alone. Returns how many entries were redacted (0: nothing written).
awaitable<std::int64_t> redact_legacy_entries(UnitOfWork& uow, const std::string& user_id, const std::string& email,
                                              const std::string& request);

// The verification of one entry at a time, in chain order, inside one read snapshot (app/audit.cpp).
class ChainContentCheck {
 public:
  // nullopt when `r`'s content is sound: its hash matches, or (redacted) its content hashes to
  // what its redaction entry recorded; otherwise what is wrong. Links are checked by the caller.
  awaitable<std::optional<std::string>> check(storage::Session& s, const domain::AuditEntry& r);

 private:
  struct Redacted {
    std::string original_hash;
    std::string redacted_hash;
  };
  using Record = std::map<std::int64_t, Redacted>;  // by the redacted entry's seq
  awaitable<const Record*> record_at(storage::Session& s, std::int64_t seq);

  std::map<std::int64_t, std::optional<Record>> records_;  // redaction entries read ahead, by seq
  std::map<std::int64_t, std::string> record_texts_;       // their `after` as read ahead
  std::map<std::int64_t, std::int64_t> redacted_by_;       // redacted entries seen so far
};

}  // namespace oms::app
