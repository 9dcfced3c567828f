#include "http/json/reader.hpp"

#include <algorithm>
#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>
#include <cctype>

#include "domain/validation.hpp"
#include "http/json/paths.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"
#include "util/utf8.hpp"

namespace oms::http::json {
namespace {

constexpr std::string_view k_body = "body";

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string_view view(const boost::json::string& s) { return {s.data(), s.size()}; }

// An unpaired UTF-16 surrogate in a \u escape. A high surrogate not followed by a low one is a
// plain syntax error for boost::json, found right after the escape at `at`.
bool is_surrogate_error(const boost::system::error_code& ec, std::string_view body, std::size_t at) {
  if (ec == boost::json::error::illegal_leading_surrogate || ec == boost::json::error::illegal_trailing_surrogate ||
      ec == boost::json::error::expected_utf16_escape)
    return true;
  if (at < 6 || at > body.size()) return false;
  const std::string_view esc = body.substr(at - 6, 6);
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  return esc[0] == '\\' && esc[1] == 'u' && (esc[2] == 'd' || esc[2] == 'D') &&
         std::string_view("89abAB").find(esc[3]) != std::string_view::npos && hex(esc[4]) && hex(esc[5]);
}

std::string indexed(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Every item of an array read by read_item(item, its path), which adds its own error and returns
// nullopt for a bad item; nullopt when any item was bad (all of them are still checked).
template <class T, class ReadItem>
std::optional<std::vector<T>> read_items(const boost::json::array& items, const std::string& base, ReadItem read_item) {
  std::vector<T> out;
  bool ok = true;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (std::optional<T> item = read_item(items[i], indexed(base, i)))
      out.push_back(std::move(*item));
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

std::optional<boost::json::object> parse_object(std::string_view body, domain::Validator& v, bool allow_empty) {
  if (is_blank(body)) {
    if (allow_empty) return boost::json::object{};
    v.add(std::string(k_body), "is required: send a JSON object");
    return std::nullopt;
  }
  // Checked up front for a clearer message than the parser's.
  if (!util::is_valid_utf8(body)) {
    v.add(std::string(k_body), "must be valid UTF-8");
    return std::nullopt;
  }
  boost::json::parse_options options;
  options.max_depth = k_max_depth;
  boost::json::stream_parser parser({}, options);
  boost::system::error_code ec;
  const std::size_t consumed = parser.write(body.data(), body.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    if (ec == boost::json::error::too_deep) {
      v.add(std::string(k_body), "is nested too deeply (at most " + std::to_string(k_max_depth) + " levels)");
    } else if (is_surrogate_error(ec, body, consumed)) {
      // Name the field: the text is JSON-shaped, one string in it holds a bad \u escape.
      std::string field = error_path(body);
      v.add(field.empty() ? std::string(k_body) : std::move(field),
            "contains an invalid \\u escape (an unpaired UTF-16 surrogate)");
    } else {
      v.add(std::string(k_body), "is not valid JSON (" + ec.message() + " near byte " + std::to_string(consumed) + ")");
    }
    return std::nullopt;
  }
  if (auto key = find_duplicate_key(body)) {
    v.add(*key, "appears more than once in its object");
    return std::nullopt;
  }
  boost::json::value value = parser.release();
  if (!value.is_object()) {
    v.add(std::string(k_body), "must be a JSON object");
    return std::nullopt;
  }
  return std::move(value.get_object());
}

ObjectReader::ObjectReader(const boost::json::object& object, domain::Validator& v, std::string prefix)
    : object_(&object), v_(v), prefix_(std::move(prefix)) {}

std::string ObjectReader::path(std::string_view key) const {
  return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
}

const boost::json::value* ObjectReader::find(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return object_->if_contains(key);
}

const boost::json::value* ObjectReader::typed(std::string_view key, Need need, boost::json::kind kind,
                                              std::string_view type_message) {
  const boost::json::value* value = find(key);
  if (!value) {
    if (need == Need::required) v_.add(path(key), "is required");
    return nullptr;
  }
  if (value->kind() != kind) {
    v_.add(path(key), std::string(type_message));
    return nullptr;
  }
  return value;
}

std::optional<std::string> ObjectReader::string(std::string_view key, Need need, std::size_t min, std::size_t max,
                                                bool trim) {
  const boost::json::value* value = typed(key, need, boost::json::kind::string, "must be a string");
  if (!value) return std::nullopt;
  const std::string_view text = view(value->get_string());
  const std::size_t before = v_.errors().size();
  domain::check_text(v_, path(key), text, min, max);
  if (v_.errors().size() != before) return std::nullopt;
  return std::string(trim ? util::trim(text) : text);
}

std::optional<std::string> ObjectReader::text(std::string_view key, Need need) {
  const boost::json::value* value = typed(key, need, boost::json::kind::string, "must be a string");
  if (!value) return std::nullopt;
  return std::string(view(value->get_string()));
}

std::optional<std::optional<std::string>> ObjectReader::nullable_string(std::string_view key, std::size_t min,
                                                                        std::size_t max, bool trim) {
  const boost::json::value* value = find(key);
  if (!value) return std::nullopt;
  if (value->is_null()) return std::optional<std::string>{};
  if (!value->is_string()) {
    v_.add(path(key), "must be a string or null");
    return std::nullopt;
  }
  auto s = string(key, Need::required, min, max, trim);
  if (!s) return std::nullopt;
  return std::optional<std::string>(std::move(*s));
}

std::optional<bool> ObjectReader::boolean(std::string_view key, Need need) {
  const boost::json::value* value = typed(key, need, boost::json::kind::bool_, "must be a boolean");
  if (!value) return std::nullopt;
  return value->get_bool();
}

std::optional<std::string> ObjectReader::uuid(std::string_view key, Need need) {
  const boost::json::value* value = typed(key, need, boost::json::kind::string, "must be a string");
  if (!value) return std::nullopt;
  const std::string_view text = view(value->get_string());
  if (!util::is_uuid(text)) {
    v_.add(path(key), "must be a UUID");
    return std::nullopt;
  }
  return util::to_lower_ascii(text);
}

std::optional<std::int64_t> ObjectReader::money(std::string_view key, Need need) {
  const boost::json::value* value =
      typed(key, need, boost::json::kind::string, "must be a string holding a decimal amount, e.g. \"125000.00\"");
  if (!value) return std::nullopt;
  if (auto cents = domain::parse_money(view(value->get_string()))) return cents;
  v_.add(path(key), "must be a non-negative decimal amount with at most two decimals, e.g. \"125000.00\"");
  return std::nullopt;
}

std::optional<domain::Date> ObjectReader::date(std::string_view key, Need need) {
  const boost::json::value* value = typed(key, need, boost::json::kind::string, "must be a string (YYYY-MM-DD)");
  if (!value) return std::nullopt;
  if (auto d = util::parse_date(view(value->get_string()))) return d;
  v_.add(path(key), "must be a valid date (YYYY-MM-DD)");
  return std::nullopt;
}

const boost::json::array* ObjectReader::array(std::string_view key, Need need) {
  const boost::json::value* value = typed(key, need, boost::json::kind::array, "must be an array");
  return value ? &value->get_array() : nullptr;
}

std::optional<std::vector<std::string>> ObjectReader::string_array(std::string_view key, Need need, std::size_t min,
                                                                   std::size_t max, bool trim) {
  const boost::json::array* items = array(key, need);
  if (!items) return std::nullopt;
  return read_items<std::string>(*items, path(key), [&](const boost::json::value& item, const std::string& at) {
    std::optional<std::string> out;
    if (!item.is_string()) {
      v_.add(at, "must be a string");
      return out;
    }
    const std::string_view text = view(item.get_string());
    const std::size_t before = v_.errors().size();
    domain::check_text(v_, at, text, min, max);
    if (v_.errors().size() == before) out.emplace(trim ? util::trim(text) : text);
    return out;
  });
}

std::optional<std::vector<std::string>> ObjectReader::uuid_array(std::string_view key, Need need) {
  const boost::json::array* items = array(key, need);
  if (!items) return std::nullopt;
  return read_items<std::string>(*items, path(key), [&](const boost::json::value& item, const std::string& at) {
    std::optional<std::string> out;
    if (!item.is_string())
      v_.add(at, "must be a string");
    else if (!util::is_uuid(view(item.get_string())))
      v_.add(at, "must be a UUID");
    else
      out = util::to_lower_ascii(view(item.get_string()));
    return out;
  });
}

std::optional<std::vector<domain::Date>> ObjectReader::date_array(std::string_view key, Need need) {
  const boost::json::array* items = array(key, need);
  if (!items) return std::nullopt;
  return read_items<domain::Date>(*items, path(key), [&](const boost::json::value& item, const std::string& at) {
    std::optional<domain::Date> d;
    if (!item.is_string())
      v_.add(at, "must be a string (YYYY-MM-DD)");
    else if (!(d = util::parse_date(view(item.get_string()))))
      v_.add(at, "must be a valid date (YYYY-MM-DD)");
    return d;
  });
}

std::optional<ObjectReader> ObjectReader::object(std::string_view key, Need need) {
  const boost::json::value* value = typed(key, need, boost::json::kind::object, "must be an object");
  if (!value) return std::nullopt;
  return ObjectReader(value->get_object(), v_, path(key));
}

void ObjectReader::finish() {
  for (const auto& entry : *object_) {
    const std::string_view key(entry.key().data(), entry.key().size());
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) v_.add(path(key), "is not allowed");
  }
}

}  // namespace oms::http::json
