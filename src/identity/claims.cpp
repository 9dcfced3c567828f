#include "identity/claims.hpp"

#include "domain/error.hpp"

namespace oms::identity::detail {

void reject_token(std::string detail) {
  throw domain::DomainError(domain::ErrorCode::unauthenticated, std::move(detail));
}

std::optional<std::string> string_claim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

}  // namespace oms::identity::detail
