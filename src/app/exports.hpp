#pragma once
// Exports (api.md: /api/v1/exports; issue 11). A request is recorded PENDING with its job in one
// transaction (and audited); the worker's job streams the rows page by page (keyset, constant
// memory) into the exports store through an ObjectWriter (multipart on S3), updating progress
// every page, and marks it COMPLETED with the object's key, or FAILED with a coarse reason after
// its last attempt. The result is read through a short-lived signed URL. Who sees what: an SM
// exports the opportunities they may list (their own), an admin all of them or the audit log
// (JSON Lines); a request is visible only to whoever made it (else NOT_FOUND).
#include <chrono>
#include <optional>
#include <string>

#include "app/context.hpp"
#include "app/opportunities.hpp"
#include "domain/export.hpp"
#include "objects/object_store.hpp"

namespace oms::app {

inline constexpr const char* k_export_job_type = "export";
inline constexpr std::chrono::seconds k_export_download_ttl{300};
// The seed's lifecycle: results expire after 7 years (S3's rule in infra/ does it in production;
// jobs/object_retention.hpp on the embedded store).
inline constexpr std::chrono::hours k_export_retention{24 * (365 * 7 + 2)};
inline constexpr int k_export_attempts = 3;

struct ExportRequest {
  domain::ExportFormat format = domain::ExportFormat::csv;
  domain::ExportDataset dataset = domain::ExportDataset::opportunities;
  OpportunityQuery filters;  // opportunities only; the audit dataset takes none
};

struct ExportView {
  domain::Export value;
  std::optional<objects::SignedRequest> download;  // COMPLETED only
};

// The CSV header of an opportunities export: the list item's fields, geographic_requirements
// flattened ("geographic_requirements.region").
const std::vector<std::string>& export_csv_columns();

class Exports {
 public:
  Exports(Ports ports, objects::ObjectStore* store) : ports_(ports), store_(store) {}
  // FORBIDDEN for an SM asking for the audit log; the new request, PENDING.
  awaitable<domain::Export> request(const Ctx& ctx, ExportRequest in);
  // NOT_FOUND unless the caller made it.
  awaitable<ExportView> get(const Ctx& ctx, const std::string& id);
  // The worker's job: runs export `id`. Finished or unknown requests are left alone. On failure
  // the partial object is discarded; before the last attempt it throws (the job is retried), on
  // the last one (or for a failure a retry cannot mend) the request becomes FAILED. Returns a
  // line for the worker's log.
  awaitable<std::string> run(const std::string& id, bool last_attempt);

 private:
  objects::ObjectStore& store() const;
  awaitable<std::int64_t> write_opportunities(const domain::Export& e, const domain::Principal& as,
                                              objects::ObjectWriter& out);
  awaitable<std::int64_t> write_audit(const domain::Export& e, std::int64_t last_seq, objects::ObjectWriter& out);
  awaitable<void> progress(const std::string& id, std::int64_t rows_done);

  Ports ports_;
  objects::ObjectStore* store_;
};

}  // namespace oms::app
