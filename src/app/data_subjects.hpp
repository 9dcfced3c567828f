#pragma once
// Data-subject requests (story: data subjects, issue 11 item 5): the worker's two jobs. Access
// gathers everything oms holds on one person into one JSON document; erasure pseudonymises the
// person's PII everywhere (user record, the customer contacts they are, audit payloads by
// crypto-shredding their keys) and keeps the business records and a verifying audit chain.
// docs/data-protection.md has the design.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

// Who asked, under which request: the actor and request id of the entries erasure writes.
struct DataSubjectRequest {
  std::string id;  // the request's id (the exports row that tracks it)
  std::string user_id;
  std::string requested_by;
  std::string request_id;
};

struct ErasureResult {
  bool user_found = false;
  std::vector<std::string> customers;  // whose primary contact was removed
  std::int64_t keys_destroyed = 0;
};

// What replaces a person's name in their user record.
inline constexpr const char* k_erased_name = "[erased]";

class DataSubjects {
 public:
  explicit DataSubjects(Ports ports) : ports_(ports) {}
  // nullopt when there is no such user.
  awaitable<std::optional<boost::json::object>> access_document(const DataSubjectRequest& r);
  // Idempotent: a second run finds nothing left to erase and writes only its own audit entry.
  awaitable<ErasureResult> erase(const DataSubjectRequest& r);

 private:
  Ports ports_;
};

}  // namespace oms::app
