#include "net/log.h"

#include "core/text_codec.h"

#include <array>
#include <cstdio>
#include <iostream>

namespace sigess::net {

namespace {

constexpr std::array<std::string_view, 4> levelNames = {"debug", "info", "warn", "error"};

bool needsQuotes(std::string_view value)
{
    if (value.empty())
        return true;
    for (const char c : value) {
        if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
            return true;
    }
    return false;
}

void appendValue(std::string &line, std::string_view value)
{
    if (!needsQuotes(value)) {
        line += value;
        return;
    }
    line += '"';
    for (const char c : value) {
        switch (c) {
        case '"': line += "\\\""; break;
        case '\\': line += "\\\\"; break;
        case '\n': line += "\\n"; break;
        case '\r': line += "\\r"; break;
        case '\t': line += "\\t"; break;
        default:
            // Other control characters could forge a second line in the log.
            if (static_cast<unsigned char>(c) < 0x20) {
                std::array<char, 8> escaped{};
                std::snprintf(escaped.data(), escaped.size(), "\\x%02x", static_cast<unsigned>(c));
                line += escaped.data();
            } else {
                line += c;
            }
        }
    }
    line += '"';
}

} // namespace

Result<LogLevel> parseLogLevel(std::string_view name)
{
    for (std::size_t i = 0; i < levelNames.size(); ++i) {
        if (levelNames[i] == name)
            return static_cast<LogLevel>(i);
    }
    return makeError(ErrorCode::Invalid,
                     "unknown log level '" + std::string(name) + "' (expected debug, info, warn or error)");
}

std::string_view logLevelName(LogLevel level)
{
    return levelNames.at(static_cast<std::size_t>(level));
}

Logger::Logger(const core::Clock &clock, LogLevel threshold, Sink sink)
    : m_clock(clock), m_threshold(threshold), m_sink(std::move(sink))
{
}

Logger::Sink Logger::stderrSink()
{
    return [](std::string_view line) {
        std::cerr << line << '\n';
    };
}

std::string Logger::formatLine(std::uint64_t epochMs, LogLevel level, std::string_view event,
                               std::initializer_list<LogField> fields)
{
    std::string line = "ts=" + core::isoDateTime(epochMs, core::TimePrecision::Milliseconds);
    line += " level=";
    line += logLevelName(level);
    line += " event=";
    appendValue(line, event);
    for (const auto &field : fields) {
        line += ' ';
        line += field.key;
        line += '=';
        appendValue(line, field.value);
    }
    return line;
}

void Logger::log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) const
{
    if (!enabled(level))
        return;
    const std::string line = formatLine(m_clock.nowMs(), level, event, fields);
    const std::lock_guard lock(m_mutex);
    m_sink(line);
}

} // namespace sigess::net
