#pragma once
// What reading a token's claims needs wherever it happens (our tokens, Cognito's): one refusal
// and one way to read a string claim.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace oms::identity::detail {

// The token is refused: `unauthenticated`, with `detail` as the problem's detail.
[[noreturn]] void reject_token(std::string detail);

// The claim `name` when it is a JSON string; nothing when absent or of another type.
std::optional<std::string> string_claim(const boost::json::object& claims, std::string_view name);

}  // namespace oms::identity::detail
