// A restore of the store reaches the devices, on both stores: a kiosk syncs with the
// backend's sync service over a real WebSocket on loopback (the feed the backend itself
// would choose for the config's store), the store is restored to an earlier backup with
// sigessctl's own restore, and the kiosk converges to exactly the tickets of its presidio
// the restored server holds, plus its own ticket it had not sent, which reaches the
// server. On the embedded store the backend is stopped for the restore, as it must be,
// and started again on the same port, and the kiosk reconnects holding that ticket. On
// PostgreSQL the backend goes on serving: the restore's NOTIFY tells it, it tells the
// kiosk at once, and the kiosk converges on the connection it holds. A kiosk that pushed
// and had its tickets acknowledged but never completed a pull (its cursor still empty)
// is reset all the same: the Acks told it the log they were stored in.
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
#include <set>

using namespace sigess;
using namespace std::chrono_literals;
using sigess::sync::testing::SyncedDevice;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr char kPresidio[] = "P-M01-01";
constexpr int waitMs = 20'000;

using Tickets = std::map<std::string, v1::TicketState>;

// The devices whose Pulls the backend refuses, as a server that cannot read its log
// would: they push and have their operations acknowledged, but never complete a pull.
class PullGate {
public:
    void refuse(const std::string &deviceId)
    {
        const std::lock_guard lock(m_mutex);
        m_refused.insert(deviceId);
    }

    void admitAll()
    {
        const std::lock_guard lock(m_mutex);
        m_refused.clear();
    }

    bool refuses(const std::string &deviceId) const
    {
        const std::lock_guard lock(m_mutex);
        return m_refused.contains(deviceId);
    }

private:
    mutable std::mutex m_mutex;
    std::set<std::string> m_refused;
};

// The service's session, except that the Pulls of a device the gate refuses are answered
// with a Reject.
class GatedSession : public net::SyncSession {
public:
    GatedSession(std::unique_ptr<net::SyncSession> session, net::SyncLink link, std::shared_ptr<const PullGate> gate)
        : m_session(std::move(session))
        , m_link(std::move(link))
        , m_gate(std::move(gate))
    {
    }

    void onFrame(v1::Envelope frame) override
    {
        if (frame.has_hello())
            m_deviceId = frame.hello().device_id();
        if (frame.has_pull() && m_gate->refuses(m_deviceId)) {
            m_link.send(syncserver::makeReject(frame.sequence(), "unavailable", "the test refuses this device's pulls",
                                               false));
            return;
        }
        m_session->onFrame(std::move(frame));
    }

    void onClose() override { m_session->onClose(); }

private:
    std::unique_ptr<net::SyncSession> m_session;
    net::SyncLink m_link;
    std::shared_ptr<const PullGate> m_gate;
    std::string m_deviceId;
};

// The sync side of sigess-backend over a store, as BackendServices builds it (its resets
// counted on the server's /metrics), counting the connections it serves.
class Backend {
public:
    static Result<std::unique_ptr<Backend>> open(storage::SqlDatabase &database, const config::BackendConfig &config,
                                                 core::Clock &clock, std::uint16_t port,
                                                 std::shared_ptr<const PullGate> gate = std::make_shared<PullGate>())
    {
        auto backend = std::unique_ptr<Backend>(new Backend(database, clock));
        Result<std::unique_ptr<syncserver::ChangeFeed>> feed
            = server::openChangeFeed(config::storageConfigOf(config.storage, 4), database);
        if (!feed.ok())
            return feed.takeError();
        backend->m_feed = std::move(feed).value();
        backend->m_service = std::make_unique<syncserver::SyncService>(
            database, backend->m_identity, backend->m_hlc, *backend->m_feed,
            sync::ServerRules(sync::standardCaseTransitions()));
        net::Handlers handlers;
        handlers.sync = [sessions = backend->m_service->sessionFactory(), served = backend->m_sessions,
                         gate = std::move(gate)](net::SyncLink link, const net::PeerInfo &peer) {
            ++*served;
            return std::make_unique<GatedSession>(sessions(link, peer), link, gate);
        };
        net::ServerOptions serverOptions = net::testing::fastOptions();
        serverOptions.port = port;
        serverOptions.timeouts.websocketIdle = 120s;
        backend->m_server = std::make_unique<net::testing::TestServer>(serverOptions, std::move(handlers));
        backend->m_service->registerMetrics(backend->m_server->server().metrics());
        return backend;
    }

