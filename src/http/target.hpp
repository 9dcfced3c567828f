#pragma once
// Splits a request target ("/a%20b/c?x=1&y=two+words") into the decoded path and query pairs.
#include <string_view>

#include "http/message.hpp"

namespace oms::http {

// Fills request.path and request.query from `target`. False when the target is not an
// origin-form path or has a bad percent escape.
bool parse_target(std::string_view target, Request& request);

// Percent-decoding; `plus_is_space` for query strings. nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace oms::http
