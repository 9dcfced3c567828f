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
#include "domain/export.hpp"

namespace oms::objects {
class ObjectStore;
}

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
  std::int64_t entries_redacted = 0;  // format-1 audit entries (app/audit_redaction.hpp)
};

// What replaces a person's name in their user record.
inline constexpr const char* k_erased_name = "[erased]";
// The worker's job type for both requests (payload {"export_id", "request_id"}).
inline constexpr const char* k_data_subject_job_type = "data_subject";
// How long an access document stays in the exports store: it is personal data, so far shorter
// than the 7 years of ordinary exports (docs/data-protection.md).
inline constexpr auto k_access_document_ttl = std::chrono::days(30);

class DataSubjects {
 public:
  explicit DataSubjects(Ports ports, objects::ObjectStore* export_store = nullptr)
      : ports_(ports), store_(export_store) {}
  // Admin: records the request (tracked as an export), enqueues its job and audits it; NOT_FOUND
  // for an unknown user. `kind` is data_subject_access or data_subject_erasure.
  awaitable<domain::Export> request(const Ctx& ctx, const std::string& user_id, domain::ExportKind kind);
  // The worker: runs the request once (a finished one is left alone). Throws to be retried; on
  // the last attempt the request is marked FAILED first.
  awaitable<void> run(const std::string& export_id, const std::string& request_id, bool last_attempt);

  // nullopt when there is no such user.
  awaitable<std::optional<boost::json::object>> access_document(const DataSubjectRequest& r);
  // Idempotent: a second run finds nothing left to erase and writes only its own audit entry.
  awaitable<ErasureResult> erase(const DataSubjectRequest& r);

 private:
  awaitable<void> run_started(const domain::Export& e, const DataSubjectRequest& r);
  awaitable<void> purge_access_documents(const std::string& user_id);
  Ports ports_;
  objects::ObjectStore* store_;
};

}  // namespace oms::app
