// Param builders for optional values and domain time types.
#include "storage/database.hpp"
#include "util/time.hpp"

namespace oms::storage {

Param param(std::optional<std::string> v) {
  if (!v) return Null{};
  return std::move(*v);
}

Param param(domain::Timestamp t) { return util::format_timestamp(t); }

Param param(std::optional<domain::Timestamp> t) {
  if (!t) return Null{};
  return util::format_timestamp(*t);
}

Param param(domain::Date d) { return util::format_date(d); }

}  // namespace oms::storage
