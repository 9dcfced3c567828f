// Request bodies go through the strict JSON reader before any handler sees them. Input: one
// flag byte (bit 0: an empty body is allowed) and the body. Checks: parse_object never throws,
// fails exactly when it reports a problem, agrees with boost::json on what a valid object holds,
// and every ObjectReader getter copes with whatever value sits under its key.
#include <boost/json.hpp>

#include "domain/error.hpp"
#include "domain/types.hpp"
#include "fuzz/fuzz_support.hpp"
#include "http/json/reader.hpp"

using namespace oms;
using http::json::Need;
using http::json::ObjectReader;

namespace {

// Every getter, under the keys a create-opportunity body uses and a few generic ones; nested
// objects are read with the same schema, as deep as the body goes.
void read_all(ObjectReader& r, int depth) {
  const Need need = depth % 2 == 0 ? Need::optional : Need::required;
  (void)r.string("title", need, 1, 200, true);
  (void)r.string("description", Need::optional, 0, 5000);
  (void)r.nullable_string("reason", 1, 500, true);
  (void)r.boolean("is_active", need);
  (void)r.uuid("customer_id", need);
  (void)r.money("estimated_value", Need::optional);
  (void)r.date("expected_start_date", Need::optional);
  (void)r.enumeration<domain::Priority>("priority", need);
  (void)r.enumeration<domain::Role>("role", Need::optional);
  (void)r.string_array("synonyms", Need::optional, 1, 100, true);
  (void)r.uuid_array("skill_ids", Need::optional);
  (void)r.date_array("dates", Need::optional);
  (void)r.has("anything");
  if (auto nested = r.object("geographic_requirements", Need::optional)) {
    if (depth < http::json::k_max_depth) read_all(*nested, depth + 1);
    nested->finish();
  }
  r.finish();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool allow_empty = (data[0] & 1) != 0;
  const std::string_view body = fuzz::as_text(data + 1, size - 1);
  domain::Validator v;
  std::optional<boost::json::object> object = http::json::parse_object(body, v, allow_empty);
  fuzz::check(object.has_value() == v.ok(), "parse_object's result and its errors disagree", body);
  // A field may be "": the name of the empty key, {"": 1}.
  for (const auto& e : v.errors()) fuzz::check(!e.message.empty(), "an error without a message", e.field);
  if (!object) return 0;
  if (!object->empty()) {
    boost::system::error_code ec;
    const boost::json::value reference = boost::json::parse(body, ec);
    // Compared as text: Boost.JSON 1.81 reads 0e400 as NaN, which equals nothing, not even itself.
    fuzz::check(!ec && reference.is_object() && boost::json::serialize(reference) == boost::json::serialize(*object),
                "parse_object accepted what boost::json reads differently", body);
  }
  domain::Validator readers;
  ObjectReader r(*object, readers);
  read_all(r, 0);
  for (const auto& e : readers.errors()) fuzz::check(!e.message.empty(), "a reader error without a message", e.field);
  return 0;
}
