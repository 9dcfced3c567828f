#pragma once
// UTF-8 facts the domain's length rules need: limits are counted in Unicode code points.
#include <cstddef>
#include <string>
#include <string_view>

namespace oms::util {

bool is_valid_utf8(std::string_view text) noexcept;  // rejects overlongs, surrogates, > U+10FFFF
// The text with every byte that does not start a valid sequence replaced by U+FFFD, for echoing
// client input (a request path, a header) into a JSON response.
std::string to_valid_utf8(std::string_view text);
std::size_t code_points(std::string_view valid_utf8) noexcept;
// Appends the UTF-8 encoding of `cp` (a Unicode scalar value) to `out`.
void append_utf8(char32_t cp, std::string& out);
// Trims Unicode white space (ASCII white space, U+00A0, U+2000..U+200A, U+3000, ...) at both ends.
std::string_view trim(std::string_view valid_utf8) noexcept;

}  // namespace oms::util
