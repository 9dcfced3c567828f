#include "storage/repositories/export_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_export_columns =
    "id, kind, requested_by, subject_user_id, dataset, format, filters, status, rows_done, rows_total, object_key, "
    "error, created_at, updated_at, completed_at, expires_at";
// Read back: the inserted columns and when the result was deleted (never inserted).
constexpr const char* k_export_read_columns =
    "id, kind, requested_by, subject_user_id, dataset, format, filters, status, rows_done, rows_total, object_key, "
    "error, created_at, updated_at, completed_at, expires_at, purged_at";

domain::Export read_export(const Row& r) {
  domain::Export e;
  e.id = r.str(0);
  e.kind = enum_column<domain::ExportKind>(r, 1);
  e.requested_by = r.str(2);
  e.subject_user_id = r.text(3);
  e.dataset = enum_column<domain::ExportDataset>(r, 4);
  e.format = enum_column<domain::ExportFormat>(r, 5);
  e.filters = r.str(6);
  e.status = enum_column<domain::ExportStatus>(r, 7);
  e.rows_done = r.i64(8);
  if (!r.is_null(9)) e.rows_total = r.i64(9);
  e.object_key = r.text(10);
  e.error = r.text(11);
  e.created_at = r.timestamp(12);
  e.updated_at = r.timestamp(13);
  e.completed_at = r.opt_timestamp(14);
  e.expires_at = r.opt_timestamp(15);
  e.purged_at = r.opt_timestamp(16);
  return e;
}

Param optional_count(const std::optional<std::int64_t>& v) { return v ? Param(*v) : Param(Null{}); }

}  // namespace

awaitable<void> ExportRepository::insert(Session& s, const domain::Export& e) {
  Params p{e.id,
           std::string(domain::to_string(e.kind)),
           e.requested_by,
           param(e.subject_user_id),
           std::string(domain::to_string(e.dataset)),
           std::string(domain::to_string(e.format)),
           e.filters,
           std::string(domain::to_string(e.status)),
           e.rows_done,
           optional_count(e.rows_total),
           param(e.object_key),
           param(e.error),
           param(e.created_at),
           param(e.updated_at),
           param(e.completed_at),
           param(e.expires_at)};
  co_await s.query(std::string("INSERT INTO exports (") + k_export_columns +
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                   std::move(p));
}

awaitable<std::optional<domain::Export>> ExportRepository::find(Session& s, const std::string& id) {
  Params p{id};
  auto r =
      co_await s.query(std::string("SELECT ") + k_export_read_columns + " FROM exports WHERE id = $1", std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_export(r.rows.front());
}

awaitable<bool> ExportRepository::start(Session& s, const std::string& id, std::int64_t rows_total,
                                        domain::Timestamp now) {
  Params p{id, rows_total, param(now)};
  auto r = co_await s.query(
      "UPDATE exports SET status = 'RUNNING', rows_done = 0, rows_total = $2, error = NULL, updated_at = $3 "
      "WHERE id = $1 AND status IN ('PENDING', 'RUNNING')",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<void> ExportRepository::progress(Session& s, const std::string& id, std::int64_t rows_done,
                                           domain::Timestamp now) {
  Params p{id, rows_done, param(now)};
  co_await s.query("UPDATE exports SET rows_done = $2, updated_at = $3 WHERE id = $1 AND status = 'RUNNING'",
                   std::move(p));
}

awaitable<bool> ExportRepository::complete(Session& s, const std::string& id, const std::string& object_key,
                                           std::int64_t rows_done, domain::Timestamp now,
                                           domain::Timestamp expires_at) {
  Params p{id, object_key, rows_done, param(now), param(expires_at)};
  auto r = co_await s.query(
      "UPDATE exports SET status = 'COMPLETED', object_key = $2, rows_done = $3, updated_at = $4, completed_at = $4, "
      "expires_at = $5 WHERE id = $1 AND status = 'RUNNING'",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<bool> ExportRepository::fail(Session& s, const std::string& id, const std::string& error,
                                       domain::Timestamp now) {
  Params p{id, error, param(now)};
  auto r = co_await s.query(
      "UPDATE exports SET status = 'FAILED', error = $2, updated_at = $3, completed_at = $3 "
      "WHERE id = $1 AND status IN ('PENDING', 'RUNNING')",
      std::move(p));
  co_return r.affected > 0;
}

awaitable<std::vector<ExpiredExport>> ExportRepository::expired(Session& s, domain::Timestamp before, int limit) {
  Params p{param(before), std::int64_t{limit}};
  auto r = co_await s.query(
      "SELECT id, object_key FROM exports WHERE object_key IS NOT NULL AND purged_at IS NULL AND expires_at < $1 "
      "ORDER BY expires_at, id LIMIT $2",
      std::move(p));
  co_return read_rows(r, [](const Row& row) { return ExpiredExport{row.str(0), row.str(1)}; });
}

awaitable<void> ExportRepository::mark_purged(Session& s, const std::string& id, domain::Timestamp now) {
  Params p{id, param(now)};
  co_await s.query("UPDATE exports SET purged_at = $2, updated_at = $2 WHERE id = $1 AND purged_at IS NULL",
                   std::move(p));
}

}  // namespace oms::storage
