#pragma once
// A YAML -> JSON converter for the subset OpenAPI documents use: block mappings and sequences,
// plain, single- and double-quoted scalars (plain ones typed as null/bool/int/float/string by
// the YAML 1.2 core schema), literal `|` and folded `>` block scalars with chomping indicators,
// flow `[...]` / `{...}` collections, and comments. Anchors, aliases, tags and multiple
// documents are refused with an error naming the line.
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string_view>

namespace oms::http {

struct YamlError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

boost::json::value yaml_to_json(std::string_view yaml);

}  // namespace oms::http
