#pragma once
// Personal data in audit payloads, sealed so that erasure survives the hash chain
// (crypto-shredding, docs/data-protection.md). An audit entry of format 2 stores each PII value
// of its before/after snapshots as {"$sealed": {"key_id": K, "data": base64url(AES-256-GCM)}}
// under the key of the value's data subject (storage/repositories/subject_key_repository.hpp);
// the hash covers the sealed bytes. Erasing a subject deletes its key: its values become
// unreadable and every entry still hashes to what it did.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

// What readers show in place of a value whose subject was erased.
inline constexpr const char* k_erased_placeholder = "[erased]";
// The personal data of a "user" snapshot, and of a "customer" snapshot's primary_contact.
inline constexpr std::array<const char*, 3> k_user_pii_fields{"name", "email", "employee_id"};
inline constexpr std::array<const char*, 3> k_contact_pii_fields{"name", "email", "phone"};

std::string user_subject(const std::string& user_id);
// A customer's primary contact is a subject of its own, identified by their e-mail address
// (lower-cased), or by the customer when the contact has none.
std::string contact_subject(const std::string& customer_id, const std::string& email);

// The payload (JSON text) of an audit entry about `entity_type` with its PII fields sealed:
// "user": name, email, employee_id; "customer": primary_contact's name, email, phone. Other
// payloads are returned unchanged. Creates the subject's key on first use.
awaitable<std::optional<std::string>> seal_audit_payload(storage::Session& s, domain::IdGenerator& ids,
                                                         domain::Timestamp now, const std::string& entity_type,
                                                         const std::string& entity_id,
                                                         const std::optional<std::string>& payload);

// Replaces every sealed value in the entries' before/after with its plaintext, or with
// k_erased_placeholder when its key is gone. The entries' hashes then no longer match their
// payloads: verification reads the stored entries, never these.
awaitable<void> reveal_audit_pii(storage::Session& s, std::vector<domain::AuditEntry>& entries);

}  // namespace oms::app
