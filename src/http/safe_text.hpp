#pragma once
// Text that goes into a JSON body or a log line must be valid UTF-8: a request can carry any
// bytes (a percent-decoded path, a header), and echoing them raw makes the JSON invalid.
#include <string>
#include <string_view>

namespace oms::http {

// `text` with every byte that is not part of a valid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

}  // namespace oms::http
