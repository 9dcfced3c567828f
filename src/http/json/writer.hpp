#pragma once
// A small streaming JSON writer: no DOM, appends straight to one string. Commas and colons are
// placed automatically; strings are escaped (quote, backslash, control characters) and UTF-8
// passes through unchanged.
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oms::http::json {

class Writer {
 public:
  Writer() { out_.reserve(256); }

  Writer& begin_object();
  Writer& end_object();
  Writer& begin_array();
  Writer& end_array();
  Writer& key(std::string_view name);

  Writer& value(std::string_view s);
  Writer& value(const std::string& s) { return value(std::string_view(s)); }
  Writer& value(const char* s) { return value(std::string_view(s)); }
  Writer& value(bool b);
  Writer& value(std::nullptr_t);
  template <std::integral T>
  requires(!std::same_as<T, bool>) Writer& value(T n) { return integer(static_cast<std::int64_t>(n)); }
  // A string, or null when absent.
  Writer& value(const std::optional<std::string>& s) { return s ? value(*s) : value(nullptr); }
  // Already serialised JSON (e.g. a stored JSON document), inserted verbatim; empty means null.
  Writer& raw(std::string_view json);

  template <class T>
  Writer& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  Writer& field_raw(std::string_view name, const std::optional<std::string>& json) {
    key(name);
    return json ? raw(*json) : value(nullptr);
  }

  const std::string& str() const noexcept { return out_; }
  std::string take() noexcept { return std::move(out_); }

 private:
  Writer& integer(std::int64_t n);
  void before_value();

  std::string out_;
  std::vector<bool> has_items_;  // one per open container: whether a comma is due
  bool after_key_ = false;
};

// Appends the JSON string literal of s (with quotes) to out.
void append_escaped(std::string& out, std::string_view s);

}  // namespace oms::http::json
