#include "server/backend.h"

#include "net/protobuf_log.h"
#include "net/server.h"
#include "server/backend_services.h"

#include <boost/asio/ip/address.hpp>

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

std::string serverUrl(const net::ServerOptions &options, std::uint16_t port)
{
    const std::string scheme = options.transport == net::Transport::Tls ? "https" : "http";
    boost::system::error_code parseError;
    const bool v6 = boost::asio::ip::make_address(options.address, parseError).is_v6() && !parseError;
    const std::string host = v6 ? "[" + options.address + "]" : options.address;
    return scheme + "://" + host + ":" + std::to_string(port);
}

int serve(const config::BackendConfig &config, Services services, const net::Logger &logger)
{
    const std::function<void(net::MetricsRegistry &)> registerMetrics = std::move(services.metrics);
    auto server = net::Server::create(config.server, makeHandlers(std::move(services)), logger);
    if (!server.ok()) {
        logger.log(net::LogLevel::Error, "start_failed", {{"error", server.error().message}});
        return 1;
    }
    auto &running = *server.value();
    if (registerMetrics)
        registerMetrics(running.metrics());
    if (auto started = running.start(); !started.ok()) {
        logger.log(net::LogLevel::Error, "start_failed", {{"error", started.error().message}});
        return 1;
    }
    // Signals are taken over before the line that tells a supervisor the server is up,
    // so a SIGTERM sent on seeing it drains instead of killing.
    running.stopOnSignals();
    logger.log(net::LogLevel::Info, "listening", {{"url", serverUrl(config.server, running.port())}});
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
    // Before the first frame is parsed: a client flooding invalid UTF-8 must not flood the log.
    net::RateLimitedLog protobufLog(clock, logger);
    const net::ProtobufLogRoute protobufLogRoute(protobufLog);
    auto services = BackendServices::open(*config, clock, logger);
    if (!services.ok()) {
        logger.log(net::LogLevel::Error, "start_failed", {{"error", services.error().message}});
        return 1;
    }
    logger.log(net::LogLevel::Info, "store_opened",
               {{"kind", config->storage.kind == config::StorageKind::Embedded ? "embedded" : "postgresql"}});
    return serve(*config, services.value()->services(), logger);
}

} // namespace sigess::server
