// The server keeps the Push window it announced in Welcome (max_in_flight, two here): a
// raw client that stops reading and sends one Push more than the window while its
// earlier Pushes' answers cannot be written gets a non-fatal Reject "window_exceeded" for
// it; that Push is not applied, and the connection goes on: the same Push sent again
// within the window is acknowledged and stored. A client that reads each window's answers
// before sending more is never refused.
#include "backend/net/net_test_support.h"
#include "backend/net/sync_test_client.h"
#include "operation_builder.h"
#include "support/result_checks.h"
#include "sync_world.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sigess;
using namespace std::chrono_literals;
using net::testing::SyncTestClient;
using sync::testing::makeOperation;
using sync::testing::testUuid;

namespace {

// Linux doubles it; far below one heavy Ack.
constexpr int smallReceiveBuffer = 4096;
// A refused op's entry in an Ack (id, code, reason) takes about 100 bytes.
constexpr std::size_t ackBytesPerRefusedOp = 100;
constexpr int lightPushOps = 500;

// Each op of a heavy Push is refused on its own (it names no origin device), so its Ack
// carries a rejection with a reason per op: more bytes than the kernel buffers for one
// connection (at most tcp_wmem's maximum on the server's side, plus the client's small
// receive buffer), so while the client reads nothing the first Ack cannot be written
// whole, and every Push after it stays unanswered.
int opsPerHeavyPush()
{
    std::size_t sendBufferMax = 4 * 1024 * 1024;
    QFile wmem(QStringLiteral("/proc/sys/net/ipv4/tcp_wmem"));
    if (wmem.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> values = wmem.readAll().simplified().split(' ');
        if (values.size() == 3)
            sendBufferMax = std::max<std::size_t>(sendBufferMax, values[2].toULongLong());
    }
    return static_cast<int>((sendBufferMax + 2 * 1024 * 1024) / ackBytesPerRefusedOp);
}

syncserver::SyncOptions windowOfTwo()
{
    syncserver::SyncOptions options;
    options.maxInFlight = 2;
    options.maxBatch = static_cast<std::uint32_t>(opsPerHeavyPush());
    return options;
}

// Room for the heavy frames both ways, so only the window can refuse a Push.
net::ServerOptions roomyOptions()
{
    net::ServerOptions options = net::testing::fastOptions();
    options.limits.frameBytes = 16 * 1024 * 1024;
    options.limits.websocketQueueBytes = 256 * 1024 * 1024;
    options.timeouts.websocketIdle = 120s;
    return options;
}

v1::Envelope helloFrame(const test::DeviceCredentials &device)
{
    v1::Envelope frame;
    frame.set_sequence(1);
    *frame.mutable_hello() = device.hello();
    return frame;
}

v1::Envelope pushFrame(std::uint64_t sequence, const std::vector<v1::Operation> &ops)
{
    v1::Envelope frame;
    frame.set_sequence(sequence);
    frame.mutable_push()->set_batch_id(sequence);
    for (const v1::Operation &op : ops)
        *frame.mutable_push()->add_ops() = op;
    return frame;
}

// Ids in a range of their own (decimal digits are hex digits too), apart from testUuid's.
std::vector<v1::Operation> refusedOps(unsigned long long firstId, int count)
{
    std::vector<v1::Operation> ops(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        std::string digits = std::to_string(firstId + static_cast<unsigned long long>(i));
        digits.insert(0, 12 - std::min<std::size_t>(digits.size(), 12), '0');
        ops[static_cast<std::size_t>(i)].set_op_id("0190a8e0-0000-7000-9000-" + digits);
    }
    return ops;
}

} // namespace

