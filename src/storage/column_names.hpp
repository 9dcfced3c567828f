#pragma once
// Row keeps a pointer to its column names, but a Result (and its `columns` vector) is moved
// around freely, so the pointer cannot point into the Result. Column lists are interned here
// instead: one immutable copy per distinct list for the life of the process. Queries are fixed
// SQL texts, so the set stays small.
#include <string>
#include <vector>

namespace oms::storage {

const std::vector<std::string>* intern_columns(const std::vector<std::string>& columns);

}  // namespace oms::storage
