#pragma once
// An export (api.md: /api/v1/exports; issue 11): a file the worker writes to the exports store
// for the user who asked: their opportunities (the list route's filters and visibility) as CSV or
// JSON Lines, or, for an admin, the audit log as JSON Lines. Data-subject requests (an admin's
// access or erasure request about one user) are tracked the same way (kind, subject_user_id,
// dataset "subject"). Status: PENDING -> RUNNING -> COMPLETED | FAILED.
#include <cstdint>
#include <optional>
#include <string>

#include "domain/entities.hpp"
#include "domain/types.hpp"

namespace oms::domain {

enum class ExportKind { export_data, data_subject_access, data_subject_erasure };
enum class ExportDataset { opportunities, audit, subject };
enum class ExportFormat { csv, json };
enum class ExportStatus { pending, running, completed, failed };

std::string_view to_string(ExportKind v) noexcept;     // "export", "data_subject_access", ...
std::string_view to_string(ExportDataset v) noexcept;  // "opportunities", "audit", "subject"
std::string_view to_string(ExportFormat v) noexcept;   // "csv", "json"
std::string_view to_string(ExportStatus v) noexcept;   // "PENDING", "RUNNING", "COMPLETED", "FAILED"
template <>
std::optional<ExportKind> parse_enum<ExportKind>(std::string_view) noexcept;
template <>
std::optional<ExportDataset> parse_enum<ExportDataset>(std::string_view) noexcept;
template <>
std::optional<ExportFormat> parse_enum<ExportFormat>(std::string_view) noexcept;
template <>
std::optional<ExportStatus> parse_enum<ExportStatus>(std::string_view) noexcept;

struct Export {
  std::string id;
  ExportKind kind = ExportKind::export_data;
  std::string requested_by;                    // user id
  std::optional<std::string> subject_user_id;  // data-subject requests only
  ExportDataset dataset = ExportDataset::opportunities;
  ExportFormat format = ExportFormat::csv;
  std::string filters = "{}";  // JSON object: the list route's filters
  ExportStatus status = ExportStatus::pending;
  std::int64_t rows_done = 0;
  std::optional<std::int64_t> rows_total;
  std::optional<std::string> object_key;  // COMPLETED: where the result is
  std::optional<std::string> error;       // FAILED: a coarse reason
  Timestamp created_at{};
  Timestamp updated_at{};
  std::optional<Timestamp> completed_at;
  std::optional<Timestamp> expires_at;  // the result's object is deleted after this
  std::optional<Timestamp> purged_at;   // when the result's object was deleted (expiry or erasure)
};

// Who may read an export's status and result: only who asked for it (else NOT_FOUND).
bool export_visible_to(const Export& e, const Principal& p) noexcept;
// The audit log is exported by admins only: FORBIDDEN for anyone else. (The opportunities
// dataset follows the list route's visibility; the route's role gate admits SMs and admins.)
void require_may_export(const Principal& p, ExportDataset d);

}  // namespace oms::domain
