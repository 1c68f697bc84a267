// A restore of the store reaches the devices, on both stores: a kiosk syncs with the
// backend's sync service over a real WebSocket on loopback (the feed the backend itself
// would choose for the config's store), the store is restored to an earlier backup with
// sigessctl's own restore, and the kiosk converges to exactly the tickets of its presidio
// the restored server holds, plus its own ticket it had not sent, which reaches the
// server. On the embedded store the backend is stopped for the restore, as it must be,
// and started again on the same port, and the kiosk reconnects holding that ticket. On
// PostgreSQL the backend goes on serving: the restore's NOTIFY tells it, it tells the
// kiosk at once, and the kiosk converges on the connection it holds.
#include "backend/ctl/admin_fixture.h"
#include "backend/net/net_test_support.h"
#include "config/config.h"
#include "config/storage_config.h"
#include "identity/identity_service.h"
#include "server/backend_services.h"
#include "sync/server_rules.h"
#include "sync/sync_service.h"
#include "synced_device.h"

#include <QDir>

#include <atomic>
#include <map>
#include <mutex>

using namespace sigess;
using namespace std::chrono_literals;
using sigess::sync::testing::SyncedDevice;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr char kPresidio[] = "P-M01-01";
constexpr int waitMs = 20'000;

using Tickets = std::map<std::string, v1::TicketState>;

// The sync side of sigess-backend over a store, as BackendServices builds it, counting
// the connections it serves and the devices it reset.
class Backend {
public:
    static Result<std::unique_ptr<Backend>> open(storage::SqlDatabase &database, const config::BackendConfig &config,
                                                 core::Clock &clock, std::uint16_t port)
    {
        auto backend = std::unique_ptr<Backend>(new Backend(database, clock));
        Result<std::unique_ptr<syncserver::ChangeFeed>> feed
            = server::openChangeFeed(config::storageConfigOf(config.storage, 4), database);
        if (!feed.ok())
            return feed.takeError();
        backend->m_feed = std::move(feed).value();
        syncserver::SyncOptions options;
        options.deviceReset = [resets = backend->m_resets](const std::string &) { ++*resets; };
        backend->m_service = std::make_unique<syncserver::SyncService>(
            database, backend->m_identity, backend->m_hlc, *backend->m_feed,
            sync::ServerRules(sync::standardCaseTransitions()), options);
        net::Handlers handlers;
        handlers.sync = [sessions = backend->m_service->sessionFactory(), served = backend->m_sessions](
                            net::SyncLink link, const net::PeerInfo &peer) {
            ++*served;
            return sessions(std::move(link), peer);
        };
        net::ServerOptions serverOptions = net::testing::fastOptions();
        serverOptions.port = port;
        serverOptions.timeouts.websocketIdle = 120s;
        backend->m_server = std::make_unique<net::testing::TestServer>(serverOptions, std::move(handlers));
        return backend;
    }

    ~Backend()
    {
        m_server.reset();
        m_service.reset();
        m_feed.reset();
    }

    identity::IdentityService &identity() { return m_identity; }
    std::uint16_t port() const { return m_server->port(); }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/v1/sync"; }
    int sessions() const { return *m_sessions; }
    int resets() const { return *m_resets; }

private:
    Backend(storage::SqlDatabase &database, core::Clock &clock)
        : m_hlc(clock)
        , m_ids(clock)
        , m_identity(database, clock, m_hlc, m_ids, minimumCost())
    {
    }

    static identity::IdentityOptions minimumCost()
    {
        identity::IdentityOptions options;
        options.passwordCost = identity::PasswordCost::minimum();
        return options;
    }

    core::HybridLogicalClock m_hlc;
    core::UuidV7Generator m_ids;
    identity::IdentityService m_identity;
    std::unique_ptr<syncserver::ChangeFeed> m_feed;
    std::unique_ptr<syncserver::SyncService> m_service;
    std::unique_ptr<net::testing::TestServer> m_server;
    std::shared_ptr<std::atomic<int>> m_sessions = std::make_shared<std::atomic<int>>(0);
    std::shared_ptr<std::atomic<int>> m_resets = std::make_shared<std::atomic<int>>(0);
};

// The tickets the server holds, by number.
Tickets serverTickets(storage::SqlDatabase &database)
{
    Tickets tickets;
    const Status read = database.query("SELECT data FROM sync_entities WHERE entity_type = $1",
                                       {static_cast<std::int64_t>(v1::ENTITY_TYPE_TICKET)},
                                       [&](const storage::SqlRow &row) -> Status {
                                           v1::Ticket ticket;
                                           if (!ticket.ParseFromString(row.bytes(0)))
                                               return makeError(ErrorCode::Corrupt, "a ticket does not parse");
                                           tickets[ticket.number()] = ticket.state();
                                           return {};
                                       });
    if (!read.ok())
        qFatal("cannot read the server's tickets: %s", read.error().describe().c_str());
    return tickets;
}

// The log's epoch, which the cursors the server issues name before their ':'.
std::string logEpoch(storage::SqlDatabase &database)
{
    std::string epoch;
    const Status read = database.query("SELECT epoch FROM sync_head WHERE id = 1", {},
                                       [&](const storage::SqlRow &row) -> Status {
                                           epoch = row.text(0);
                                           return {};
                                       });
    if (!read.ok())
        qFatal("cannot read the log's epoch: %s", read.error().describe().c_str());
    return epoch;
}

