#pragma once
// SQL that finds what oms holds on one person (data-subject access and erasure, issue 11).
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/repositories/export_repository.hpp"

namespace oms::storage {

class DataSubjectRepository {
 public:
  // Ids of the opportunities the user owns (sales_manager_id), oldest first.
  static awaitable<std::vector<std::string>> owned_opportunity_ids(Session& s, const std::string& user_id);
  // Ids of the other opportunities where the user wrote a status or change record.
  static awaitable<std::vector<std::string>> touched_opportunity_ids(Session& s, const std::string& user_id);
  // Completed access requests about the user whose document is still in the exports store.
  static awaitable<std::vector<ExpiredExport>> access_documents(Session& s, const std::string& user_id);
};

}  // namespace oms::storage