    ~Backend()
    {
        m_server.reset();
        m_service.reset();
        m_feed.reset();
    }

    // A kiosk of kPresidio, enrolled as `name`, with the credential its Hello carries.
    Result<sync::testing::EnrolledDevice> enrollKiosk(const std::string &name)
    {
        Result<identity::IssuedEnrollmentCode> code
            = m_identity.issueEnrollmentCode(kPresidio, v1::DEVICE_KIND_KIOSK, "test");
        if (!code.ok())
            return code.takeError();
        Result<identity::EnrolledDevice> enrolled = m_identity.enrollDevice(code->code, name);
        if (!enrolled.ok())
            return enrolled.takeError();
        return sync::testing::EnrolledDevice{enrolled->device.meta().id(), enrolled->credential, {}};
    }

    std::uint16_t port() const { return m_server->port(); }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/v1/sync"; }
    int sessions() const { return *m_sessions; }
    // The resets counted on /metrics.
    std::uint64_t resets() const
    {
        return m_server->server().metrics().counter("sigess_sync_device_resets_total", "").value();
    }

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

    // A store of the current kind with kPresidio, and the backend config over it.
    struct Deployment {
        std::unique_ptr<AdminFixture> fixture;
        config::BackendConfig config;
    };

    Result<Deployment> deploy()
    {
        Result<std::unique_ptr<AdminFixture>> fixture
            = AdminFixture::open(test::currentStoreKind(), m_postgres, "unused-catalog.pb");
        if (!fixture.ok())
            return fixture.takeError();
        SIGESS_TRY((*fixture)->addPresidio(kPresidio, "M01"));
        Result<config::BackendConfig> config = config::loadConfig((*fixture)->configFile());
        if (!config.ok())
            return config.takeError();
        return Deployment{std::move(fixture).value(), std::move(config).value()};
    }

    // The store backed up with sigessctl's own backup: the file it wrote.
    static Result<std::string> backUp(const AdminFixture &fixture)
    {
        const std::string file = QDir(fixture.dir()).filePath("before.backup").toStdString();
        const Outcome outcome = fixture.run(ctl::runBackup, {file});
        if (outcome.status != 0)
            return makeError(ErrorCode::Internal, "the backup failed: " + outcome.said());
        return file;
    }