std::string epochOf(const std::string &cursor)
{
    return cursor.substr(0, cursor.find(':'));
}

} // namespace

class TestCtlRestoreSync : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    core::ManualClock m_clock{sync::testing::SyncWorld::startMs};

private Q_SLOTS:
    void devicesFollowARestore_data() { test::addStoreRows(); }
    void devicesFollowARestore()
    {
        const bool embedded = test::currentStoreKind() == test::StoreKind::Embedded;
        auto opened = AdminFixture::open(test::currentStoreKind(), m_postgres, "unused-catalog.pb");
        QVERIFY2(opened.ok(), opened.ok() ? "" : opened.error().describe().c_str());
        AdminFixture &fixture = **opened;
        SIGESS_VERIFY_OK(fixture.addPresidio(kPresidio, "M01"));
        Result<config::BackendConfig> config = config::loadConfig(fixture.configFile());
        SIGESS_VERIFY_OK(config);
        Result<std::unique_ptr<Backend>> backend = Backend::open(fixture.database(), *config, m_clock, 0);
        SIGESS_VERIFY_OK(backend);
        Result<identity::IssuedEnrollmentCode> code
            = (*backend)->identity().issueEnrollmentCode(kPresidio, v1::DEVICE_KIND_KIOSK, "test");
        SIGESS_VERIFY_OK(code);
        Result<identity::EnrolledDevice> enrolled = (*backend)->identity().enrollDevice(code->code, "kiosk");
        SIGESS_VERIFY_OK(enrolled);
        const std::uint16_t port = (*backend)->port();

        QTemporaryDir deviceDir;
        SyncedDevice kiosk(deviceDir.path(), {enrolled->device.meta().id(), enrolled->credential, {}},
                           (*backend)->url());
        SIGESS_VERIFY_OK(kiosk.start());
        SIGESS_VERIFY_OK(kiosk.issueTicket(kPresidio, "A-001"));
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.outbox(), std::size_t(0), waitMs);
        const Tickets backedUp = serverTickets(fixture.database());
        QCOMPARE(backedUp.size(), std::size_t(1));
        const std::string backup = QDir(fixture.dir()).filePath("before.backup").toStdString();
        const Outcome backupOutcome = fixture.run(ctl::runBackup, {backup});
        QVERIFY2(backupOutcome.status == 0, backupOutcome.said().c_str());

        // After the backup: two tickets the restore takes back, and a cursor beyond them.
        SIGESS_VERIFY_OK(kiosk.issueTicket(kPresidio, "A-002"));
        SIGESS_VERIFY_OK(kiosk.issueTicket(kPresidio, "A-003"));
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.outbox(), std::size_t(0), waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.tickets(), serverTickets(fixture.database()), waitMs);
        QCOMPARE(kiosk.tickets().size(), std::size_t(3));
        const std::string epochBefore = logEpoch(fixture.database());
        QTRY_COMPARE_WITH_TIMEOUT(epochOf(kiosk.cursor()), epochBefore, waitMs);

        storage::SqlDatabase *database = &fixture.database();
        Tickets expected = backedUp;
        if (embedded) {
            // The backend stops; the kiosk, offline, issues a ticket it cannot send.
            backend->reset();
            fixture.closeDatabase();
            SIGESS_VERIFY_OK(kiosk.issueTicket(kPresidio, "A-004"));
            expected["A-004"] = v1::TICKET_STATE_WAITING;
        }
        const Outcome restored = fixture.run(ctl::runRestore, {backup, "--force"});
        QVERIFY2(restored.status == 0, restored.said().c_str());
        if (embedded) {
            SIGESS_VERIFY_OK(fixture.reopenDatabase());
            database = &fixture.reopened();
            backend = Backend::open(*database, *config, m_clock, port);
            SIGESS_VERIFY_OK(backend);
        }

        // The kiosk is reset: the tickets the restore took back leave it, its own unsent
        // ticket reaches the server, and it shows exactly what the server holds.
        QTRY_COMPARE_WITH_TIMEOUT(serverTickets(*database), expected, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.tickets(), expected, waitMs);
        QCOMPARE(kiosk.outbox(), std::size_t(0));
        const std::string epochAfter = logEpoch(*database);
        QVERIFY(epochAfter != epochBefore);
        QCOMPARE(epochOf(kiosk.cursor()), epochAfter);
        QVERIFY((*backend)->resets() >= 1);
        // PostgreSQL: told on the connection it held, without connecting again.
        QCOMPARE((*backend)->sessions(), 1);

        // Both go on syncing on the restored log.
        SIGESS_VERIFY_OK(kiosk.issueTicket(kPresidio, "A-005"));
        expected["A-005"] = v1::TICKET_STATE_WAITING;
        QTRY_COMPARE_WITH_TIMEOUT(serverTickets(*database), expected, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.tickets(), expected, waitMs);
        QCOMPARE(kiosk.outbox(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestCtlRestoreSync)
#include "tst_ctl_restore_sync.moc"
