// sigess-backend as a library, so tests can run it without a process: reads the config,
// opens the store and builds the services over it (server/backend_services.h), builds
// the network server around them, serves until SIGTERM or SIGINT, then drains and closes
// the store. The server itself answers /healthz (asking Services::health) and /metrics
// (its own series and those Services::metrics registers); everything under /api/ goes
// to Services::api and the sync WebSocket to Services::sync.
// Thread safety: call from the main thread; it blocks until the server has stopped.
#pragma once

#include "config/config.h"
#include "net/handler.h"
#include "net/log.h"
#include "net/metrics.h"

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace sigess::server {

struct Services {
    net::HttpHandler api;          // empty: /api/ answers 404
    net::SyncSessionFactory sync;  // empty: the sync path answers 404
    net::HealthCheck health;       // empty: healthy while the server runs
    // Registers the services' own series on the server's registry, before it starts
    // (empty: none); /metrics renders them with the server's.
    std::function<void(net::MetricsRegistry &)> metrics;
};

inline constexpr const char *apiPrefix = "/api/";

net::Handlers makeHandlers(Services services);

// "https://127.0.0.1:8443": where clients reach a server bound to `address` and `port`.
std::string serverUrl(const net::ServerOptions &options, std::uint16_t port);

// Logs `listening url=...` once the port is bound. Returns the process exit status: 0
// after a clean drain, 1 when the server cannot start.
int serve(const config::BackendConfig &config, Services services, const net::Logger &logger);

// `sigess-backend --config FILE [--check-config]`; usage errors return 2, config errors 1.
int backendMain(const std::vector<std::string> &args, std::ostream &err);

} // namespace sigess::server
