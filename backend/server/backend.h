// sigess-backend as a library, so tests can run it without a process: reads the config,
// builds the network server around the services, serves until SIGTERM or SIGINT, then
// drains. The server itself answers /healthz and /metrics; everything under /api/ goes
// to Services::api and the sync WebSocket to Services::sync.
// Thread safety: call from the main thread; it blocks until the server has stopped.
#pragma once

#include "config/config.h"
#include "net/handler.h"
#include "net/log.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace sigess::server {

struct Services {
    net::HttpHandler api;          // empty: /api/ answers 404
    net::SyncSessionFactory sync;  // empty: the sync path answers 404
    net::HealthCheck health;       // empty: healthy while the server runs
};

inline constexpr const char *apiPrefix = "/api/";

net::Handlers makeHandlers(Services services);

// Returns the process exit status: 0 after a clean drain, 1 when the server cannot start.
int serve(const config::BackendConfig &config, Services services, const net::Logger &logger);

// `sigess-backend --config FILE [--check-config]`; usage errors return 2, config errors 1.
int backendMain(const std::vector<std::string> &args, std::ostream &err);

} // namespace sigess::server
