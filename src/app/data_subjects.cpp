// Data-subject access and erasure, run by the worker (jobs/data_subject_jobs.cpp).
#include "app/data_subjects.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <iterator>

#include "app/audit_pii.hpp"
#include "app/cached_reads.hpp"
#include "app/json_views.hpp"
#include "app/unit_of_work.hpp"
#include "storage/repositories/audit_repository.hpp"
#include "storage/repositories/customer_repository.hpp"
#include "storage/repositories/data_subject_repository.hpp"
#include "storage/repositories/opportunity_repository.hpp"
#include "storage/repositories/outbox_repository.hpp"
#include "storage/repositories/subject_key_repository.hpp"
#include "storage/repositories/user_repository.hpp"
#include "util/time.hpp"

namespace oms::app {
namespace json = boost::json;

namespace {
constexpr int k_batch = 500;
constexpr int k_all_records = 1'000'000;  // an opportunity's history is far shorter

// Every audit entry matching `f`, in seq order, read in batches.
awaitable<std::vector<domain::AuditEntry>> all_entries(storage::Session& s, storage::AuditFilter f) {
  std::vector<domain::AuditEntry> out;
  f.limit = k_batch;
  for (;;) {
    auto rows = co_await storage::AuditRepository::list(s, f);
    const bool last = rows.size() < static_cast<std::size_t>(k_batch);
    if (!rows.empty()) f.after_seq = rows.back().seq;
    for (auto& r : rows) out.push_back(std::move(r));
    if (last) break;
  }
  co_return out;
}

// The audit entries by the person or about their user record, without duplicates, in seq order.
awaitable<std::vector<domain::AuditEntry>> entries_about(storage::Session& s, const std::string& user_id) {
  storage::AuditFilter by;
  by.actor_id = user_id;
  storage::AuditFilter about;
  about.entity_type = "user";
  about.entity_id = user_id;
  auto a = co_await all_entries(s, by);
  auto b = co_await all_entries(s, about);
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

std::string user_snapshot(const domain::User& u) { return json::serialize(user_json(u)); }
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
  // Last: the keys of every value sealed above and before, so they are unreadable from now on.
  out.keys_destroyed = co_await storage::SubjectKeyRepository::remove(uow.session(), subjects);
  json::array customers;
  for (const auto& id : out.customers) customers.emplace_back(id);
  json::object summary{
      {"request", r.id}, {"customers_without_contact", std::move(customers)}, {"keys_destroyed", out.keys_destroyed}};
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