    static Status restore(const AdminFixture &fixture, const std::string &backup)
    {
        const Outcome outcome = fixture.run(ctl::runRestore, {backup, "--force"});
        if (outcome.status != 0)
            return makeError(ErrorCode::Internal, "the restore failed: " + outcome.said());
        return {};
    }

private Q_SLOTS:
    void devicesFollowARestore_data() { test::addStoreRows(); }
    void devicesFollowARestore()
    {
        const bool embedded = test::currentStoreKind() == test::StoreKind::Embedded;
        Result<Deployment> deployed = deploy();
        SIGESS_VERIFY_OK(deployed);
        AdminFixture &fixture = *deployed->fixture;
        const config::BackendConfig &config = deployed->config;
        Result<std::unique_ptr<Backend>> backend = Backend::open(fixture.database(), config, m_clock, 0);
        SIGESS_VERIFY_OK(backend);
        Result<sync::testing::EnrolledDevice> enrolled = (*backend)->enrollKiosk("kiosk");
        SIGESS_VERIFY_OK(enrolled);
        const std::uint16_t port = (*backend)->port();

        QTemporaryDir deviceDir;
        SyncedDevice kiosk(deviceDir.path(), *enrolled, (*backend)->url());
        SIGESS_VERIFY_OK(kiosk.start());
        SIGESS_VERIFY_OK(kiosk.issueTicket(kPresidio, "A-001"));
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.outbox(), std::size_t(0), waitMs);
        const Tickets backedUp = serverTickets(fixture.database());
        QCOMPARE(backedUp.size(), std::size_t(1));
        const Result<std::string> backup = backUp(fixture);
        SIGESS_VERIFY_OK(backup);

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
        SIGESS_VERIFY_OK(restore(fixture, *backup));
        if (embedded) {
            SIGESS_VERIFY_OK(fixture.reopenDatabase());
            database = &fixture.reopened();
            backend = Backend::open(*database, config, m_clock, port);
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

    // A kiosk that pushed and had its tickets acknowledged but never completed a pull
    // before the restore (its pulls refused, as by a server that could not read its log)
    // holds as confirmed a ticket the restore took back. It is reset all the same, and
    // afterwards holds exactly the restored server's tickets (one of another kiosk it
    // never pulled among them) plus its own ticket the server had not acknowledged. The
    // backend is stopped for the restore on both stores, so that the kiosk makes that
    // ticket offline.
    void aDeviceThatNeverPulledFollowsARestore_data() { test::addStoreRows(); }
    void aDeviceThatNeverPulledFollowsARestore()
    {
        const bool embedded = test::currentStoreKind() == test::StoreKind::Embedded;
        Result<Deployment> deployed = deploy();
        SIGESS_VERIFY_OK(deployed);
        AdminFixture &fixture = *deployed->fixture;
        const config::BackendConfig &config = deployed->config;
        const auto gate = std::make_shared<PullGate>();
        Result<std::unique_ptr<Backend>> backend = Backend::open(fixture.database(), config, m_clock, 0, gate);
        SIGESS_VERIFY_OK(backend);
        const std::uint16_t port = (*backend)->port();
        Result<sync::testing::EnrolledDevice> otherEnrolled = (*backend)->enrollKiosk("other");
        SIGESS_VERIFY_OK(otherEnrolled);
        Result<sync::testing::EnrolledDevice> pusherEnrolled = (*backend)->enrollKiosk("pusher");
        SIGESS_VERIFY_OK(pusherEnrolled);

        QTemporaryDir otherDir;
        SyncedDevice other(otherDir.path(), *otherEnrolled, (*backend)->url());
        SIGESS_VERIFY_OK(other.start());
        SIGESS_VERIFY_OK(other.issueTicket(kPresidio, "A-001"));
        QTRY_COMPARE_WITH_TIMEOUT(other.outbox(), std::size_t(0), waitMs);

        gate->refuse(pusherEnrolled->id);
        QTemporaryDir pusherDir;
        SyncedDevice pusher(pusherDir.path(), *pusherEnrolled, (*backend)->url());
        SIGESS_VERIFY_OK(pusher.start());
        SIGESS_VERIFY_OK(pusher.issueTicket(kPresidio, "B-001"));
        QTRY_COMPARE_WITH_TIMEOUT(pusher.outbox(), std::size_t(0), waitMs);
        const Tickets backedUp = serverTickets(fixture.database());
        QCOMPARE(backedUp.size(), std::size_t(2));
        const Result<std::string> backup = backUp(fixture);
        SIGESS_VERIFY_OK(backup);

        // Acknowledged after the backup: the restore takes it back.
        SIGESS_VERIFY_OK(pusher.issueTicket(kPresidio, "B-002"));
        QTRY_COMPARE_WITH_TIMEOUT(pusher.outbox(), std::size_t(0), waitMs);
        QCOMPARE(serverTickets(fixture.database()).size(), std::size_t(3));
        QCOMPARE(pusher.tickets(), (Tickets{{"B-001", v1::TICKET_STATE_WAITING}, {"B-002", v1::TICKET_STATE_WAITING}}));
        const std::string epochBefore = logEpoch(fixture.database());
        // What its Acks told it: the start of the log they were stored in.
        QCOMPARE(pusher.cursor(), epochBefore + ":0");

        backend->reset();
        if (embedded)
            fixture.closeDatabase();
        SIGESS_VERIFY_OK(pusher.issueTicket(kPresidio, "B-003"));
        SIGESS_VERIFY_OK(restore(fixture, *backup));
        storage::SqlDatabase *database = &fixture.database();
        if (embedded) {
            SIGESS_VERIFY_OK(fixture.reopenDatabase());
            database = &fixture.reopened();
        }
        gate->admitAll();
        backend = Backend::open(*database, config, m_clock, port, gate);
        SIGESS_VERIFY_OK(backend);

        Tickets expected = backedUp;
        expected["B-003"] = v1::TICKET_STATE_WAITING;
        QTRY_COMPARE_WITH_TIMEOUT(serverTickets(*database), expected, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(pusher.tickets(), expected, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(other.tickets(), expected, waitMs);
        QCOMPARE(pusher.outbox(), std::size_t(0));
        const std::string epochAfter = logEpoch(*database);
        QVERIFY(epochAfter != epochBefore);
        QTRY_COMPARE_WITH_TIMEOUT(epochOf(pusher.cursor()), epochAfter, waitMs);
        QVERIFY((*backend)->resets() >= 2);
    }
};

QTEST_GUILESS_MAIN(TestCtlRestoreSync)
#include "tst_ctl_restore_sync.moc"
