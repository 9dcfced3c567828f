#pragma once
// JSON text written straight into a string, in the order of the calls: no tree is built, nothing
// is allocated but the string's own growth. The bytes are the ones boost::json::serialize gives
// for the same values in the same order (its string escapes, integers in decimal, no white space),
// so a body, a snapshot or a hash input written either way is the same.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace oms::util {

// Appends `text` as a JSON string literal: '"', '\\' and the control characters escaped as
// boost::json::serialize escapes them (\b \t \n \f \r, else \u00xx); other bytes as they are.
void append_json_string(std::string& out, std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // An object's key, one of the code's own names: written as it is, not escaped. The member's
  // value is the next call: w.key("id").string(id).
  JsonWriter& key(std::string_view name);

  void string(std::string_view text);
  void optional_string(const std::optional<std::string>& text);
  void integer(std::int64_t n);
  void boolean(bool b);
  void null();

 private:
  void open(char bracket);
  void close(char bracket);
  void separate() {
    if (after_value_) out_ += ',';
  }

  std::string& out_;
  // A value (or a closed container) was the last thing written: the next key or value needs a comma.
  bool after_value_ = false;
};

}  // namespace oms::util
