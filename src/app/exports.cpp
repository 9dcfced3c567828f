#include "app/exports.hpp"

#include <boost/json.hpp>

#include "app/export_filters.hpp"
#include "app/json_views.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "storage/repositories/audit_repository.hpp"
#include "storage/repositories/export_repository.hpp"
#include "storage/repositories/job_repository.hpp"
#include "storage/repositories/user_repository.hpp"
#include "util/csv.hpp"
#include "util/encoding.hpp"
#include "util/utf8.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;
using storage::ExportRepository;

namespace {

constexpr int k_page_rows = Opportunities::k_batch_max;
constexpr std::size_t k_flush_bytes = 256 * 1024;  // what the job hands the writer at a time

[[noreturn]] void export_not_found() { throw DomainError(ErrorCode::not_found, "Export not found."); }

struct Column {
  std::string name;
  std::string_view key;
  std::string_view nested;  // a key inside `key`'s object, or ""
};

const std::vector<Column>& columns() {
  static const std::vector<Column> all = [] {
    std::vector<Column> out;
    for (std::string_view key : {"id", "title", "description", "customer_id", "sales_manager_id", "priority",
                                 "annual_recurring_revenue", "currency"})
      out.push_back({std::string(key), key, ""});
    for (std::string_view nested : {"region", "requires_physical_presence", "allows_remote_work"})
      out.push_back({"geographic_requirements." + std::string(nested), "geographic_requirements", nested});
    for (std::string_view key :
         {"status", "status_before_cancellation", "selected_architect_id", "created_at", "updated_at", "submitted_at",
          "completed_at", "cancelled_at", "cancellation_reason", "reactivation_deadline", "version"})
      out.push_back({std::string(key), key, ""});
    return out;
  }();
  return all;
}

std::string cell(const json::value* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return v->get_bool() ? "true" : "false";
  return json::serialize(*v);
}

// One opportunity as a CSV record of export_csv_columns(), from the list item's JSON shape.
void append_csv(std::string& out, const json::object& item) {
  std::vector<std::string> fields;
  fields.reserve(columns().size());
  for (const auto& c : columns()) {
    const json::value* v = item.if_contains(c.key);
    if (!c.nested.empty()) v = v != nullptr && v->is_object() ? v->get_object().if_contains(c.nested) : nullptr;
    fields.push_back(cell(v));
  }
  util::append_csv_record(out, fields);
}

std::string object_key(const domain::Export& e) {
  std::string key = e.id;
  key += '/';
  key += domain::to_string(e.dataset);
  key += e.format == domain::ExportFormat::csv ? ".csv" : ".jsonl";
  return key;
}

std::string content_type(domain::ExportFormat f) {
  return f == domain::ExportFormat::csv ? "text/csv; charset=utf-8" : "application/x-ndjson";
}

// A reason a user may read: which part failed, never internal details.
std::string coarse_reason(const std::exception& e) {
  if (dynamic_cast<const storage::DatabaseError*>(&e) != nullptr) return "The database could not be read.";
  if (dynamic_cast<const DomainError*>(&e) != nullptr) return std::string(e.what());
  return "The export could not be written to the exports store.";
}

}  // namespace

const std::vector<std::string>& export_csv_columns() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& c : columns()) out.push_back(c.name);
    return out;
  }();
  return names;
}

objects::ObjectStore& Exports::store() const {
  if (store_ == nullptr) throw DomainError(ErrorCode::unavailable, "No exports store is configured.");
  return *store_;
}

awaitable<domain::Export> Exports::request(const Ctx& ctx, ExportRequest in) {
  domain::require_may_export(ctx.actor, in.dataset);
  if (in.dataset == domain::ExportDataset::audit && in.format != domain::ExportFormat::json)
    throw DomainError(ErrorCode::validation_error, "The audit log is exported as JSON Lines only.",
                      {{"format", "must be json for the audit dataset"}});
  store();  // UNAVAILABLE now rather than a FAILED export later
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  domain::Export e;
  e.id = uow.new_id();
  e.requested_by = ctx.actor.user_id;
  e.dataset = in.dataset;
  e.format = in.format;
  e.filters = in.dataset == domain::ExportDataset::opportunities ? export_filters_text(in.filters) : "{}";
  e.created_at = e.updated_at = uow.now();
  co_await ExportRepository::insert(uow.session(), e);
  storage::NewJob job;
  job.id = uow.new_id();
  job.type = k_export_job_type;
  job.idempotency_key = e.id;
  job.payload = json::serialize(json::object{{"export_id", e.id}});
  job.max_attempts = k_export_attempts;
  job.run_after = uow.now();
  job.now = uow.now();
  co_await storage::JobRepository::enqueue(uow.session(), job);
  AuditSpec audit{"export.request", "export", e.id, std::nullopt, json::serialize(export_json(e))};
  co_await uow.audit(audit);
  co_await uow.commit();
  co_return e;
}

