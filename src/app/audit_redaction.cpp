#include "app/audit_redaction.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <span>
#include <vector>

#include "app/audit_pii.hpp"
#include "app/unit_of_work.hpp"
#include "storage/repositories/audit_repository.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {

// Every format-1 entry matching `f`, in seq order.
awaitable<std::vector<domain::AuditEntry>> legacy_entries(storage::Session& s, storage::AuditFilter f) {
  f.format = 1;
  co_return co_await storage::AuditRepository::list_all(s, std::move(f));
}

// Rewrites the listed fields of `o` that hold something to the placeholder; true if one changed.
bool erase_fields(json::object& o, std::span<const char* const> fields) {
  bool changed = false;
  for (const char* f : fields) {
    auto* v = o.if_contains(f);
    if (!v || v->is_null()) continue;
    if (v->is_string() && (v->as_string().empty() || v->as_string() == k_erased_placeholder)) continue;
    *v = k_erased_placeholder;
    changed = true;
  }
  return changed;
}

json::object* contact_with_email(json::object& snapshot, const std::string& email_lower) {
  auto* c = snapshot.if_contains("primary_contact");
  if (!c || !c->is_object()) return nullptr;
  const auto* e = c->as_object().if_contains("email");
  if (!e || !e->is_string() || util::to_lower_ascii(e->as_string()) != email_lower) return nullptr;
  return &c->as_object();
}

// The snapshot (JSON text) with the subject's PII erased, or nullopt when it holds none of it.
std::optional<std::string> redacted_snapshot(const std::string& entity_type, const std::optional<std::string>& text,
                                             const std::string& email_lower) {
  if (!text) return std::nullopt;
  json::value doc;
  try {
    doc = json::parse(*text);
  } catch (const std::exception&) {
    return std::nullopt;  // not JSON: nothing this code wrote
  }
  auto* o = doc.if_object();
  if (!o) return std::nullopt;
  bool changed = false;
  if (entity_type == "user") {
    changed = erase_fields(*o, k_user_pii_fields);
  } else if (!email_lower.empty()) {
    if (auto* contact = contact_with_email(*o, email_lower)) changed = erase_fields(*contact, k_contact_pii_fields);
  }
  if (!changed) return std::nullopt;
  return json::serialize(doc);
}

bool hash_matches(const domain::AuditEntry& r, const std::string& expected) {
  if (r.format != 1 && r.format != k_audit_format) return false;
  try {
    return audit_entry_hash(r) == expected;
  } catch (const std::exception&) {
    return false;  // before/after no longer parse as JSON
  }
}

// The `after` of a redaction entry: {"request", "redacted": [{seq, original_hash, redacted_hash}]}.
template <class Record>
std::optional<Record> parse_record(const std::optional<std::string>& after) {
  if (!after) return std::nullopt;
  try {
    const json::value doc = json::parse(*after);
    Record out;
    for (const auto& item : doc.at("redacted").as_array()) {
      const auto& o = item.as_object();
      out[json::value_to<std::int64_t>(o.at("seq"))] = {std::string(o.at("original_hash").as_string()),
                                                        std::string(o.at("redacted_hash").as_string())};
    }
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}
}  // namespace

awaitable<std::int64_t> redact_legacy_entries(UnitOfWork& uow, const std::string& user_id, const std::string& email,
                                              const std::string& request) {
  storage::AuditFilter users;
  users.entity_type = "user";
  users.entity_id = user_id;
  auto found = co_await legacy_entries(uow.session(), users);
  const std::string email_lower = util::to_lower_ascii(email);
  if (!email_lower.empty()) {
    storage::AuditFilter customers;
    customers.entity_type = "customer";
    auto more = co_await legacy_entries(uow.session(), customers);
    for (auto& e : more) found.push_back(std::move(e));
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  }
  std::vector<domain::AuditEntry> changed;
  json::array listed;
  for (auto& e : found) {
    auto before = redacted_snapshot(e.entity_type, e.before, email_lower);
    auto after = redacted_snapshot(e.entity_type, e.after, email_lower);
    if (!before && !after) continue;
    if (before) e.before = std::move(before);
    if (after) e.after = std::move(after);
    listed.emplace_back(
        json::object{{"seq", e.seq}, {"original_hash", e.hash}, {"redacted_hash", audit_entry_hash(e)}});
    changed.push_back(std::move(e));
  }
  if (changed.empty()) co_return 0;
  json::object record{{"request", request}, {"redacted", std::move(listed)}};
  const AuditSpec spec{k_redaction_action, "data_subject", user_id, std::nullopt, json::serialize(record)};
  const std::int64_t by = co_await uow.audit(spec);
  for (const auto& e : changed) co_await storage::AuditRepository::redact(uow.session(), e.seq, e.before, e.after, by);
  co_return static_cast<std::int64_t>(changed.size());
}

awaitable<const ChainContentCheck::Record*> ChainContentCheck::record_at(storage::Session& s, std::int64_t seq) {
  auto it = records_.find(seq);
  if (it == records_.end()) {
    auto entry = co_await storage::AuditRepository::find(s, seq);
    std::optional<Record> record;
    if (entry && entry->action == k_redaction_action) {
      record = parse_record<Record>(entry->after);
      record_texts_[seq] = entry->after.value_or("");
    }
    it = records_.emplace(seq, std::move(record)).first;
  }
  co_return it->second ? &*it->second : nullptr;
}

awaitable<std::optional<std::string>> ChainContentCheck::check(storage::Session& s, const domain::AuditEntry& r) {
  if (r.redacted_by_seq) {
    const std::int64_t by = *r.redacted_by_seq;
    if (by <= r.seq) co_return "marked redacted by an entry that does not follow it";
    const Record* record = co_await record_at(s, by);
    if (!record) {
      std::string problem = "marked redacted, but entry ";  // appended piece by piece: GCC bug 105329
      problem += std::to_string(by);
      problem += " is no redaction record";
      co_return problem;
    }
    auto it = record->find(r.seq);
    if (it == record->end()) co_return "marked redacted, but its redaction entry does not name it";
    if (it->second.original_hash != r.hash) co_return "its redaction entry recorded another original hash";
    if (!hash_matches(r, it->second.redacted_hash))
      co_return "the redacted content does not match the hash its redaction entry recorded";
    redacted_by_[r.seq] = by;
    co_return std::nullopt;
  }
  if (!hash_matches(r, r.hash)) co_return "hash does not match the entry's content";
  if (r.action != k_redaction_action) co_return std::nullopt;
  // A redaction entry: what was checked against it above is what the chain now protects, and
  // every entry it names is still marked redacted (by it, or by a later redaction).
  auto read_ahead = record_texts_.find(r.seq);
  if (read_ahead != record_texts_.end() && read_ahead->second != r.after.value_or(""))
    co_return "the redaction entry changed during verification";
  const auto record = parse_record<Record>(r.after);
  if (!record) co_return "the redaction entry's content is not a redaction record";
  for (const auto& [seq, hashes] : *record) {
    auto seen = redacted_by_.find(seq);
    if (seq >= r.seq || seen == redacted_by_.end() || seen->second < r.seq) {
      std::string problem = "the redaction entry names entry ";
      problem += std::to_string(seq);
      problem += ", which is not marked redacted by it";
      co_return problem;
    }
  }
  co_return std::nullopt;
}

}  // namespace oms::app
