#pragma once
// Parses a request target ("/a%20b/c%2Fd?x=1&y=two+words") with Boost.URL: the path is split on
// its raw (still-encoded) slashes and each segment is decoded after, so "%2F" stays inside its
// segment ("c/d") instead of splitting it; query pairs are decoded with '+' as space.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace oms::http {

// Fills request.path (decoded, for logs and messages), request.segments and request.query from
// `target`. False when the target is not an origin-form path ("/…") or has a bad percent escape.
bool parse_target(std::string_view target, Request& request);

// The decoded segments of a still-encoded absolute path ("/a/b%2Fc" -> {"a", "b/c"}; "/" -> {});
// nullopt when the path is malformed.
std::optional<std::vector<std::string>> path_segments(std::string_view raw_path);

}  // namespace oms::http
