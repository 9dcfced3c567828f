#pragma once
// A strict reader for JSON request bodies. Every problem found is added to a domain::Validator
// under the JSON path of the field (e.g. "geographic_requirements.region", "synonyms[2]"), so a
// handler can report all of them at once: wrong types ("must be a string"), missing fields
// ("is required"), unknown fields ("is not allowed"), lengths in code points, enum values, dates,
// money and UUIDs.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/types.hpp"

namespace oms::http::json {

inline constexpr int k_max_depth = 32;

// Parses a request body that must be a JSON object. Invalid UTF-8, invalid JSON, nesting deeper
// than k_max_depth or a top level that is not an object are reported under field "body" and give
// std::nullopt. An empty (or all-whitespace) body is {} when allow_empty, an error otherwise.
std::optional<boost::json::object> parse_object(std::string_view body, domain::Validator& v, bool allow_empty = false);

enum class Need { required, optional };

// The names of an enumeration's values, comma separated: "LOW, MEDIUM, HIGH, CRITICAL".
template <class E>
std::string enum_choices() {
  std::string out;
  for (int i = 0;; ++i) {
    const std::string_view name = domain::to_string(static_cast<E>(i));
    if (name.empty()) break;
    if (i > 0) out += ", ";
    out += name;
  }
  return out;
}

class ObjectReader {
 public:
  ObjectReader(const boost::json::object& object, domain::Validator& v, std::string prefix = {});

  // The field's JSON path: prefix.key
  std::string path(std::string_view key) const;
  // The raw value (null included), or nullptr when absent. Marks the key as known.
  const boost::json::value* find(std::string_view key);
  bool has(std::string_view key) { return find(key) != nullptr; }

  // A string of min..max code points after trimming (domain::check_text). With trim, the value
  // returned is trimmed too. std::nullopt when absent or invalid (the error is recorded).
  std::optional<std::string> string(std::string_view key, Need need, std::size_t min, std::size_t max,
                                    bool trim = false);
  // A string as sent, of any length: for fields whose rules are the domain's (checked there).
  std::optional<std::string> text(std::string_view key, Need need);
  // Absent: std::nullopt. null: an engaged optional holding std::nullopt. Else a checked string.
  std::optional<std::optional<std::string>> nullable_string(std::string_view key, std::size_t min, std::size_t max,
                                                            bool trim = false);
  std::optional<bool> boolean(std::string_view key, Need need);
  // A canonical UUID string, returned in lower case.
  std::optional<std::string> uuid(std::string_view key, Need need);
  // A decimal string ("125000.00"); a JSON number is a type error. Returns cents.
  std::optional<std::int64_t> money(std::string_view key, Need need);
  std::optional<domain::Date> date(std::string_view key, Need need);
  template <class E>
  std::optional<E> enumeration(std::string_view key, Need need) {
    const boost::json::value* value = typed(key, need, boost::json::kind::string, "must be a string");
    if (!value) return std::nullopt;
    const auto& s = value->get_string();
    if (auto e = domain::parse_enum<E>(std::string_view(s.data(), s.size()))) return e;
    v_.add(path(key), "must be one of " + enum_choices<E>());
    return std::nullopt;
  }

  std::optional<std::vector<std::string>> string_array(std::string_view key, Need need, std::size_t min,
                                                       std::size_t max, bool trim = false);
  std::optional<std::vector<std::string>> uuid_array(std::string_view key, Need need);
  std::optional<std::vector<domain::Date>> date_array(std::string_view key, Need need);
  // A nested object, read with its own reader (call finish() on it too).
  std::optional<ObjectReader> object(std::string_view key, Need need);

  // Reports every field that no getter asked for as "is not allowed".
  void finish();

  domain::Validator& validator() noexcept { return v_; }
  std::size_t size() const noexcept { return object_->size(); }

 private:
  // The value when present and of the expected kind; records "is required" or type_message.
  const boost::json::value* typed(std::string_view key, Need need, boost::json::kind kind,
                                  std::string_view type_message);
  const boost::json::array* array(std::string_view key, Need need);

  const boost::json::object* object_;
  domain::Validator& v_;
  std::string prefix_;
  std::vector<std::string> known_;
};

}  // namespace oms::http::json
