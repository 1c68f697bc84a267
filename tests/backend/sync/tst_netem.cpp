// Three tablets converge over a bad network (issue #5): a server and three devices,
// each a Replica in an encrypted store driven by SyncClient and SyncDriver, make random
// concurrent edits of one presidio's tickets, some while cut off from the server, and
// must all end equal to the server, each field holding the write with the latest HLC.
// Rows: "loopback" as it is; "netem" inside a network namespace made by the test whose
// loopback drops, delays, duplicates and reorders packets (tc netem). The netem row
// runs when SIGESS_TEST_NETEM=1 and needs root, iproute2 and the kernel's netem qdisc;
// without them it is skipped with the reason. The test thread joins the namespace before the server and the clients start,
// so every socket and thread they make lives there.
#include "backend/sync/device_client.h"
#include "backend/sync/device_support.h"
#include "backend/sync/sync_world.h"
#include "backend/sync/sync_world_server.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/uuid.h"
#include "operation_builder.h"
#include "store/database.h"
#include "store/raw_key.h"
#include "support/result_checks.h"
#include "sync/replica.h"
#include "sync_client/sync_client.h"
#include "sync_client/sync_driver.h"

#include <QCoreApplication>
#include <QProcess>
#include <QDeadlineTimer>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <random>
#include <thread>

using namespace sigess;
using namespace std::chrono_literals;

namespace {

constexpr int deviceCount = 3;
constexpr int edits = 150;
constexpr std::uint64_t seed = 5;
constexpr int ticketDeskField = 6;

// Runs a command; the error names it with what it wrote on stderr.
Status run(const QString &program, const QStringList &arguments)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForFinished(10000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return makeError(ErrorCode::Unavailable, (program + ' ' + arguments.join(' ') + ": "
                                                  + QString::fromLocal8Bit(process.readAllStandardError()).trimmed()
                                                  + process.errorString())
                                                     .toStdString());
    return {};
}

// A network namespace whose loopback misbehaves as netem is told; the calling thread
// is moved into it and back out when this ends.
class BadNetwork {
public:
    static Result<std::unique_ptr<BadNetwork>> make(const QStringList &netem)
    {
        if (::geteuid() != 0)
            return makeError(ErrorCode::Unavailable, "network namespaces need root");
        auto network = std::unique_ptr<BadNetwork>(new BadNetwork);
        network->m_name = QStringLiteral("sigess-netem-%1").arg(QCoreApplication::applicationPid());
        SIGESS_TRY(run("ip", {"netns", "add", network->m_name}));
        network->m_created = true;
        SIGESS_TRY(run("ip", {"netns", "exec", network->m_name, "ip", "link", "set", "lo", "up"}));
        SIGESS_TRY(run("ip", QStringList{"netns", "exec", network->m_name, "tc", "qdisc", "add", "dev", "lo", "root", "netem"}
                                 + netem));
        network->m_home = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        const int target = ::open(("/run/netns/" + network->m_name).toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC);
        if (network->m_home < 0 || target < 0 || ::setns(target, CLONE_NEWNET) != 0) {
            if (target >= 0)
                ::close(target);
            return makeError(ErrorCode::Unavailable, "cannot enter the network namespace");
        }
        ::close(target);
        network->m_entered = true;
        return network;
    }

    ~BadNetwork()
    {
        if (m_entered)
            static_cast<void>(::setns(m_home, CLONE_NEWNET));
        if (m_home >= 0)
            ::close(m_home);
        if (m_created)
            static_cast<void>(run("ip", {"netns", "del", m_name}));
    }

private:
    BadNetwork() = default;

    QString m_name;
    int m_home = -1;
    bool m_created = false;
    bool m_entered = false;
};

// One tablet: its store, replica, and, while online, its client and driver.
class Tablet {
public:
    Tablet(const QString &path, test::DeviceCredentials credentials, test::WorkQueue &queue)
        : m_path(path.toStdString()), m_credentials(std::move(credentials)), m_queue(queue)
    {
    }

