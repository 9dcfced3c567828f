#include "app/read_audit.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <map>
#include <string_view>
#include <utility>

#include "app/unit_of_work.hpp"
#include "storage/repositories/audit_repository.hpp"
#include "util/time.hpp"

namespace oms::app {
namespace asio = boost::asio;

ReadAuditLog::ReadAuditLog(asio::any_io_executor executor, Ports ports, ReadAuditOptions options)
    : strand_(asio::make_strand(executor)), timer_(strand_), ports_(ports), options_(options) {}

void ReadAuditLog::record(const Ctx& ctx, std::string entity_type, std::string entity_id) {
  std::vector<std::string> shown;
  shown.push_back(std::move(entity_id));
  push(Pending{ctx.actor.user_id, ctx.request_id, std::move(entity_type), ports_.clock.now(), std::move(shown)});
}

void ReadAuditLog::record_list(const Ctx& ctx, std::string entity_type, std::vector<std::string> entity_ids) {
  if (entity_ids.empty()) return;
  push(Pending{ctx.actor.user_id, ctx.request_id, std::move(entity_type), ports_.clock.now(), std::move(entity_ids)});
}

void ReadAuditLog::push(Pending p) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(p));
    wake = queue_.size() == options_.max_batch;
  }
  // A full batch does not wait for the timer; the timer belongs to the strand.
  if (wake) asio::post(strand_, [this] { timer_.cancel(); });
}

void ReadAuditLog::start() { asio::co_spawn(strand_, run(), asio::detached); }

awaitable<void> ReadAuditLog::run() {
  while (!stopping_) {
    timer_.expires_after(options_.interval);
    boost::system::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    co_await timer_.async_wait(token);
    if (stopping_) break;
    try {
      co_await flush();
    } catch (const std::exception&) {
      // The entries stay queued (flush puts them back) and the next tick tries again.
    }
  }
}

awaitable<void> ReadAuditLog::stop() {
  co_await asio::post(strand_, asio::use_awaitable);
  stopping_ = true;
  timer_.cancel();
  co_await flush();
}

void audit_personal_read(const Ports& ports, const Ctx& ctx, std::string entity_type, std::string entity_id) {
  if (ports.read_audit && ctx.actor.role == domain::Role::admin)
    ports.read_audit->record(ctx, std::move(entity_type), std::move(entity_id));
}

void audit_personal_list_read(const Ports& ports, const Ctx& ctx, std::string entity_type,
                              std::vector<std::string> entity_ids) {
  if (ports.read_audit && ctx.actor.role == domain::Role::admin)
    ports.read_audit->record_list(ctx, std::move(entity_type), std::move(entity_ids));
}

std::uint64_t ReadAuditLog::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

awaitable<std::size_t> ReadAuditLog::flush() {
  std::size_t total = 0;
  for (;;) {
    const std::size_t n = co_await flush_some();
    total += n;
    if (n < k_max_reads_per_transaction) co_return total;
  }
}

namespace {

using Pending = ReadAuditLog::Pending;

// The reads of one admin and entity type, in queue order, and the distinct ids they showed.
struct ReadGroup {
  std::string actor_id;
  std::string entity_type;
  std::vector<const Pending*> reads;
};

std::vector<ReadGroup> group_reads(const std::vector<Pending>& batch, std::size_t reads_per_entry) {
  std::vector<ReadGroup> groups;
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> open;  // -> index in groups
  for (const Pending& p : batch) {
    const auto key = std::make_pair(std::string_view(p.actor_id), std::string_view(p.entity_type));
    auto it = open.find(key);
    if (it == open.end() || groups[it->second].reads.size() == reads_per_entry) {
      groups.push_back(ReadGroup{p.actor_id, p.entity_type, {}});
      it = open.insert_or_assign(key, groups.size() - 1).first;
    }
    groups[it->second].reads.push_back(&p);
  }
  return groups;
}

// {"ids": [every id shown, once, in first-seen order],
//  "reads": [{"at": ..., "request_id": ..., "shown": [positions in ids]}, ...]}
std::string read_summary(const ReadGroup& g, std::vector<std::string>& ids) {
  std::map<std::string_view, std::size_t> position;
  boost::json::array reads;
  reads.reserve(g.reads.size());
  for (const Pending* p : g.reads) {
    boost::json::array shown;
    shown.reserve(p->shown.size());
    for (const auto& id : p->shown) {
      auto [it, added] = position.try_emplace(id, ids.size());
      if (added) ids.push_back(id);
      shown.emplace_back(it->second);
    }
    reads.emplace_back(boost::json::object{
        {"at", util::format_timestamp(p->at)}, {"request_id", p->request_id}, {"shown", std::move(shown)}});
  }
  boost::json::array all(ids.begin(), ids.end());
  return boost::json::serialize(boost::json::object{{"ids", std::move(all)}, {"reads", std::move(reads)}});
}

}  // namespace

// At most k_max_reads_per_transaction of the oldest queued reads, in one transaction: one chained
// entry per admin and entity type (at most k_reads_per_entry reads each) and one index row per
// distinct id it names.
awaitable<std::size_t> ReadAuditLog::flush_some() {
  std::vector<Pending> batch;
  {
    std::lock_guard lock(mutex_);
    const std::size_t n = std::min(queue_.size(), k_max_reads_per_transaction);
    batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
    queue_.erase(queue_.begin(), queue_.begin() + n);
  }
  if (batch.empty()) co_return 0;
  try {
    const std::vector<ReadGroup> groups = group_reads(batch, k_reads_per_entry);
    auto session = co_await ports_.db.begin(storage::Access::read_write);
    storage::AuditHead head = co_await storage::AuditRepository::head_for_append(*session);
    std::vector<domain::AuditEntry> rows;
    std::vector<storage::AuditReadIndexRow> index;
    rows.reserve(groups.size());
    for (const auto& g : groups) {
      domain::AuditEntry& row = rows.emplace_back();
      row.seq = ++head.last_seq;
      row.id = ports_.ids.next();
      row.at = g.reads.back()->at;
      row.actor_id = g.actor_id;
      row.action = g.entity_type + ".read";
      row.entity_type = g.entity_type;
      // One read of one entity names it and its request, as any entry does; a summary of
      // several names them in `after` and the index.
      std::vector<std::string> ids;
      row.after = read_summary(g, ids);
      if (g.reads.size() == 1) row.request_id = g.reads.front()->request_id;
      if (ids.size() == 1) row.entity_id = ids.front();
      for (auto& id : ids) index.push_back({std::move(id), row.seq});
      row.format = k_audit_format;  // a read entry holds no personal data (ids only): nothing to seal
      row.prev_hash = head.last_hash;
      row.hash = audit_entry_hash(row);
      head.last_hash = row.hash;
    }
    co_await storage::AuditRepository::append_many(*session, rows);
    co_await storage::AuditRepository::index_reads(*session, index);
    co_await session->commit();
  } catch (...) {
    std::lock_guard lock(mutex_);
    queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
    throw;
  }
  std::lock_guard lock(mutex_);
  written_ += batch.size();
  co_return batch.size();
}

}  // namespace oms::app
