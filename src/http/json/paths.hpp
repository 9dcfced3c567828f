#pragma once
// Where in a JSON text something happens, as the API names fields ("a.b", "list[2]"). A second,
// SAX-style pass over the body, used for two things the DOM parser cannot tell:
// - boost::json keeps the last of duplicate object keys silently; a strict API refuses them,
//   since two readers of the same body could otherwise disagree about its meaning;
// - which field a parse error (e.g. an unpaired \u surrogate escape) occurred in.
#include <optional>
#include <string>
#include <string_view>

namespace oms::http::json {

// The path of the first key that occurs twice in one object of a valid JSON text, if any.
std::optional<std::string> find_duplicate_key(std::string_view valid_json);

// The path of the value being read where parsing of an invalid JSON text fails ("" at the top).
std::string error_path(std::string_view invalid_json);

}  // namespace oms::http::json
