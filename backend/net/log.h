// Structured log lines: one line per event, `key=value` pairs, starting with ts, level
// and event, so that a line can be grepped by eye and parsed by a machine. Callers must
// keep personal data out of the fields (no names, no codici fiscali, no query strings).
// Thread safety: log() may be called from any thread; each line is written whole.
#pragma once

#include "core/clock.h"
#include "core/result.h"

#include <concepts>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>

namespace sigess::net {

enum class LogLevel { Debug, Info, Warn, Error };

Result<LogLevel> parseLogLevel(std::string_view name);
std::string_view logLevelName(LogLevel level);

struct LogField {
    LogField(std::string_view name, std::string_view text) : key(name), value(text) {}
    LogField(std::string_view name, const char *text) : key(name), value(text) {}
    LogField(std::string_view name, const std::string &text) : key(name), value(text) {}
    template <std::integral Number>
    LogField(std::string_view name, Number number) : key(name), value(std::to_string(number))
    {
    }

    std::string_view key;
    std::string value;
};

class Logger {
public:
    using Sink = std::function<void(std::string_view line)>;

    Logger(const core::Clock &clock, LogLevel threshold, Sink sink);

    // Writes to stderr, the journal's input when run under systemd.
    static Sink stderrSink();

    bool enabled(LogLevel level) const { return level >= m_threshold; }
    void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) const;

    // "ts=... level=info event=x a=1": exposed so tests can check the format itself.
    static std::string formatLine(std::uint64_t epochMs, LogLevel level, std::string_view event,
                                  std::initializer_list<LogField> fields);

private:
    const core::Clock &m_clock;
    LogLevel m_threshold;
    Sink m_sink;
    mutable std::mutex m_mutex;
};

} // namespace sigess::net
