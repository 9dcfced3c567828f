#include "storage/repositories/subject_key_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {

awaitable<SubjectKey> SubjectKeyRepository::find_or_create(Session& s, const std::string& subject,
                                                           const SubjectKey& candidate, domain::Timestamp now) {
  Params insert{candidate.id, subject, candidate.secret, param(now)};
  co_await s.query(
      "INSERT INTO subject_keys (id, subject, secret, created_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (subject) DO NOTHING",
      std::move(insert));
  Params key{subject};
  auto r = co_await s.query("SELECT id, secret FROM subject_keys WHERE subject = $1", std::move(key));
  if (r.empty()) throw DatabaseError("subject key vanished");
  co_return SubjectKey{r.rows.front().str(0), r.rows.front().str(1)};
}

awaitable<std::map<std::string, std::string>> SubjectKeyRepository::secrets(Session& s,
                                                                            const std::vector<std::string>& ids) {
  std::map<std::string, std::string> out;
  if (ids.empty()) co_return out;
  SqlBuilder q;
  q << "SELECT id, secret FROM subject_keys WHERE id IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) q << ", ";
    q << q.bind(ids[i]);
  }
  q << ")";
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  for (const auto& row : r.rows) out.emplace(row.str(0), row.str(1));
  co_return out;
}

awaitable<std::int64_t> SubjectKeyRepository::remove(Session& s, const std::vector<std::string>& subjects) {
  std::int64_t removed = 0;
  for (const auto& subject : subjects) {
    Params p{subject};
    auto r = co_await s.query("DELETE FROM subject_keys WHERE subject = $1 RETURNING id", std::move(p));
    removed += static_cast<std::int64_t>(r.rows.size());
  }
  co_return removed;
}

}  // namespace oms::storage
