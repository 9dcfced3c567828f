#include "app/audit_pii.hpp"

#include <array>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <span>

#include "storage/repositories/subject_key_repository.hpp"
#include "util/aead.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {
constexpr const char* k_sealed = "$sealed";

// Keys used while sealing one payload, by subject.
using KeyCache = std::map<std::string, storage::SubjectKey>;

awaitable<storage::SubjectKey> key_for(storage::Session& s, domain::IdGenerator& ids, domain::Timestamp now,
                                       KeyCache& cache, const std::string& subject) {
  if (auto it = cache.find(subject); it != cache.end()) co_return it->second;
  storage::SubjectKey candidate{ids.next(), util::base64url_encode(util::random_bytes(util::k_aead_key_bytes))};
  auto key = co_await storage::SubjectKeyRepository::find_or_create(s, subject, candidate, now);
  cache.emplace(subject, key);
  co_return key;
}

json::value seal_value(const storage::SubjectKey& key, const json::value& v) {
  auto secret = util::base64url_decode(key.secret);
  if (!secret) throw std::runtime_error("subject key is not base64url");
  const std::string sealed = util::aes256gcm_seal(*secret, json::serialize(v), key.id);
  json::object inner{{"key_id", key.id}, {"data", util::base64url_encode(sealed)}};
  return json::object{{k_sealed, std::move(inner)}};
}

// Seals the listed fields of `o` (absent and null fields stay as they are: they hold nothing).
awaitable<void> seal_fields(storage::Session& s, domain::IdGenerator& ids, domain::Timestamp now, KeyCache& cache,
                            const std::string& subject, json::object& o, std::span<const char* const> fields) {
  for (const char* f : fields) {
    auto* v = o.if_contains(f);
    if (!v || v->is_null()) continue;
    auto key = co_await key_for(s, ids, now, cache, subject);
    *v = seal_value(key, *v);
  }
}

bool is_sealed(const json::value& v) {
  const auto* o = v.if_object();
  return o && o->size() == 1 && o->contains(k_sealed) && (*o).at(k_sealed).is_object();
}

void collect_key_ids(const json::value& v, std::set<std::string>& out) {
  if (is_sealed(v)) {
    if (const auto* id = v.at(k_sealed).as_object().if_contains("key_id"); id && id->is_string())
      out.emplace(id->as_string());
    return;
  }
  if (const auto* o = v.if_object())
    for (const auto& kv : *o) collect_key_ids(kv.value(), out);
  else if (const auto* a = v.if_array())
    for (const auto& e : *a) collect_key_ids(e, out);
}

json::value open_value(const json::value& v, const std::map<std::string, std::string>& secrets) {
  const auto& inner = v.at(k_sealed).as_object();
  const auto* id = inner.if_contains("key_id");
  const auto* data = inner.if_contains("data");
  if (!id || !id->is_string() || !data || !data->is_string()) return k_erased_placeholder;
  auto it = secrets.find(std::string(id->as_string()));
  if (it == secrets.end()) return k_erased_placeholder;
  auto secret = util::base64url_decode(it->second);
  auto sealed = util::base64url_decode(data->as_string());
  if (!secret || !sealed) return k_erased_placeholder;
  auto plain = util::aes256gcm_open(*secret, *sealed, it->first);
  if (!plain) return k_erased_placeholder;
  return json::parse(*plain);
}

void reveal_value(json::value& v, const std::map<std::string, std::string>& secrets) {
  if (is_sealed(v)) {
    v = open_value(v, secrets);
    return;
  }
  if (auto* o = v.if_object())
    for (auto& kv : *o) reveal_value(kv.value(), secrets);
  else if (auto* a = v.if_array())
    for (auto& e : *a) reveal_value(e, secrets);
}
}  // namespace

std::string user_subject(const std::string& user_id) { return "user:" + user_id; }

std::string contact_subject(const std::string& customer_id, const std::string& email) {
  if (email.empty()) return "contact:customer:" + customer_id;
  return "contact:" + util::to_lower_ascii(email);
}

awaitable<std::optional<std::string>> seal_audit_payload(storage::Session& s, domain::IdGenerator& ids,
                                                         domain::Timestamp now, const std::string& entity_type,
                                                         const std::string& entity_id,
                                                         const std::optional<std::string>& payload) {
  if (!payload || (entity_type != "user" && entity_type != "customer")) co_return payload;
  json::value doc = json::parse(*payload);
  auto* o = doc.if_object();
  if (!o) co_return payload;
  KeyCache cache;
  if (entity_type == "user") {
    const std::string subject = user_subject(entity_id);
    co_await seal_fields(s, ids, now, cache, subject, *o, k_user_pii_fields);
  } else if (auto* contact = o->if_contains("primary_contact"); contact && contact->is_object()) {
    auto& c = contact->as_object();
    const auto* email = c.if_contains("email");
    const std::string address = email && email->is_string() ? std::string(email->as_string()) : std::string();
    const std::string subject = contact_subject(entity_id, address);
    co_await seal_fields(s, ids, now, cache, subject, c, k_contact_pii_fields);
  }
  co_return json::serialize(doc);
}

awaitable<void> reveal_audit_pii(storage::Session& s, std::vector<domain::AuditEntry>& entries) {
  std::set<std::string> ids;
  std::vector<std::pair<std::optional<std::string>*, json::value>> docs;
  for (auto& e : entries) {
    if (e.format < 2) continue;
    for (auto* text : {&e.before, &e.after}) {
      if (!*text) continue;
      json::value v = json::parse(**text);
      std::set<std::string> found;
      collect_key_ids(v, found);
      if (found.empty()) continue;
      ids.insert(found.begin(), found.end());
      docs.emplace_back(text, std::move(v));
    }
  }
  if (docs.empty()) co_return;
  const std::vector<std::string> id_list(ids.begin(), ids.end());
  auto secrets = co_await storage::SubjectKeyRepository::secrets(s, id_list);
  for (auto& [text, v] : docs) {
    reveal_value(v, secrets);
    *text = json::serialize(v);
  }
}

}  // namespace oms::app