    Status open()
    {
        Result<store::Database> database
            = store::Database::open(m_path, m_key, store::OpenMode::CreateIfMissing);
        if (!database.ok())
            return database.takeError();
        m_database = std::make_unique<store::Database>(std::move(database).value());
        Result<sync::Replica> replica = sync::Replica::open(*m_database, m_credentials.id, m_hlc, m_ids);
        if (!replica.ok())
            return replica.takeError();
        m_replica = std::make_unique<sync::Replica>(std::move(replica).value());
        return {};
    }

    Status goOnline(const std::string &url, std::uint64_t jitterSeed)
    {
        sync::SyncClientOptions options = test::clientOptionsFor(url, m_credentials);
        options.backoff.initial = 50ms;
        options.backoff.maximum = 500ms;
        options.answerTimeout = 5s;
        options.idleTimeout = 10s;
        std::mt19937_64 jitter(jitterSeed);
        options.random = [jitter]() mutable { return std::uniform_real_distribution<double>(0.0, 1.0)(jitter); };
        m_client = std::make_unique<sync::SyncClient>(options);
        sync::SyncDriverHandlers handlers;
        handlers.statusChanged = [this](const sync::SyncStatus &status) { m_status = status; };
        m_driver = std::make_unique<sync::SyncDriver>(
            *m_client, *m_replica, [this](std::function<void()> work) { m_queue.post(std::move(work)); }, m_clock,
            handlers, sync::SyncDriver::Options{});
        m_driver->start();
        return m_client->start();
    }

    void goOffline()
    {
        m_driver.reset();
        if (m_client)
            m_client->stop();
        m_client.reset();
        m_status = {};
    }

    bool online() const { return m_driver != nullptr; }
    void syncNow()
    {
        if (m_driver)
            m_driver->syncNow();
    }
    // A complete round since the last edit, with nothing left to push.
    bool settledSince(std::uint64_t ms) const
    {
        return m_status.online && m_status.outbox == 0 && m_status.lastSyncMs && *m_status.lastSyncMs >= ms
               && !m_status.lastError;
    }

    sync::Replica &replica() { return *m_replica; }
    const std::string &id() const { return m_credentials.id; }

private:
    std::string m_path;
    test::DeviceCredentials m_credentials;
    test::WorkQueue &m_queue;
    store::RawKey m_key = store::RawKey::random();
    core::SystemClock m_clock;
    core::HybridLogicalClock m_hlc{m_clock};
    core::UuidV7Generator m_ids{m_clock};
    std::unique_ptr<store::Database> m_database;
    std::unique_ptr<sync::Replica> m_replica;
    std::unique_ptr<sync::SyncClient> m_client;
    std::unique_ptr<sync::SyncDriver> m_driver;
    sync::SyncStatus m_status;
};

} // namespace

