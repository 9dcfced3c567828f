#pragma once
// An enum's wire names as a constant table of (value, name) pairs, read both ways.
#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace oms::domain::detail {

template <class E, std::size_t N>
using EnumTable = std::array<std::pair<E, std::string_view>, N>;

// The value named `text`, if any (names are matched exactly).
template <class E, std::size_t N>
std::optional<E> value_named(const EnumTable<E, N>& table, std::string_view text) noexcept {
  for (const auto& [value, name] : table)
    if (name == text) return value;
  return std::nullopt;
}

// `value`'s name; empty for a value the table lacks.
template <class E, std::size_t N>
std::string_view name_of(const EnumTable<E, N>& table, E value) noexcept {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

}  // namespace oms::domain::detail