awaitable<ExportView> Exports::get(const Ctx& ctx, const std::string& id) {
  if (!util::is_uuid(id)) export_not_found();
  const std::string key = util::to_lower_ascii(id);
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto found = co_await ExportRepository::find(*session, key);
  co_await session->commit();
  if (!found || !domain::export_visible_to(*found, ctx.actor)) export_not_found();
  ExportView out{std::move(*found), std::nullopt};
  // No link to a result that is gone (purged) or due to go (expired, not yet purged by the job).
  const domain::Timestamp now = ports_.clock.now();
  const bool available = out.value.status == domain::ExportStatus::completed && out.value.object_key &&
                         !out.value.purged_at && (!out.value.expires_at || now < *out.value.expires_at);
  if (available) {
    objects::GetSpec spec;
    spec.key = *out.value.object_key;
    spec.file_name = std::string(domain::to_string(out.value.dataset)) + "-export-" + out.value.id.substr(0, 8) +
                     (out.value.format == domain::ExportFormat::csv ? ".csv" : ".jsonl");
    spec.content_type = content_type(out.value.format);
    spec.ttl = download_ttl_;
    out.download = co_await store().presign_get(std::move(spec), now);
  }
  co_return out;
}

awaitable<void> Exports::progress(const std::string& id, std::int64_t rows_done) {
  auto session = co_await ports_.db.begin(storage::Access::read_write);
  co_await ExportRepository::progress(*session, id, rows_done, ports_.clock.now());
  co_await session->commit();
}

awaitable<std::int64_t> Exports::write_opportunities(const domain::Export& e, const domain::Principal& as,
                                                     objects::ObjectWriter& out) {
  domain::Validator v;
  OpportunityQuery q = read_export_filters(json::parse(e.filters).as_object(), v);
  v.throw_if_failed();
  q.page.limit = k_page_rows;
  const Ctx ctx{as, "export-" + e.id, {}};
  Opportunities opportunities(ports_);
  std::string buffer;
  if (e.format == domain::ExportFormat::csv) {
    buffer += "\xEF\xBB\xBF";  // a UTF-8 byte order mark, so spreadsheets read the file as UTF-8
    util::append_csv_record(buffer, export_csv_columns());
  }
  std::int64_t rows = 0;
  for (;;) {
    auto page = co_await opportunities.batch(ctx, q);
    for (const auto& o : page.items) {
      if (e.format == domain::ExportFormat::csv) {
        append_csv(buffer, opportunity_json(o, false));
      } else {
        append_opportunity_json(buffer, o, false);
        buffer += '\n';
      }
      if (buffer.size() >= k_flush_bytes) {
        co_await out.write(buffer);
        buffer.clear();
      }
    }
    rows += static_cast<std::int64_t>(page.items.size());
    if (!page.next_cursor) break;
    q.page.cursor = std::move(page.next_cursor);
    co_await progress(e.id, rows);
  }
  if (!buffer.empty()) co_await out.write(buffer);
  co_return rows;
}

awaitable<std::int64_t> Exports::write_audit(const domain::Export& e, std::int64_t last_seq,
                                             objects::ObjectWriter& out) {
  storage::AuditFilter f;
  f.limit = k_page_rows;
  std::string buffer;
  std::int64_t rows = 0;
  for (;;) {
    auto session = co_await ports_.db.begin(storage::Access::read_only);
    auto entries = co_await storage::AuditRepository::list(*session, f);
    co_await session->commit();
    bool done = static_cast<int>(entries.size()) < f.limit;
    for (const auto& entry : entries) {
      if (entry.seq > last_seq) {  // appended after the export started
        done = true;
        break;
      }
      buffer += json::serialize(audit_entry_json(entry));
      buffer += '\n';
      ++rows;
      f.after_seq = entry.seq;
      if (buffer.size() >= k_flush_bytes) {
        co_await out.write(buffer);
        buffer.clear();
      }
    }
    if (done || entries.empty()) break;
    co_await progress(e.id, rows);
  }
  if (!buffer.empty()) co_await out.write(buffer);
  co_return rows;
}

