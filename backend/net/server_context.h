// What every connection of one server shares: its options, handlers, logger, metrics,
// admission, the hub and the list of live sessions (for the graceful drain). Internal
// to net/; owned by Server, which outlives every session (it joins its threads first).
// Thread safety: the members are immutable after start or thread-safe themselves.
#pragma once

#include "net/connection_limiter.h"
#include "net/handler.h"
#include "net/hub.h"
#include "net/log.h"
#include "net/metrics.h"
#include "net/options.h"
#include "net/weak_registry.h"

#include <boost/asio/ssl/context.hpp>

#include <array>
#include <atomic>
#include <functional>
#include <optional>

namespace sigess::net {

// A live connection as the drain sees it. Both calls are thread-safe (they hop onto
// the connection's strand).
class DrainableSession {
public:
    virtual ~DrainableSession();
    // Finish what is in flight, then close; close now if idle.
    virtual void drain() = 0;
    // The drain deadline passed: close the socket whatever the state.
    virtual void forceClose() = 0;
};

struct ServerMetrics {
    explicit ServerMetrics(MetricsRegistry &registry);

    Counter &requestsOfClass(unsigned status) const;

    Gauge &connectionsOpen;
    Counter &connectionsAccepted;
    Counter &refusedPerClient;
    Counter &refusedTotal;
    Counter &timeoutIdle;
    Counter &timeoutHeader;
    Counter &timeoutBody;
    std::array<Counter *, 5> requestsByClass;  // 1xx..5xx
    Histogram &requestSeconds;
    Gauge &websocketsOpen;
    Counter &syncFramesIn;
    Counter &syncFramesOut;
    Counter &syncFramesRejected;
    Counter &syncOpsReceived;
    Histogram &syncFrameSeconds;
};

struct ServerContext {
    ServerContext(ServerOptions serverOptions, Handlers serverHandlers, const Logger &serverLogger);

    // Called by a session's destructor: the drain waits for the last one.
    void sessionGone(const DrainableSession *session);

    const ServerOptions options;
    const Handlers handlers;
    const Logger &logger;
    MetricsRegistry registry;
    ServerMetrics metrics;
    ConnectionLimiter limiter;
    Hub hub;
    WeakRegistry<DrainableSession> sessions;
    std::optional<boost::asio::ssl::context> tls;
    std::atomic<bool> draining{false};
    std::function<void()> onAllSessionsGone;  // set by Server before the drain starts
};

} // namespace sigess::net
