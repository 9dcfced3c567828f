// Keyset cursors arrive in ?cursor= from any client. Input: "<sort spec>\n<cursor text>".
// A cursor either decodes (and then re-encodes to one that decodes to the same position) or is a
// VALIDATION_ERROR on field "cursor"; the timestamp and date keys of the opportunity listings
// (from the cursor, and the raw text too) parse and format back to themselves.
#include "app/cursor.hpp"
#include "domain/error.hpp"
#include "fuzz/fuzz_support.hpp"
#include "util/time.hpp"

using namespace oms;

namespace {

void check_key(std::string_view spec, const std::string& key) {
  if (spec.starts_with('-')) spec.remove_prefix(1);
  if (spec == "created_at" || spec == "updated_at") {
    if (auto t = util::parse_timestamp(key)) {
      const std::string text = util::format_timestamp(*t);
      auto again = util::parse_timestamp(text);
      fuzz::check(again && *again == *t, "timestamp does not survive format/parse", text);
    }
  } else if (spec == "expected_start_date") {
    if (auto d = util::parse_date(key)) {
      const std::string text = util::format_date(*d);
      auto again = util::parse_date(text);
      fuzz::check(again && *again == *d, "date does not survive format/parse", text);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto [spec, text] = fuzz::split_line(fuzz::as_text(data, size));
  // The keys' parsers also see the text as it is: mutations inside base64 rarely reach them.
  check_key(spec, std::string(text));
  app::Cursor cursor;
  try {
    cursor = app::decode_cursor(text, spec);
  } catch (const domain::DomainError& e) {
    fuzz::check(e.code() == domain::ErrorCode::validation_error, "not a validation error", e.detail());
    fuzz::check(e.errors().size() == 1 && e.errors()[0].field == "cursor", "error not on field cursor", e.detail());
    return 0;
  }
  const std::string encoded = app::encode_cursor(cursor, spec);
  if (encoded.size() <= 2048) {
    const app::Cursor again = app::decode_cursor(encoded, spec);
    fuzz::check(again.key == cursor.key && again.id == cursor.id, "cursor does not survive encode/decode", encoded);
  }
  check_key(spec, cursor.key);
  return 0;
}
