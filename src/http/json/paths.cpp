#include "http/json/paths.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <set>
#include <vector>

namespace oms::http::json {
namespace {

using boost::json::string_view;
using boost::system::error_code;

// A SAX handler that knows the path of the value being read and the keys of each open object.
struct PathTracker {
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);

  struct Frame {
    bool is_object = true;
    std::string key;        // object: the current member's key
    std::size_t count = 0;  // array: elements completed, i.e. the index of the current one
    std::set<std::string> keys;
  };
  std::vector<Frame> frames;
  std::string key;  // the key being assembled from parts
  std::optional<std::string> duplicate;

  std::string path() const {
    std::string out;
    for (const Frame& f : frames) {
      if (f.is_object) {
        if (f.key.empty() && f.keys.empty()) continue;  // no member read yet
        if (!out.empty()) out += '.';
        out += f.key;
      } else {
        // Appended piece by piece: `"[" + std::to_string(...)` trips g++ 12's -O3 -Wrestrict
        // false positive (GCC bug 105329).
        out += '[';
        out += std::to_string(f.count);
        out += ']';
      }
    }
    return out;
  }

  bool value_done() {
    if (!frames.empty() && !frames.back().is_object) ++frames.back().count;
    return true;
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    frames.push_back(Frame{.is_object = false});
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    frames.pop_back();
    return value_done();
  }
  bool on_object_begin(error_code&) {
    frames.push_back(Frame{.is_object = true});
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    frames.pop_back();
    return value_done();
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return value_done(); }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    key.append(s.data(), s.size());
    Frame& top = frames.back();
    top.key = std::move(key);
    key.clear();
    if (!top.keys.insert(top.key).second) {
      duplicate = path();
      ec = boost::json::error::syntax;  // stops the parse; the caller reports the key
      return false;
    }
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return value_done(); }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return value_done(); }
  bool on_double(double, string_view, error_code&) { return value_done(); }
  bool on_bool(bool, error_code&) { return value_done(); }
  bool on_null(error_code&) { return value_done(); }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

std::optional<std::string> find_duplicate_key(std::string_view valid_json) {
  boost::json::basic_parser<PathTracker> parser(boost::json::parse_options{});
  error_code ec;
  parser.write_some(false, valid_json.data(), valid_json.size(), ec);
  return parser.handler().duplicate;
}

std::string error_path(std::string_view invalid_json) {
  boost::json::basic_parser<PathTracker> parser(boost::json::parse_options{});
  error_code ec;
  parser.write_some(false, invalid_json.data(), invalid_json.size(), ec);
  return ec ? parser.handler().path() : std::string();
}

}  // namespace oms::http::json
