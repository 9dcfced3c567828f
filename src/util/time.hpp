#pragma once
// RFC 3339 timestamps and ISO dates, UTC only. The types are std::chrono's own (the domain names
// them Timestamp and Date); util depends on nothing of ours.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace oms::util {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;  // always UTC
using Date = std::chrono::sys_days;

// "2026-11-25T17:59:40.123456Z" (always microseconds, always Z).
std::string format_timestamp(Timestamp t);
// Accepts RFC 3339 with 'T' or ' ' separator, optional fraction (1-9 digits), and 'Z', '+00',
// '+00:00' or any other offset (converted to UTC). Rejects anything else, including invalid
// calendar dates (2026-02-30) and out-of-range times.
std::optional<Timestamp> parse_timestamp(std::string_view text);
// "YYYY-MM-DD"
std::string format_date(Date d);
std::optional<Date> parse_date(std::string_view text);  // strict YYYY-MM-DD, valid calendar date

}  // namespace oms::util
