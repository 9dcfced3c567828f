// Data-subject access and erasure, run by the worker (jobs/data_subject_jobs.cpp).
#include "app/data_subjects.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>

#include "app/audit_pii.hpp"
#include "app/audit_redaction.hpp"
#include "app/cached_reads.hpp"
#include "app/json_views.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "objects/object_store.hpp"
#include "storage/repositories/audit_repository.hpp"
#include "storage/repositories/customer_repository.hpp"
#include "storage/repositories/data_subject_repository.hpp"
#include "storage/repositories/export_repository.hpp"
#include "storage/repositories/job_repository.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/outbox_repository.hpp"
#include "storage/repositories/subject_key_repository.hpp"
#include "storage/repositories/user_repository.hpp"
#include "util/time.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {
constexpr std::int64_t k_max_attempts = 5;
constexpr int k_all_records = 1'000'000;  // an opportunity's history is far shorter

// The audit entries by the person or about their user record, without duplicates, in seq order.
awaitable<std::vector<domain::AuditEntry>> entries_about(storage::Session& s, const std::string& user_id) {
  storage::AuditFilter by;
  by.actor_id = user_id;
  storage::AuditFilter about;
  about.entity_type = "user";
  about.entity_id = user_id;
  auto a = co_await storage::AuditRepository::list_all(s, by);
  auto b = co_await storage::AuditRepository::list_all(s, about);
  std::vector<domain::AuditEntry> out;
  std::merge(std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()), std::make_move_iterator(b.begin()),
             std::make_move_iterator(b.end()), std::back_inserter(out),
             [](const auto& x, const auto& y) { return x.seq < y.seq; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.seq == y.seq; }),
            out.end());
  co_return out;
}

// Every record of an opportunity they own (`all`); on others' opportunities, the records they wrote.
awaitable<void> add_records(storage::Session& s, const std::string& opportunity_id, const std::string& user_id,
                            bool all, json::array& status_out, json::array& change_out) {
  auto statuses =
      co_await storage::OpportunityRepository::status_records(s, opportunity_id, std::nullopt, k_all_records);
  for (const auto& [rec, version] : statuses)
    if (all || rec.changed_by == user_id) status_out.emplace_back(status_record_json(rec));
  auto changes =
      co_await storage::OpportunityRepository::change_records(s, opportunity_id, std::nullopt, k_all_records);
  for (const auto& [rec, version] : changes)
    if (all || rec.changed_by == user_id) change_out.emplace_back(change_record_json(rec));
}

std::string customer_snapshot(const domain::Customer& c) { return json::serialize(customer_json(c)); }
}  // namespace

awaitable<std::optional<json::object>> DataSubjects::access_document(const DataSubjectRequest& r) {
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto user = co_await storage::UserRepository::find(*session, r.user_id);
  if (!user) {
    co_await session->commit();
    co_return std::nullopt;
  }
  json::array opportunities;
  json::array status_records;
  json::array change_records;
  auto owned = co_await storage::DataSubjectRepository::owned_opportunity_ids(*session, r.user_id);
  auto touched = co_await storage::DataSubjectRepository::touched_opportunity_ids(*session, r.user_id);
  for (const auto& id : owned) {
    auto o = co_await storage::OpportunityRepository::load(*session, id, false);
    if (o) opportunities.emplace_back(opportunity_json(*o));
    co_await add_records(*session, id, r.user_id, true, status_records, change_records);
  }
  for (const auto& id : touched) co_await add_records(*session, id, r.user_id, false, status_records, change_records);
  json::array contacts;
  if (!user->email.empty()) {
    auto found = co_await storage::CustomerRepository::with_contact_email(*session, user->email);
    for (const auto& c : found) contacts.emplace_back(customer_json(c));
  }
  json::array created;
  auto theirs = co_await storage::CustomerRepository::created_by(*session, r.user_id);
  for (const auto& c : theirs) created.emplace_back(customer_json(c));
  auto entries = co_await entries_about(*session, r.user_id);
  co_await reveal_audit_pii(*session, entries);
  co_await session->commit();
  json::array audit;
  for (const auto& e : entries) audit.emplace_back(audit_entry_json(e));
  co_return json::object{{"kind", "data_subject_access"},
                         {"request_id", r.id},
                         {"subject_user_id", r.user_id},
                         {"generated_at", util::format_timestamp(ports_.clock.now())},
                         {"user", user_json(*user)},
                         {"opportunities", std::move(opportunities)},
                         {"status_records", std::move(status_records)},
                         {"change_records", std::move(change_records)},
                         {"customer_contacts", std::move(contacts)},
                         {"customers_created", std::move(created)},
                         {"audit_entries", std::move(audit)}};
}

