#include "storage/repositories/audit_repository.hpp"

#include <algorithm>

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_audit_columns =
    "seq, id, at, actor_id, action, entity_type, entity_id, request_id, before, after, prev_hash, hash, format";
// What is read back: the columns written on append, and the redaction mark (never appended).
constexpr const char* k_audit_read_columns =
    "seq, id, at, actor_id, action, entity_type, entity_id, request_id, before, after, prev_hash, hash, format, "
    "redacted_by_seq";

domain::AuditEntry read_row(const Row& r) {
  domain::AuditEntry a;
  a.seq = r.i64(0);
  a.id = r.str(1);
  a.at = r.timestamp(2);
  a.actor_id = r.str(3);
  a.action = r.str(4);
  a.entity_type = r.str(5);
  a.entity_id = r.str(6);
  a.request_id = r.str(7);
  a.before = r.text(8);
  a.after = r.text(9);
  a.prev_hash = r.str(10);
  a.hash = r.str(11);
  a.format = static_cast<int>(r.i64(12));
  if (!r.is_null(13)) a.redacted_by_seq = r.i64(13);
  return a;
}

}  // namespace

awaitable<AuditHead> AuditRepository::head_for_append(Session& s) {
  std::string sql = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1";
  if (s.dialect() == Dialect::postgres) sql += " FOR UPDATE";
  Params none;
  auto r = co_await s.query(sql, std::move(none));
  if (r.empty()) throw DatabaseError("audit_head row is missing");
  co_return AuditHead{r.rows.front().i64(0), r.rows.front().str(1)};
}

awaitable<AuditHead> AuditRepository::head(Session& s) {
  Params none;
  auto r = co_await s.query("SELECT last_seq, last_hash FROM audit_head WHERE id = 1", std::move(none));
  if (r.empty()) throw DatabaseError("audit_head row is missing");
  co_return AuditHead{r.rows.front().i64(0), r.rows.front().str(1)};
}

awaitable<void> AuditRepository::append(Session& s, const domain::AuditEntry& a) {
  Params p{a.seq,         a.id,        param(a.at),           a.actor_id,      a.action,
           a.entity_type, a.entity_id, a.request_id,          param(a.before), param(a.after),
           a.prev_hash,   a.hash,      std::int64_t{a.format}};
  const std::string sql = std::string("INSERT INTO audit_log (") + k_audit_columns +
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
  co_await s.query(sql, std::move(p));
  Params h{a.seq, a.hash};
  co_await s.query("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", std::move(h));
}

awaitable<void> AuditRepository::append_many(Session& s, const std::vector<domain::AuditEntry>& rows) {
  constexpr std::size_t k_rows_per_statement = 500;  // 13 parameters a row: under both engines' limits
  for (std::size_t first = 0; first < rows.size(); first += k_rows_per_statement) {
    SqlBuilder q;
    q << "INSERT INTO audit_log (" << k_audit_columns << ") VALUES ";
    const std::size_t last = std::min(rows.size(), first + k_rows_per_statement);
    for (std::size_t i = first; i < last; ++i) {
      const auto& a = rows[i];
      q << (i == first ? "(" : ", (") << q.bind(a.seq) << ", " << q.bind(a.id) << ", " << q.bind(param(a.at)) << ", "
        << q.bind(a.actor_id) << ", " << q.bind(a.action) << ", " << q.bind(a.entity_type) << ", "
        << q.bind(a.entity_id) << ", " << q.bind(a.request_id) << ", " << q.bind(param(a.before)) << ", "
        << q.bind(param(a.after)) << ", " << q.bind(a.prev_hash) << ", " << q.bind(a.hash) << ", "
        << q.bind(std::int64_t{a.format}) << ")";
    }
    co_await s.query(q.sql(), std::move(q.params()));
  }
  if (rows.empty()) co_return;
  Params h{rows.back().seq, rows.back().hash};
  co_await s.query("UPDATE audit_head SET last_seq = $1, last_hash = $2 WHERE id = 1", std::move(h));
}

awaitable<void> AuditRepository::index_reads(Session& s, const std::vector<AuditReadIndexRow>& rows) {
  constexpr std::size_t k_rows_per_statement = 1000;
  for (std::size_t first = 0; first < rows.size(); first += k_rows_per_statement) {
    SqlBuilder q;
    q << "INSERT INTO audit_read_index (entity_id, seq) VALUES ";
    const std::size_t last = std::min(rows.size(), first + k_rows_per_statement);
    for (std::size_t i = first; i < last; ++i)
      q << (i == first ? "(" : ", (") << q.bind(rows[i].entity_id) << ", " << q.bind(rows[i].seq) << ")";
    co_await s.query(q.sql(), std::move(q.params()));
  }
}

awaitable<std::vector<domain::AuditEntry>> AuditRepository::list(Session& s, const AuditFilter& f) {
  SqlBuilder q;
  q << "SELECT " << k_audit_read_columns << " FROM audit_log WHERE 1 = 1";
  if (f.entity_type) q << " AND entity_type = " << q.bind(*f.entity_type);
  if (f.entity_id) {
    const std::string id = q.bind(*f.entity_id);
    q << " AND (entity_id = " << id << " OR seq IN (SELECT seq FROM audit_read_index WHERE entity_id = " << id << "))";
  }
  if (f.actor_id) q << " AND actor_id = " << q.bind(*f.actor_id);
  if (f.from) q << " AND at >= " << q.bind(param(*f.from));
  if (f.to) q << " AND at <= " << q.bind(param(*f.to));
  if (f.format) q << " AND format = " << q.bind(std::int64_t{*f.format});
  if (f.after_seq) q << " AND seq > " << q.bind(*f.after_seq);
  q << " ORDER BY seq LIMIT " << q.bind(std::int64_t{f.limit});
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  co_return read_rows(r, read_row);
}

awaitable<std::optional<domain::AuditEntry>> AuditRepository::find(Session& s, std::int64_t seq) {
  Params p{seq};
  auto r =
      co_await s.query(std::string("SELECT ") + k_audit_read_columns + " FROM audit_log WHERE seq = $1", std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_row(r.rows.front());
}

awaitable<void> AuditRepository::redact(Session& s, std::int64_t seq, const std::optional<std::string>& before,
                                        const std::optional<std::string>& after, std::int64_t redacted_by_seq) {
  Params p{param(before), param(after), redacted_by_seq, seq};
  co_await s.query("UPDATE audit_log SET before = $1, after = $2, redacted_by_seq = $3 WHERE seq = $4", std::move(p));
}

awaitable<std::vector<domain::AuditEntry>> AuditRepository::list_all(Session& s, AuditFilter f) {
  constexpr int k_batch = 500;
  f.limit = k_batch;
  std::vector<domain::AuditEntry> out;
  for (;;) {
    auto rows = co_await list(s, f);
    const bool last = rows.size() < static_cast<std::size_t>(k_batch);
    if (!rows.empty()) f.after_seq = rows.back().seq;
    for (auto& r : rows) out.push_back(std::move(r));
    if (last) co_return out;
  }
}

}  // namespace oms::storage
