// libprotobuf's own log lines, routed into the server's structured log with a ceiling.
// libprotobuf writes an ERROR line for every string field with invalid UTF-8 in a frame
// it parses; the frame is refused all the same, but a hostile client sending such frames
// in a loop would otherwise write to the log as fast as it can send.
//
// RateLimitedLog lets at most `maxLines` lines through in each window of `windowMs`
// (by the clock it is given); the lines beyond are counted, and the first line of a
// later window is preceded by one `log_suppressed count=K` line.
//
// ProtobufLogRoute installs the one process-wide handler libprotobuf offers
// (google::protobuf::SetLogHandler takes a plain function, no user data), so a static
// pointer to the route's limiter is the one piece of global state here, forced by that
// API: main() owns the route and the limiter, and the route's destructor puts back the
// handler it replaced. At most one route exists at a time (a programmer error otherwise).
//
// Thread safety: RateLimitedLog::log may be called from any thread. Create and destroy a
// ProtobufLogRoute on one thread while no other thread parses Protobuf messages.
#pragma once

#include "core/clock.h"
#include "net/log.h"

#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string_view>

namespace sigess::net {

struct LogRateLimit {
    std::size_t maxLines = 20;
    std::uint64_t windowMs = 60'000;
};

class RateLimitedLog {
public:
    RateLimitedLog(const core::Clock &clock, const Logger &logger, LogRateLimit limit = {});

    void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields);

    // Lines dropped since the last `log_suppressed` line.
    std::uint64_t suppressed() const;

private:
    const core::Clock &m_clock;
    const Logger &m_logger;
    LogRateLimit m_limit;
    mutable std::mutex m_mutex;
    std::uint64_t m_windowStartMs = 0;
    std::size_t m_linesInWindow = 0;
    std::uint64_t m_suppressed = 0;
};

class ProtobufLogRoute {
public:
    // libprotobuf's messages become `protobuf` events of `limiter`'s logger.
    explicit ProtobufLogRoute(RateLimitedLog &limiter);
    ~ProtobufLogRoute();
    ProtobufLogRoute(const ProtobufLogRoute &) = delete;
    ProtobufLogRoute &operator=(const ProtobufLogRoute &) = delete;

private:
    google::protobuf::LogHandler *m_previous;
};

} // namespace sigess::net
