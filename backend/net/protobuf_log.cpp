#include "net/protobuf_log.h"

#include <cassert>
#include <string>

namespace sigess::net {

namespace {

// The one global: libprotobuf's handler is a plain function with no user data.
RateLimitedLog *routedTo = nullptr;

LogLevel levelOf(google::protobuf::LogLevel level)
{
    switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
        return LogLevel::Info;
    case google::protobuf::LOGLEVEL_WARNING:
        return LogLevel::Warn;
    default:
        return LogLevel::Error;
    }
}

void routeProtobufLine(google::protobuf::LogLevel level, const char *filename, int line, const std::string &message)
{
    if (routedTo == nullptr)
        return;
    routedTo->log(levelOf(level), "protobuf",
                  {{"message", message}, {"source", std::string(filename) + ":" + std::to_string(line)}});
}

} // namespace

RateLimitedLog::RateLimitedLog(const core::Clock &clock, const Logger &logger, LogRateLimit limit)
    : m_clock(clock), m_logger(logger), m_limit(limit), m_windowStartMs(clock.nowMs())
{
}

void RateLimitedLog::log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields)
{
    if (!m_logger.enabled(level))
        return;
    const std::uint64_t now = m_clock.nowMs();
    std::uint64_t reportSuppressed = 0;
    {
        const std::lock_guard lock(m_mutex);
        // A clock that went back starts a new window too, rather than muting for long.
        if (now >= m_windowStartMs + m_limit.windowMs || now < m_windowStartMs) {
            m_windowStartMs = now;
            m_linesInWindow = 0;
            reportSuppressed = m_suppressed;
            m_suppressed = 0;
        }
        if (m_linesInWindow >= m_limit.maxLines) {
            ++m_suppressed;
            return;
        }
        ++m_linesInWindow;
    }
    if (reportSuppressed != 0)
        m_logger.log(LogLevel::Warn, "log_suppressed",
                     {{"count", reportSuppressed}, {"window_ms", m_limit.windowMs}, {"max_lines", m_limit.maxLines}});
    m_logger.log(level, event, fields);
}

std::uint64_t RateLimitedLog::suppressed() const
{
    const std::lock_guard lock(m_mutex);
    return m_suppressed;
}

ProtobufLogRoute::ProtobufLogRoute(RateLimitedLog &limiter)
{
    assert(routedTo == nullptr && "one ProtobufLogRoute at a time");
    routedTo = &limiter;
    m_previous = google::protobuf::SetLogHandler(&routeProtobufLine);
}

ProtobufLogRoute::~ProtobufLogRoute()
{
    google::protobuf::SetLogHandler(m_previous);
    routedTo = nullptr;
}

} // namespace sigess::net
