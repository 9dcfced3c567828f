#pragma once
#include <string>
#include <string_view>

namespace oms::storage::sqlite {

// Rewrites PostgreSQL-style $N parameters to SQLite's ?N, leaving string literals, quoted
// identifiers and comments untouched. (SQLite would otherwise read "$1" as a *named*
// parameter numbered by order of appearance, not by its digits.)
std::string rewrite_placeholders(std::string_view sql);

}  // namespace oms::storage::sqlite