awaitable<std::string> Exports::run(const std::string& id, bool last_attempt) {
  std::optional<domain::Export> found;
  std::optional<domain::User> requester;
  {
    auto session = co_await ports_.db.begin(storage::Access::read_only);
    found = co_await ExportRepository::find(*session, id);
    if (found) requester = co_await storage::UserRepository::find(*session, found->requested_by);
    co_await session->commit();
  }
  if (!found || found->kind != domain::ExportKind::export_data) co_return "export " + id + ": not an export";
  if (found->status == domain::ExportStatus::completed || found->status == domain::ExportStatus::failed)
    co_return "export " + id + ": finished already";
  const domain::Export& e = *found;
  std::unique_ptr<objects::ObjectWriter> writer;
  std::optional<std::pair<std::string, bool>> failure;  // the coarse reason, and whether it is final
  std::string detail;                                   // for the log
  try {
    if (!requester || !requester->is_active)
      throw DomainError(ErrorCode::forbidden, "The requester's account is no longer active.");
    // The requester's role now: an SM sees their own opportunities, an admin all of them.
    domain::Principal as;
    as.user_id = requester->id;
    as.role = requester->role;
    domain::require_may_export(as, e.dataset);

    std::int64_t total = 0;
    std::int64_t last_seq = 0;
    if (e.dataset == domain::ExportDataset::audit) {
      auto session = co_await ports_.db.begin(storage::Access::read_only);
      last_seq = (co_await storage::AuditRepository::head(*session)).last_seq;
      co_await session->commit();
      total = last_seq;  // seq is dense from 1: the entries up to the head
    } else {
      domain::Validator v;
      const OpportunityQuery q = read_export_filters(json::parse(e.filters).as_object(), v);
      v.throw_if_failed();
      const Ctx ctx{as, "export-" + e.id, {}};
      Opportunities opportunities(ports_);
      total = co_await opportunities.count(ctx, q);
    }
    {
      auto session = co_await ports_.db.begin(storage::Access::read_write);
      const bool started = co_await ExportRepository::start(*session, e.id, total, ports_.clock.now());
      co_await session->commit();
      if (!started) co_return "export " + id + ": finished already";
    }
    const std::string key = object_key(e);
    writer = co_await store().open_writer(key, content_type(e.format));
    const std::int64_t rows = e.dataset == domain::ExportDataset::audit ? co_await write_audit(e, last_seq, *writer)
                                                                        : co_await write_opportunities(e, as, *writer);
    co_await writer->finish();
    const domain::Timestamp now = ports_.clock.now();
    auto session = co_await ports_.db.begin(storage::Access::read_write);
    co_await ExportRepository::complete(
        *session, e.id, key, rows, now,
        now + std::chrono::duration_cast<std::chrono::microseconds>(k_export_retention));
    co_await session->commit();
    std::string note = "export ";
    note += e.id;
    note += " completed: ";
    note += std::to_string(rows);
    note += " rows, ";
    note += std::to_string(writer->bytes_written());
    note += " bytes";
    co_return note;
  } catch (const std::exception& error) {
    const bool permanent = dynamic_cast<const DomainError*>(&error) != nullptr;
    failure = {coarse_reason(error), last_attempt || permanent};
    detail = util::to_valid_utf8(error.what());
  }
  if (writer) {
    try {
      co_await writer->abort();
    } catch (const std::exception& abort_error) {
      detail += "; the partial object was not aborted: ";
      detail += util::to_valid_utf8(abort_error.what());
    }
  }
  if (!failure->second) throw std::runtime_error(detail);  // the job is retried
  auto session = co_await ports_.db.begin(storage::Access::read_write);
  co_await ExportRepository::fail(*session, e.id, failure->first, ports_.clock.now());
  co_await session->commit();
  // FAILED is final: the job succeeds, so it is not retried.
  std::string note = "export ";
  note += e.id;
  note += " failed: ";
  note += detail;
  co_return note;
}

}  // namespace oms::app
