// kill -9 of a device process at random points of its sync, 100 rounds (issue #5): a
// child process (kill_round_child.cpp) records ticket changes in its encrypted Replica
// and syncs them through SyncClient and SyncDriver with a real server on loopback; the
// test kills it with SIGKILL when it reaches a step drawn by a seeded generator (about
// to record, just recorded, asking to push, settling an Ack, applying Changes), a
// random few hundred microseconds later, and starts it again on the same store. At the
// end one more run settles, and the test holds the device's store against the server:
// every op the device announced is in the server's log, each op once, the device has
// applied every one of its own ops, and its tickets equal the server's, field by field.
#include "backend/sync/device_support.h"
#include "backend/sync/sync_world.h"
#include "backend/sync/sync_world_server.h"
#include "core/clock.h"
#include "store/database.h"
#include "store/raw_key.h"
#include "support/result_checks.h"
#include "sync/replica.h"

#include <QProcess>
#include <QDeadlineTimer>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>

#include <map>
#include <random>
#include <optional>
#include <set>
#include <thread>

using namespace sigess;
using namespace std::chrono_literals;

namespace {

constexpr int rounds = 100;
constexpr std::uint64_t seed = 20261129;
const QStringList steps{"record", "recorded", "push", "acked", "applied"};

} // namespace

class TestKillRounds : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<test::ServedTablet> m_served;
    store::RawKey m_key = store::RawKey::random();

    QString storePath() const { return m_dir.filePath("device.db"); }

    QStringList childArguments(std::uint64_t childSeed, const char *mode) const
    {
        return {storePath(),
                QString::fromStdString(m_key.toHex()),
                QString::fromStdString(m_served->tablet.id),
                QString::fromStdString(m_served->tablet.credential),
                QString::fromStdString(m_served->tablet.session),
                QString::fromStdString(m_served->server->url()),
                QString::number(childSeed),
                QString::fromLatin1(mode)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir(m_dir.path()).mkpath("server"));
        auto served = test::ServedTablet::open(m_dir.filePath("server").toStdString());
        EXPECT_OK(served);
        m_served = std::move(served).value();
    }

    void cleanupTestCase()
    {
        m_served.reset();
    }

    void killedAtRandomPointsLosesAndRepeatsNothing()
    {
        std::mt19937_64 random(seed);
        std::set<std::string> announced;
        std::map<QString, int> killsAt;
        for (int round = 0; round < rounds; ++round) {
            const QString step = steps[static_cast<qsizetype>(random() % steps.size())];
            const int occurrence = 1 + static_cast<int>(random() % 3);
            const auto lateBy = std::chrono::microseconds(random() % 500);
            QProcess child;
            child.start(SIGESS_KILL_CHILD, childArguments(random(), "work"));
            QVERIFY2(child.waitForStarted(), qPrintable(child.errorString()));
            int seen = 0;
            QDeadlineTimer deadline(10s);
            while (seen < occurrence && !deadline.hasExpired()) {
                if (!child.canReadLine() && !child.waitForReadyRead(100)) {
                    QVERIFY2(child.state() == QProcess::Running,
                             qPrintable("the device process ended by itself: " + child.readAllStandardError()));
                    continue;
                }
                const QString line = QString::fromUtf8(child.readLine()).trimmed();
                if (line.startsWith("recorded "))
                    announced.insert(line.mid(9).toStdString());
                if (line.section(' ', 0, 0) == step)
                    ++seen;
            }
            QVERIFY2(seen == occurrence, qPrintable(QStringLiteral("round %1 never reached %2").arg(round).arg(step)));
            std::this_thread::sleep_for(lateBy);
            ::kill(static_cast<pid_t>(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(5000));
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            // Lines written before the kill are still in the pipe.
            for (const QByteArray &line : child.readAllStandardOutput().split('\n')) {
                if (line.startsWith("recorded "))
                    announced.insert(line.mid(9).trimmed().toStdString());
            }
            ++killsAt[step];
        }
        for (const auto &[step, kills] : killsAt)
            qInfo("killed %d times at %s", kills, qPrintable(step));

        QProcess settle;
        settle.start(SIGESS_KILL_CHILD, childArguments(random(), "settle"));
        QVERIFY(settle.waitForFinished(30000));
        QVERIFY2(settle.exitCode() == 0, settle.readAllStandardError().constData());
        QVERIFY(settle.readAllStandardOutput().contains("settled"));

        // The device's own account first: a refused op would be missing from the log below.
        Result<store::Database> database = store::Database::open(storePath().toStdString(), m_key,
                                                                 store::OpenMode::OpenExisting);
        EXPECT_OK(database);
        core::ManualClock clock(0);
        core::HybridLogicalClock hlc(clock);
        core::UuidV7Generator ids(clock);
        Result<sync::Replica> replica = sync::Replica::open(*database, m_served->tablet.id, hlc, ids);
        EXPECT_OK(replica);
        const Result<std::size_t> outbox = replica->outboxSize();
        const Result<std::vector<sync::ReviewItem>> review = replica->reviewList();
        QVERIFY(outbox.ok() && *outbox == 0);
        EXPECT_OK(review);
        // A refused op leaves the outbox too: its reason says why it is not on the server.
        for (const sync::ReviewItem &item : *review)
            qWarning("refused %s: %s", item.operation.op_id().c_str(), item.rejection.reason().c_str());
        QVERIFY(review->empty());
        Result<std::vector<v1::Operation>> logged = m_served->world->loggedOperations();
        EXPECT_OK(logged);
        std::map<std::string, int> timesLogged;
        for (const v1::Operation &operation : *logged) {
            QCOMPARE(operation.device(), m_served->tablet.id);
            ++timesLogged[operation.op_id()];
        }
        for (const auto &[opId, times] : timesLogged)
            QVERIFY2(times == 1, opId.c_str());
        for (const std::string &opId : announced)
            QVERIFY2(timesLogged.contains(opId), ("announced but not on the server: " + opId).c_str());
        // A kill can cut in between a committed record and its announcement, once per round.
        QVERIFY(timesLogged.size() >= announced.size());
        QVERIFY(timesLogged.size() <= announced.size() + rounds);
        qInfo("%zu operations announced, %zu on the server", announced.size(), timesLogged.size());
        for (const auto &[opId, times] : timesLogged) {
            // The replica keeps applied op ids as their 16 bytes (its schema step 3).
            Result<store::Statement> applied
                = database->prepare("SELECT COUNT(*) FROM sync_applied WHERE op_id = unhex(replace(?1, '-', ''))");
            EXPECT_OK(applied);
            applied->bindText(1, opId);
            const Result<bool> row = applied->step();
            QVERIFY(row.ok() && *row);
            QVERIFY2(applied->columnInt64(0) == 1, ("not applied on the device: " + opId).c_str());
        }

        auto onDevice = test::deviceEntities(*replica, v1::ENTITY_TYPE_TICKET);
        auto onServer = m_served->world->entities(v1::ENTITY_TYPE_TICKET);
        EXPECT_OK(onDevice);
        EXPECT_OK(onServer);
        QVERIFY(!onServer->empty());
        const std::string difference = test::entityDifference(v1::ENTITY_TYPE_TICKET, *onServer, *onDevice);
        QVERIFY2(difference.empty(), difference.c_str());
    }
};

QTEST_GUILESS_MAIN(TestKillRounds)
#include "tst_kill_rounds.moc"