awaitable<ErasureResult> DataSubjects::erase(const DataSubjectRequest& r) {
  ErasureResult out;
  UnitOfWork uow(ports_, r.requested_by, r.request_id);
  co_await uow.begin();
  auto user = co_await storage::UserRepository::find(uow.session(), r.user_id);
  if (!user) co_return out;
  out.user_found = true;
  std::vector<std::string> subjects{user_subject(r.user_id)};
  // The customers whose primary contact is this person lose the contact; the customer stays.
  if (!user->email.empty()) {
    subjects.push_back(contact_subject("", user->email));
    auto found = co_await storage::CustomerRepository::with_contact_email(uow.session(), user->email);
    for (const auto& c : found) {
      domain::Customer after = c;
      after.primary_contact.reset();
      after.updated_at = uow.now();
      co_await storage::CustomerRepository::clear_contact(uow.session(), c.id, uow.now());
      const AuditSpec audit{"customer.erase_contact", "customer", c.id, customer_snapshot(c), customer_snapshot(after)};
      co_await uow.audit(audit);
      out.customers.push_back(c.id);
    }
  }
  // The user record is pseudonymised and deactivated (so the next token does not record the
  // profile again); the id, the IdP's opaque `sub`, stays and keeps ownership and history.
  domain::User erased = *user;
  erased.name = k_erased_name;
  erased.email.clear();
  erased.employee_id.reset();
  erased.is_active = false;
  if (erased.name != user->name || erased.email != user->email || erased.employee_id != user->employee_id ||
      erased.is_active != user->is_active) {
    co_await storage::UserRepository::update(uow.session(), erased);
    uow.invalidate_after_commit(cached::user_key(r.user_id));
  }
  const AuditSpec user_audit{"user.erase", "user", r.user_id, user_snapshot(*user), user_snapshot(erased)};
  co_await uow.audit(user_audit);
  // Entries written before sealing (format 1) hold the PII in the clear: redacted, and recorded.
  out.entries_redacted = co_await redact_legacy_entries(uow, r.user_id, user->email, r.id);
  // Last: the keys of every value sealed above and before, so they are unreadable from now on.
  out.keys_destroyed = co_await storage::SubjectKeyRepository::remove(uow.session(), subjects);
  json::array customers;
  for (const auto& id : out.customers) customers.emplace_back(id);
  json::object summary{{"request", r.id},
                       {"customers_without_contact", std::move(customers)},
                       {"keys_destroyed", out.keys_destroyed},
                       {"legacy_entries_redacted", out.entries_redacted}};
  const AuditSpec done{"data_subject.erase", "data_subject", r.user_id, std::nullopt, json::serialize(summary)};
  co_await uow.audit(done);
  storage::OutboxEvent e;
  e.id = uow.new_id();
  e.event_type = "data_subject.erased";
  e.aggregate_id = r.user_id;
  e.version = 0;
  e.occurred_at = uow.now();
  e.actor_id = r.requested_by;
  e.payload = json::serialize(json::object{{"event_id", e.id},
                                           {"event_type", e.event_type},
                                           {"occurred_at", util::format_timestamp(uow.now())},
                                           {"actor_id", r.requested_by},
                                           {"user_id", r.user_id},
                                           {"request", r.id}});
  co_await storage::OutboxRepository::insert(uow.session(), e);
  co_await uow.commit();
  co_return out;
}

}  // namespace oms::app

