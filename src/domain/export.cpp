#include "domain/export.hpp"

#include <array>
#include <utility>

#include "domain/enum_table.hpp"
#include "domain/error.hpp"

namespace oms::domain {
namespace {

using detail::name_of;
using detail::value_named;

constexpr std::array<std::pair<ExportKind, std::string_view>, 3> k_kinds{
    {{ExportKind::export_data, "export"},
     {ExportKind::data_subject_access, "data_subject_access"},
     {ExportKind::data_subject_erasure, "data_subject_erasure"}}};
constexpr std::array<std::pair<ExportDataset, std::string_view>, 3> k_datasets{
    {{ExportDataset::opportunities, "opportunities"},
     {ExportDataset::audit, "audit"},
     {ExportDataset::subject, "subject"}}};
constexpr std::array<std::pair<ExportFormat, std::string_view>, 2> k_formats{
    {{ExportFormat::csv, "csv"}, {ExportFormat::json, "json"}}};
constexpr std::array<std::pair<ExportStatus, std::string_view>, 4> k_export_statuses{
    {{ExportStatus::pending, "PENDING"},
     {ExportStatus::running, "RUNNING"},
     {ExportStatus::completed, "COMPLETED"},
     {ExportStatus::failed, "FAILED"}}};

}  // namespace

std::string_view to_string(ExportKind v) noexcept { return name_of(k_kinds, v); }
std::string_view to_string(ExportDataset v) noexcept { return name_of(k_datasets, v); }
std::string_view to_string(ExportFormat v) noexcept { return name_of(k_formats, v); }
std::string_view to_string(ExportStatus v) noexcept { return name_of(k_export_statuses, v); }

template <>
std::optional<ExportKind> parse_enum<ExportKind>(std::string_view t) noexcept {
  return value_named(k_kinds, t);
}
template <>
std::optional<ExportDataset> parse_enum<ExportDataset>(std::string_view t) noexcept {
  return value_named(k_datasets, t);
}
template <>
std::optional<ExportFormat> parse_enum<ExportFormat>(std::string_view t) noexcept {
  return value_named(k_formats, t);
}
template <>
std::optional<ExportStatus> parse_enum<ExportStatus>(std::string_view t) noexcept {
  return value_named(k_export_statuses, t);
}

bool export_visible_to(const Export& e, const Principal& p) noexcept {
  return !p.user_id.empty() && e.requested_by == p.user_id;
}

void require_may_export(const Principal& p, ExportDataset d) {
  if (d == ExportDataset::audit && p.role != Role::admin)
    throw DomainError(ErrorCode::forbidden, "Only an admin may export the audit log.");
  if (d == ExportDataset::subject)
    throw DomainError(ErrorCode::forbidden, "Data-subject requests are made through the admin routes.");
}

}  // namespace oms::domain
