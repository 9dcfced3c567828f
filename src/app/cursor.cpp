#include "app/cursor.hpp"

#include <boost/json.hpp>

#include "domain/error.hpp"
#include "util/encoding.hpp"

namespace oms::app {
namespace json = boost::json;

void throw_bad_cursor() {
  throw domain::DomainError(domain::ErrorCode::validation_error, "The cursor is not valid for this listing.",
                            {{"cursor", "not a cursor issued by this listing"}});
}

std::string encode_cursor(const Cursor& c, std::string_view sort_spec) {
  json::object o{{"k", c.key}, {"id", c.id}, {"s", sort_spec}};
  return util::base64url_encode(json::serialize(o));
}

Cursor decode_cursor(std::string_view text, std::string_view sort_spec) {
  if (text.empty() || text.size() > 2048) throw_bad_cursor();
  auto raw = util::base64url_decode(text);
  if (!raw) throw_bad_cursor();
  json::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) throw_bad_cursor();
  const auto& o = v.get_object();
  auto* k = o.if_contains("k");
  auto* id = o.if_contains("id");
  auto* s = o.if_contains("s");
  if (!k || !id || !s || !k->is_string() || !id->is_string() || !s->is_string()) throw_bad_cursor();
  if (s->get_string() != sort_spec) throw_bad_cursor();
  return Cursor{std::string(k->get_string()), std::string(id->get_string())};
}

}  // namespace oms::app
