#include "app/paging.hpp"

#include "domain/error.hpp"
#include "util/encoding.hpp"

namespace oms::app::detail {
using domain::DomainError;
using domain::ErrorCode;

void check_page_limit(int limit) {
  if (limit < 1 || limit > 100)
    throw DomainError(ErrorCode::validation_error, "limit must be between 1 and 100.",
                      {{"limit", "must be between 1 and 100"}});
}

bool is_sequence_key(const std::string& key) {
  return !key.empty() && key.size() <= 18 && key.find_first_not_of("0123456789") == std::string::npos;
}

std::pair<std::string, std::string> name_and_uuid_position(std::string_view cursor, std::string_view list_spec) {
  Cursor c = decode_cursor(cursor, list_spec);
  if (!util::is_uuid(c.id)) throw_bad_cursor();
  return std::make_pair(c.key, util::to_lower_ascii(c.id));
}

}  // namespace oms::app::detail
