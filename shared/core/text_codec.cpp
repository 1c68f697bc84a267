#include "core/text_codec.h"

#include <cstdio>

namespace sigess::core {

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
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
