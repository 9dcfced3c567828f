#include "storage/column_names.hpp"

#include <mutex>
#include <set>

namespace oms::storage {

const std::vector<std::string>* intern_columns(const std::vector<std::string>& columns) {
  static std::mutex mutex;
  static auto* interned = new std::set<std::vector<std::string>>();  // never freed
  std::lock_guard lock(mutex);
  return &*interned->insert(columns).first;
}

}  // namespace oms::storage
