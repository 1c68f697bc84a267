#include "server/backend.h"

#include "net/server.h"

#include <ostream>

namespace sigess::server {

namespace {

constexpr const char *usage = "usage: sigess-backend --config FILE [--check-config]\n";

} // namespace

net::Handlers makeHandlers(Services services)
{
    net::Handlers handlers;
    if (services.api)
        handlers.routes.push_back({apiPrefix, std::move(services.api)});
    handlers.sync = std::move(services.sync);
    handlers.health = std::move(services.health);
    return handlers;
}

int serve(const config::BackendConfig &config, Services services, const net::Logger &logger)
{
    auto server = net::Server::create(config.server, makeHandlers(std::move(services)), logger);
    if (!server.ok()) {
        logger.log(net::LogLevel::Error, "start_failed", {{"error", server.error().message}});
        return 1;
    }
    auto &running = *server.value();
    if (auto started = running.start(); !started.ok()) {
        logger.log(net::LogLevel::Error, "start_failed", {{"error", started.error().message}});
        return 1;
    }
    running.stopOnSignals();
    running.wait();
    return 0;
}

int backendMain(const std::vector<std::string> &args, std::ostream &err)
{
    std::string configFile;
    bool checkOnly = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--config" && i + 1 < args.size()) {
            configFile = args[++i];
        } else if (args[i] == "--check-config") {
            checkOnly = true;
        } else {
            err << usage;
            return 2;
        }
    }
    if (configFile.empty()) {
        err << usage;
        return 2;
    }
    auto config = config::loadConfig(configFile);
    if (!config.ok()) {
        err << "sigess-backend: " << config.error().message << '\n';
        return 1;
    }
    if (checkOnly) {
        err << "sigess-backend: " << configFile << " is valid\n";
        return 0;
    }
    const core::SystemClock clock;
    const net::Logger logger(clock, config->logLevel, net::Logger::stderrSink());
    // The API, the sync engine and the store's health check plug in here as Services.
    return serve(*config, Services{}, logger);
}

} // namespace sigess::server
