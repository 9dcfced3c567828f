#pragma once
// CSV as RFC 4180 writes it, made safe to open in a spreadsheet: fields separated by commas,
// records ended by CRLF; a field holding a comma, a double quote, CR or LF is quoted, with its
// double quotes doubled. Formula injection (OWASP "CSV injection") is neutralised: a cell that
// starts with '=', '+', '-', '@', a tab or a CR gets a leading apostrophe, so a spreadsheet shows
// it as text instead of evaluating it. Bytes are passed through (callers hand in UTF-8).
#include <string>
#include <string_view>
#include <vector>

namespace oms::util {

// Appends one field, quoted and neutralised as needed (no separator).
void append_csv_field(std::string& out, std::string_view field);
// Appends one record: its fields separated by commas, then CRLF.
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace oms::util
