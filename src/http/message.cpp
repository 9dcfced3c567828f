#include "http/message.hpp"

#include <stdexcept>

#include "domain/error.hpp"

namespace oms::http {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return std::string_view(value);
  return std::nullopt;
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query)
    if (key == name) return std::string_view(value);
  return std::nullopt;
}

std::vector<std::string_view> Request::query_params(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [key, value] : query)
    if (key == name) out.emplace_back(value);
  return out;
}

const std::string& Request::path_param(std::string_view name) const {
  for (const auto& [key, value] : path_params)
    if (key == name) return value;
  // A handler asking for a parameter its route pattern does not have is a programming error.
  throw std::logic_error("no path parameter named " + std::string(name));
}

const domain::Principal& Request::actor() const {
  if (!principal) throw domain::DomainError(domain::ErrorCode::unauthenticated, "Authentication is required.");
  return *principal;
}

}  // namespace oms::http
