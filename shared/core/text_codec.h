// Small text encodings that several layers read and write: hexadecimal digits and
// ISO 8601 dates and times in UTC from milliseconds since the Unix epoch. One copy of
// each, so that a URL escape, a PostgreSQL bytea, a UUID, an audit report and a log
// line all agree on them.
// Thread safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace sigess::core {

// 0..15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for any other character.
int hexValue(char c);
// The lower-case digit for 0..15.
char hexDigit(unsigned value);
// The bytes that pairs of hex digits spell ("0aFF" -> 0x0a 0xff), written over `bytes`;
// false, with `bytes` unspecified, when `hex` has an odd length or a non-digit. A table
// look-up per digit: a PostgreSQL bytea arrives as text, megabytes of it in a download.
bool decodeHex(std::string_view hex, std::string &bytes);

// The UTC calendar day that contains the instant.
std::chrono::year_month_day utcDay(std::uint64_t epochMs);
// "2026-11-29"
std::string isoDate(std::chrono::year_month_day date);
std::string isoDate(std::uint64_t epochMs);

enum class TimePrecision { Seconds, Milliseconds };
// "2026-11-29T18:43:07Z", or "2026-11-29T18:43:07.250Z" with milliseconds.
std::string isoDateTime(std::uint64_t epochMs, TimePrecision precision = TimePrecision::Seconds);

} // namespace sigess::core
