#include "storage/repositories/data_subject_repository.hpp"

namespace oms::storage {
namespace {
std::vector<std::string> first_column(const Result& r) {
  std::vector<std::string> out;
  out.reserve(r.rows.size());
  for (const auto& row : r.rows) out.push_back(row.str(0));
  return out;
}
}  // namespace

awaitable<std::vector<std::string>> DataSubjectRepository::owned_opportunity_ids(Session& s,
                                                                                 const std::string& user_id) {
  Params p{user_id};
  auto r = co_await s.query("SELECT id FROM opportunities WHERE sales_manager_id = $1 ORDER BY created_at, id",
                            std::move(p));
  co_return first_column(r);
}

awaitable<std::vector<std::string>> DataSubjectRepository::touched_opportunity_ids(Session& s,
                                                                                   const std::string& user_id) {
  Params p{user_id};
  auto r = co_await s.query(
      "SELECT DISTINCT o.id FROM opportunities o WHERE o.sales_manager_id <> $1 AND ("
      "EXISTS (SELECT 1 FROM status_records r WHERE r.opportunity_id = o.id AND r.changed_by = $1) OR "
      "EXISTS (SELECT 1 FROM change_records c WHERE c.opportunity_id = o.id AND c.changed_by = $1)) ORDER BY o.id",
      std::move(p));
  co_return first_column(r);
}

awaitable<std::vector<ExpiredExport>> DataSubjectRepository::access_documents(Session& s, const std::string& user_id) {
  Params p{user_id};
  auto r = co_await s.query(
      "SELECT id, object_key FROM exports WHERE subject_user_id = $1 AND kind = 'data_subject_access' "
      "AND object_key IS NOT NULL AND purged_at IS NULL ORDER BY created_at, id",
      std::move(p));
  std::vector<ExpiredExport> out;
  for (const auto& row : r.rows) out.push_back(ExpiredExport{row.str(0), row.str(1)});
  co_return out;
}

}  // namespace oms::storage
