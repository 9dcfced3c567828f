#pragma once
// SQL of the per-subject keys that seal personal data in audit payloads (migration 0006,
// app/audit_pii.hpp). Deleting a subject's row is the erasure of everything sealed under it.
#include <map>
#include <string>
#include <vector>

#include "domain/types.hpp"
#include "storage/database.hpp"

namespace oms::storage {

struct SubjectKey {
  std::string id;
  std::string secret;  // base64url of 32 bytes
};

class SubjectKeyRepository {
 public:
  // The subject's key; `candidate` (id, secret) is stored first when it has none. A concurrent
  // first use waits for the other writer and reads its key.
  static awaitable<SubjectKey> find_or_create(Session& s, const std::string& subject, const SubjectKey& candidate,
                                              domain::Timestamp now);
  // Keys by id; ids with no key (erased) are absent.
  static awaitable<std::map<std::string, std::string>> secrets(Session& s, const std::vector<std::string>& ids);
  // Deletes the subjects' keys; the number deleted.
  static awaitable<std::int64_t> remove(Session& s, const std::vector<std::string>& subjects);
};

}  // namespace oms::storage