namespace oms::app {

awaitable<domain::Export> DataSubjects::request(const Ctx& ctx, const std::string& user_id, domain::ExportKind kind) {
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  auto user = co_await storage::UserRepository::find(uow.session(), user_id);
  if (!user) throw domain::DomainError(domain::ErrorCode::not_found, "User not found.");
  domain::Export e;
  e.id = uow.new_id();
  e.kind = kind;
  e.requested_by = ctx.actor.user_id;
  e.subject_user_id = user_id;
  e.dataset = domain::ExportDataset::subject;
  e.format = domain::ExportFormat::json;
  e.status = domain::ExportStatus::pending;
  e.created_at = uow.now();
  e.updated_at = uow.now();
  co_await storage::ExportRepository::insert(uow.session(), e);
  storage::NewJob job;
  job.id = uow.new_id();
  job.type = k_data_subject_job_type;
  job.idempotency_key = e.id;
  job.payload = json::serialize(json::object{{"export_id", e.id}, {"request_id", ctx.request_id}});
  job.max_attempts = k_max_attempts;
  job.run_after = uow.now();
  job.now = uow.now();
  co_await storage::JobRepository::enqueue(uow.session(), job);
  const std::string action =
      kind == domain::ExportKind::data_subject_erasure ? "data_subject.erasure_request" : "data_subject.access_request";
  const AuditSpec audit{action, "data_subject", user_id, std::nullopt, json::serialize(export_json(e))};
  co_await uow.audit(audit);
  co_await uow.commit();
  co_return e;
}

awaitable<void> DataSubjects::run(const std::string& export_id, const std::string& request_id, bool last_attempt) {
  std::optional<domain::Export> e;
  {
    auto session = co_await ports_.db.begin(storage::Access::read_write);
    e = co_await storage::ExportRepository::find(*session, export_id);
    const bool started = e && e->subject_user_id &&
                         co_await storage::ExportRepository::start(*session, export_id, 1, ports_.clock.now());
    co_await session->commit();
    if (!started) co_return;  // unknown, or finished already
  }
  const DataSubjectRequest r{e->id, *e->subject_user_id, e->requested_by, request_id};
  std::exception_ptr failure;
  try {
    co_await run_started(*e, r);
  } catch (const std::exception&) {
    failure = std::current_exception();
  }
  if (!failure) co_return;
  if (last_attempt) {
    auto session = co_await ports_.db.begin(storage::Access::read_write);
    co_await storage::ExportRepository::fail(*session, export_id, "the request could not be completed",
                                             ports_.clock.now());
    co_await session->commit();
  }
  std::rethrow_exception(failure);
}

// The result is written before the request is marked COMPLETED, so a COMPLETED request always
// has its document; a crash in between re-runs the job, which writes the same key again.
awaitable<void> DataSubjects::run_started(const domain::Export& e, const DataSubjectRequest& r) {
  if (!store_) throw std::runtime_error("no exports store");
  json::object result;
  std::int64_t rows = 1;
  domain::Timestamp expires = ports_.clock.now() + k_access_document_ttl;
  if (e.kind == domain::ExportKind::data_subject_erasure) {
    co_await purge_access_documents(r.user_id);
    const ErasureResult done = co_await erase(r);
    json::array customers;
    for (const auto& id : done.customers) customers.emplace_back(id);
    result = json::object{{"kind", "data_subject_erasure"},
                          {"request_id", r.id},
                          {"subject_user_id", r.user_id},
                          {"user_found", done.user_found},
                          {"customers_without_contact", std::move(customers)},
                          {"keys_destroyed", done.keys_destroyed},
                          {"legacy_entries_redacted", done.entries_redacted}};
    expires = ports_.clock.now() + std::chrono::days(7 * 365 + 2);  // a receipt without PII: the exports' 7 years
  } else {
    auto doc = co_await access_document(r);
    if (!doc) throw std::runtime_error("the user no longer exists");
    rows = static_cast<std::int64_t>(doc->at("opportunities").as_array().size() +
                                     doc->at("audit_entries").as_array().size() + 1);
    result = std::move(*doc);
  }
  const std::string body = json::serialize(result);
  const std::string key = "data-subjects/" + e.id + ".json";
  auto writer = co_await store_->open_writer(key, "application/json");
  co_await writer->write(body);
  co_await writer->finish();
  auto session = co_await ports_.db.begin(storage::Access::read_write);
  co_await storage::ExportRepository::complete(*session, e.id, key, rows, ports_.clock.now(), expires);
  co_await session->commit();
}

// Earlier access documents about the person hold their PII: erasure deletes them from the store.
awaitable<void> DataSubjects::purge_access_documents(const std::string& user_id) {
  std::vector<storage::ExpiredExport> found;
  {
    auto session = co_await ports_.db.begin(storage::Access::read_only);
    found = co_await storage::DataSubjectRepository::access_documents(*session, user_id);
    co_await session->commit();
  }
  for (const auto& d : found) {
    co_await store_->remove(d.object_key);
    auto session = co_await ports_.db.begin(storage::Access::read_write);
    co_await storage::ExportRepository::mark_purged(*session, d.id, ports_.clock.now());
    co_await session->commit();
  }
}

}  // namespace oms::app
