#pragma once
// The HTTP unit tests read a response's headers by name.
#include <optional>
#include <string>
#include <string_view>

#include "http/message.hpp"

namespace oms::testing {

// The first value of header `name` (matched exactly, as the pipeline writes it), if any.
inline std::optional<std::string> find_header(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return std::nullopt;
}

}  // namespace oms::testing