class TestPushWindow : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void pushBeyondWindowIsRefusedAndNotApplied()
    {
        QVERIFY(m_dir.isValid());
        auto world = test::SyncWorld::open(m_dir.path().toStdString(), windowOfTwo());
        EXPECT_OK(world);
        auto tablet = (*world)->enrollTablet("coordinatrice", v1::ROLE_COORDINATOR, test::ourPresidio);
        EXPECT_OK(tablet);
        net::Handlers handlers;
        handlers.sync = (*world)->service().sessionFactory();
        net::testing::TestServer server(roomyOptions(), handlers);

        SyncTestClient client(server.port(), smallReceiveBuffer);
        client.send(helloFrame(*tablet));
        Result<v1::Envelope> welcome = client.receiveSkippingNotify();
        EXPECT_OK(welcome);
        QVERIFY(welcome->has_welcome());
        const std::uint32_t window = welcome->welcome().max_in_flight();
        QCOMPARE(window, std::uint32_t{2});
        const int heavyOps = opsPerHeavyPush();

        // A full window of heavy Pushes, then one more, without reading a byte.
        for (std::uint32_t i = 0; i < window; ++i)
            client.send(pushFrame(10 + i, refusedOps(1000 + 1000000ULL * i, heavyOps)));
        const std::string ticketId = testUuid(1);
        v1::Ticket ticket;
        ticket.mutable_meta()->set_presidio(test::ourPresidio);
        ticket.set_number("A-001");
        ticket.set_state(v1::TICKET_STATE_WAITING);
        const v1::Operation create = makeOperation(testUuid(2), tablet->id, (*world)->hlc().now(), v1::OP_KIND_CREATE,
                                                   ticketId, ticket, {2, 4});
        constexpr std::uint64_t beyondSequence = 50;
        client.send(pushFrame(beyondSequence, {create}));

        for (std::uint32_t i = 0; i < window; ++i) {
            Result<v1::Envelope> ack = client.receiveSkippingNotify();
            EXPECT_OK(ack);
            QVERIFY2(ack->has_ack(), ack->DebugString().substr(0, 400).c_str());
            QCOMPARE(ack->sequence(), 10 + i);
            QCOMPARE(ack->ack().rejected_size(), heavyOps);
        }
        Result<v1::Envelope> refused = client.receiveSkippingNotify();
        EXPECT_OK(refused);
        QVERIFY2(refused->has_reject(), refused->DebugString().substr(0, 400).c_str());
        QCOMPARE(refused->reject().code(), std::string("window_exceeded"));
        QVERIFY(!refused->reject().fatal());
        QCOMPARE(refused->reject().in_reply_to(), beyondSequence);
        QVERIFY(refused->reject().reason().find("max_in_flight") != std::string::npos);
        auto tickets = (*world)->entities(v1::ENTITY_TYPE_TICKET);
        EXPECT_OK(tickets);
        QVERIFY(!tickets->contains(ticketId));

        // Within the window again, on the same connection: applied.
        client.send(pushFrame(beyondSequence + 1, {create}));
        Result<v1::Envelope> ack = client.receiveSkippingNotify();
        EXPECT_OK(ack);
        QVERIFY2(ack->has_ack(), ack->DebugString().substr(0, 400).c_str());
        QCOMPARE(ack->ack().accepted_size(), 1);
        QCOMPARE(ack->ack().accepted(0), create.op_id());
        tickets = (*world)->entities(v1::ENTITY_TYPE_TICKET);
        EXPECT_OK(tickets);
        QVERIFY(tickets->contains(ticketId));
    }

    void clientKeepingTheWindowIsNeverRefused_data()
    {
        QTest::addColumn<bool>("serversOwn");
        QTest::addColumn<uint>("expectedWindow");
        QTest::newRow("window of two") << false << 2u;
        // The server's own window: two groups of full Pushes, so that one device alone
        // fills a group while its previous group is stored.
        const syncserver::SyncOptions defaults;
        QTest::newRow("default window") << true << static_cast<uint>(2 * defaults.groupOperations / defaults.maxBatch);
    }

    void clientKeepingTheWindowIsNeverRefused()
    {
        QFETCH(bool, serversOwn);
        QFETCH(uint, expectedWindow);
        QVERIFY(m_dir.isValid());
        const QString serverDir = m_dir.filePath(QStringLiteral("kept-") + QString::fromLatin1(QTest::currentDataTag()));
        QVERIFY(QDir().mkpath(serverDir));
        auto world = test::SyncWorld::open(serverDir.toStdString(), serversOwn ? syncserver::SyncOptions{} : windowOfTwo());
        EXPECT_OK(world);
        auto tablet = (*world)->enrollTablet("coordinatore", v1::ROLE_COORDINATOR, test::ourPresidio);
        EXPECT_OK(tablet);
        net::Handlers handlers;
        handlers.sync = (*world)->service().sessionFactory();
        net::testing::TestServer server(roomyOptions(), handlers);

        SyncTestClient client(server.port());
        client.send(helloFrame(*tablet));
        Result<v1::Envelope> welcome = client.receiveSkippingNotify();
        EXPECT_OK(welcome);
        const std::uint32_t window = welcome->welcome().max_in_flight();
        QCOMPARE(window, expectedWindow);
        // A full window at a time, each answer read before the window is used again.
        for (std::uint64_t round = 0; round < 5; ++round) {
            for (std::uint32_t i = 0; i < window; ++i)
                client.send(pushFrame(100 * round + i + 10, refusedOps(100000 * round + 1000ULL * i + 1, lightPushOps)));
            for (std::uint32_t i = 0; i < window; ++i) {
                Result<v1::Envelope> answer = client.receiveSkippingNotify();
                EXPECT_OK(answer);
                QVERIFY2(answer->has_ack(), answer->DebugString().substr(0, 400).c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestPushWindow)
#include "tst_push_window.moc"
