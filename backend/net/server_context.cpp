#include "net/server_context.h"

namespace sigess::net {

DrainableSession::~DrainableSession() = default;

namespace {

Counter &requestCounter(MetricsRegistry &registry, const char *statusClass)
{
    return registry.counter("sigess_http_requests_total", "HTTP requests answered, by status class.",
                            {{"class", statusClass}});
}

} // namespace

ServerMetrics::ServerMetrics(MetricsRegistry &registry)
    : connectionsOpen(registry.gauge("sigess_connections_open", "Open client connections (HTTP and WebSocket).")),
      connectionsAccepted(registry.counter("sigess_connections_accepted_total", "Connections admitted.")),
      refusedPerClient(registry.counter("sigess_connections_refused_total", "Connections refused at admission.",
                                        {{"reason", "per_client_limit"}})),
      refusedTotal(registry.counter("sigess_connections_refused_total", "Connections refused at admission.",
                                    {{"reason", "total_limit"}})),
      timeoutIdle(registry.counter("sigess_connection_timeouts_total", "Connections shed by a timeout.",
                                   {{"phase", "idle"}})),
      timeoutHeader(registry.counter("sigess_connection_timeouts_total", "Connections shed by a timeout.",
                                     {{"phase", "header"}})),
      timeoutBody(registry.counter("sigess_connection_timeouts_total", "Connections shed by a timeout.",
                                   {{"phase", "body"}})),
      requestsByClass{&requestCounter(registry, "1xx"), &requestCounter(registry, "2xx"),
                      &requestCounter(registry, "3xx"), &requestCounter(registry, "4xx"),
                      &requestCounter(registry, "5xx")},
      requestSeconds(registry.histogram("sigess_http_request_duration_seconds",
                                        "Time from a request's complete header to its response written.",
                                        latencyBucketsSeconds())),
      websocketsOpen(registry.gauge("sigess_websocket_sessions_open", "Open sync WebSocket sessions.")),
      syncFramesIn(registry.counter("sigess_sync_frames_total", "Sync frames.", {{"direction", "in"}})),
      syncFramesOut(registry.counter("sigess_sync_frames_total", "Sync frames.", {{"direction", "out"}})),
      syncFramesRejected(registry.counter("sigess_sync_frames_rejected_total",
                                          "Incoming sync frames answered with Reject before any handling.")),
      syncOpsReceived(registry.counter("sigess_sync_ops_received_total", "Operations received in Push frames.")),
      syncFrameSeconds(registry.histogram("sigess_sync_frame_duration_seconds",
                                          "Time the sync session took to handle one incoming frame.",
                                          latencyBucketsSeconds()))
{
}

Counter &ServerMetrics::requestsOfClass(unsigned status) const
{
    const unsigned index = status / 100 - 1;
    return *requestsByClass.at(index < requestsByClass.size() ? index : 4);
}

ServerContext::ServerContext(ServerOptions serverOptions, Handlers serverHandlers, const Logger &serverLogger)
    : options(std::move(serverOptions)),
      handlers(std::move(serverHandlers)),
      logger(serverLogger),
      metrics(registry),
      limiter(options.limits.connectionsPerClient, options.limits.connections, metrics.connectionsOpen)
{
}

void ServerContext::sessionGone(const DrainableSession *session)
{
    if (sessions.remove(session) == 0 && draining.load())
        onAllSessionsGone();
}

} // namespace sigess::net
