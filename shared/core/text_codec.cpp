#include "core/text_codec.h"

#include <array>
#include <cstdio>

namespace sigess::core {

namespace {

constexpr std::array<signed char, 256> hexValues = [] {
    std::array<signed char, 256> values{};
    values.fill(-1);
    for (int digit = 0; digit < 10; ++digit)
        values['0' + digit] = static_cast<signed char>(digit);
    for (int digit = 0; digit < 6; ++digit) {
        values['a' + digit] = static_cast<signed char>(10 + digit);
        values['A' + digit] = static_cast<signed char>(10 + digit);
    }
    return values;
}();

} // namespace

int hexValue(char c)
{
    return hexValues[static_cast<unsigned char>(c)];
}

bool decodeHex(std::string_view hex, std::string &bytes)
{
    if (hex.size() % 2 != 0)
        return false;
    bytes.resize(hex.size() / 2);
    // Any non-digit makes its -1 show in `invalid`; checked once, after the loop.
    int invalid = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const int high = hexValues[static_cast<unsigned char>(hex[2 * i])];
        const int low = hexValues[static_cast<unsigned char>(hex[2 * i + 1])];
        invalid |= high | low;
        bytes[i] = static_cast<char>(high * 16 + low);
    }
    return invalid >= 0;
}

char hexDigit(unsigned value)
{
    return "0123456789abcdef"[value & 0x0F];
}

std::chrono::year_month_day utcDay(std::uint64_t epochMs)
{
    using namespace std::chrono;
    return year_month_day {floor<days>(sys_time<milliseconds>(milliseconds(epochMs)))};
}

std::string isoDate(std::chrono::year_month_day date)
{
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
}

std::string isoDate(std::uint64_t epochMs)
{
    return isoDate(utcDay(epochMs));
}

std::string isoDateTime(std::uint64_t epochMs, TimePrecision precision)
{
    constexpr std::uint64_t dayMs = 24ULL * 60 * 60 * 1000;
    const std::uint64_t msOfDay = epochMs % dayMs;
    const auto secondOfDay = static_cast<unsigned>(msOfDay / 1000);
    char text[24];
    if (precision == TimePrecision::Milliseconds)
        std::snprintf(text, sizeof text, "T%02u:%02u:%02u.%03uZ", secondOfDay / 3600, secondOfDay / 60 % 60,
                      secondOfDay % 60, static_cast<unsigned>(msOfDay % 1000));
    else
        std::snprintf(text, sizeof text, "T%02u:%02u:%02uZ", secondOfDay / 3600, secondOfDay / 60 % 60,
                      secondOfDay % 60);
    return isoDate(epochMs) + text;
}

} // namespace sigess::core
