// sigess-backend's network server: HTTPS and WSS (or plain HTTP on loopback only) on one
// port, with a thread pool, per-connection sessions, limits, timeouts, /healthz,
// /metrics, and a graceful drain. Requests go to the routes in Handlers; sync WebSocket
// connections to Handlers::sync.
//
//   auto server = Server::create(options, std::move(handlers), logger);  // checks TLS files
//   server.value()->start();       // listening when it returns; port() is the bound port
//   server.value()->stopOnSignals();  // SIGTERM/SIGINT begin the drain
//   server.value()->wait();        // returns once drained and the threads have ended
//
// stop() refuses new connections at once (the listening socket is closed before it
// returns when called from outside the pool), lets in-flight requests finish and answer
// with "Connection: close", closes idle connections and WebSocket sessions (going away),
// and after Timeouts::drain closes whatever is left.
// Thread safety: stop() may be called from any thread, any number of times; the other
// members from the owning thread. The logger must outlive the server.
#pragma once

#include "net/handler.h"
#include "net/hub.h"
#include "net/log.h"
#include "net/metrics.h"
#include "net/options.h"

#include <cstdint>
#include <memory>

namespace sigess::net {

class Server {
public:
    static Result<std::unique_ptr<Server>> create(ServerOptions options, Handlers handlers, const Logger &logger);
    ~Server();
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    Status start();
    std::uint16_t port() const;
    void stopOnSignals();
    void stop();
    void wait();

    MetricsRegistry &metrics();
    Hub &hub();

private:
    struct State;
    explicit Server(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace sigess::net
