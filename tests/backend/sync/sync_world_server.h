// Test fixture without Qt: a SyncWorld's service behind the backend's network server on
// 127.0.0.1 (net_test_support's TestServer, short timeouts), as sigess-backend serves
// it, so devices connect over real WebSocket connections. A test may put a session of
// its own around the service's (a connection that fails at a chosen moment).
// ServedTablet is the whole start of the device robustness tests: world, server, tablet.
// Thread safety: build and wrapSessions from the test's thread; wrapSessions before the
// connections it should apply to.
#pragma once

#include "backend/net/net_test_support.h"
#include "backend/sync/sync_world.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace sigess::test {

class SyncWorldServer {
public:
    using SessionWrapper = std::function<std::unique_ptr<net::SyncSession>(
        const net::SyncSessionFactory &inner, net::SyncLink link, const net::PeerInfo &peer)>;

    explicit SyncWorldServer(SyncWorld &world, net::ServerOptions options = net::testing::fastOptions());
    // Its handler holds `this`.
    SyncWorldServer(const SyncWorldServer &) = delete;
    SyncWorldServer &operator=(const SyncWorldServer &) = delete;

    std::uint16_t port() const { return m_server->port(); }
    // The sync endpoint, ws://127.0.0.1:<port>/v1/sync.
    std::string url() const;
    net::testing::TestServer &server() { return *m_server; }
    void wrapSessions(SessionWrapper wrapper) { m_wrapSession = std::move(wrapper); }

private:
    net::SyncSessionFactory m_sessions;
    SessionWrapper m_wrapSession;
    std::unique_ptr<net::testing::TestServer> m_server;
};

inline SyncWorldServer::SyncWorldServer(SyncWorld &world, net::ServerOptions options)
    : m_sessions(world.service().sessionFactory())
{
    net::Handlers handlers;
    handlers.sync = [this](net::SyncLink link, const net::PeerInfo &peer) {
        return m_wrapSession ? m_wrapSession(m_sessions, std::move(link), peer) : m_sessions(std::move(link), peer);
    };
    m_server = std::make_unique<net::testing::TestServer>(std::move(options), std::move(handlers));
}

inline std::string SyncWorldServer::url() const
{
    return "ws://127.0.0.1:" + std::to_string(port()) + "/v1/sync";
}

// Where the device robustness tests start (kill -9 rounds, replays): a world with its
// own store in `directory`, served on loopback, with a coordinator's tablet of
// ourPresidio enrolled and signed in. The server goes before the world.
struct ServedTablet {
    std::unique_ptr<SyncWorld> world;
    std::unique_ptr<SyncWorldServer> server;
    DeviceCredentials tablet;

    static Result<ServedTablet> open(const std::string &directory)
    {
        ServedTablet served;
        Result<std::unique_ptr<SyncWorld>> world = SyncWorld::open(directory);
        if (!world.ok())
            return world.takeError();
        served.world = std::move(world).value();
        Result<DeviceCredentials> tablet
            = served.world->enrollTablet("coordinatore", v1::ROLE_COORDINATOR, ourPresidio);
        if (!tablet.ok())
            return tablet.takeError();
        served.tablet = std::move(tablet).value();
        served.server = std::make_unique<SyncWorldServer>(*served.world);
        return served;
    }
};

} // namespace sigess::test