class TestNetem : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void threeTabletsConverge_data()
    {
        QTest::addColumn<QStringList>("netem");
        QTest::newRow("loopback") << QStringList{};
        QTest::newRow("netem") << QStringList{"delay", "20ms", "10ms", "loss", "5%", "duplicate", "5%",
                                              "reorder", "25%", "50%"};
    }

    void threeTabletsConverge()
    {
        QFETCH(QStringList, netem);
        std::unique_ptr<BadNetwork> network;
        if (!netem.isEmpty()) {
            // Opt-in until it has run on a kernel with netem: the machines this was written
            // on have none, so the namespace step is unproven.
            if (qEnvironmentVariableIntValue("SIGESS_TEST_NETEM") != 1)
                QSKIP("the netem row runs with SIGESS_TEST_NETEM=1 (root, iproute2, the netem qdisc)");
            auto made = BadNetwork::make(netem);
            if (!made.ok())
                QSKIP(qPrintable("no bad network here: " + QString::fromStdString(made.error().message)));
            network = std::move(made).value();
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid() && QDir(dir.path()).mkpath("server"));
        auto world = test::SyncWorld::open(dir.filePath("server").toStdString());
        EXPECT_OK(world);
        test::SyncWorldServer server(**world);

        test::WorkQueue queue;
        std::vector<std::unique_ptr<Tablet>> tablets;
        for (int i = 0; i < deviceCount; ++i) {
            auto credentials = (*world)->enrollTablet("coordinatore" + std::to_string(i), v1::ROLE_COORDINATOR,
                                                      test::ourPresidio);
            EXPECT_OK(credentials);
            tablets.push_back(std::make_unique<Tablet>(dir.filePath(QStringLiteral("tablet%1.db").arg(i)),
                                                       *credentials, queue));
            EXPECT_OK(tablets.back()->open());
        }

        std::mt19937_64 random(seed);
        for (int edit = 0; edit < edits; ++edit) {
            Tablet &tablet = *tablets[random() % tablets.size()];
            // Now and then a tablet loses the server, or finds it again.
            if (random() % 10 == 0) {
                if (tablet.online())
                    tablet.goOffline();
                else
                    EXPECT_OK(tablet.goOnline(server.url(), random()));
            }
            EXPECT_OK(test::recordRandomTicketEdit(tablet.replica(), random, test::ourPresidio));
            tablet.syncNow();
            queue.runFor(std::chrono::milliseconds(random() % 20));
        }

        // Each mark is taken past the millisecond of any round already settled.
        std::this_thread::sleep_for(2ms);
        const std::uint64_t editsEnded = core::SystemClock().nowMs();
        for (auto &tablet : tablets) {
            if (!tablet->online())
                EXPECT_OK(tablet->goOnline(server.url(), random()));
            tablet->syncNow();
        }
        // Once every tablet pushed everything, one more round each pulls what the others pushed.
        QDeadlineTimer deadline(90s);
        auto allSettled = [&](std::uint64_t since) {
            return std::all_of(tablets.begin(), tablets.end(), [&](const auto &t) { return t->settledSince(since); });
        };
        while (!allSettled(editsEnded) && !deadline.hasExpired())
            queue.runFor(50ms);
        QVERIFY2(allSettled(editsEnded), "the tablets did not push everything");
        std::this_thread::sleep_for(2ms);
        const std::uint64_t pushed = core::SystemClock().nowMs();
        for (auto &tablet : tablets)
            tablet->syncNow();
        while (!allSettled(pushed) && !deadline.hasExpired())
            queue.runFor(50ms);
        QVERIFY2(allSettled(pushed), "the tablets did not pull everything");

        auto onServer = (*world)->entities(v1::ENTITY_TYPE_TICKET);
        EXPECT_OK(onServer);
        QVERIFY(onServer->size() > 10);
        for (auto &tablet : tablets) {
            const Result<std::size_t> outbox = tablet->replica().outboxSize();
            const Result<std::vector<sync::ReviewItem>> review = tablet->replica().reviewList();
            QVERIFY(outbox.ok() && *outbox == 0);
            QVERIFY(review.ok() && review->empty());
            auto onTablet = test::deviceEntities(tablet->replica(), v1::ENTITY_TYPE_TICKET);
            EXPECT_OK(onTablet);
            const std::string difference = test::entityDifference(v1::ENTITY_TYPE_TICKET, *onServer, *onTablet);
            QVERIFY2(difference.empty(), (tablet->id() + ": " + difference).c_str());
        }
        Result<std::vector<v1::Operation>> logged = (*world)->loggedOperations();
        EXPECT_OK(logged);
        for (const auto &[id, bytes] : *onServer) {
            v1::Ticket ticket;
            QVERIFY(ticket.ParseFromString(bytes));
            const v1::Operation *latest = sync::testing::latestWrite(*logged, id, ticketDeskField);
            const std::string expectedDesk = latest == nullptr ? std::string() : [&] {
                v1::Ticket patch;
                static_cast<void>(patch.ParseFromString(latest->patch()));
                return patch.desk();
            }();
            QCOMPARE(ticket.desk(), expectedDesk);
        }
        for (auto &tablet : tablets)
            tablet->goOffline();
    }
};

QTEST_GUILESS_MAIN(TestNetem)
#include "tst_netem.moc"
