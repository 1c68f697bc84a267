// The sync client and driver against the real sync server over WebSockets on 127.0.0.1
// (both stores), against a server over TLS, and against a fake server that misbehaves.
#include "backend/sync/device_client.h"
#include "operation_builder.h"
#include "support/result_checks.h"
#include "sync/frame_codec.h"
#include "sync_client/sync_client.h"
#include "sync_client/sync_driver.h"
#include "sync_world.h"
#include "synced_device.h"
#include "test_device.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>

#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <mutex>
#include <utility>

using namespace sigess;
using namespace std::chrono_literals;
using sigess::sync::testing::clientOptions;
using sigess::sync::testing::EnrolledDevice;
using sigess::sync::testing::ourPresidio;
using sigess::sync::testing::otherPresidio;
using sigess::sync::testing::StoreThread;
using sigess::sync::testing::SyncedDevice;
using sigess::sync::testing::SyncWorld;
using sigess::sync::testing::TestDevice;
using sigess::sync::testing::ticketPatch;
using sigess::test::addStoreRows;
using sigess::test::currentStoreKind;
using sigess::test::StoreKind;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

namespace {

constexpr int waitMs = 10'000;

// Everything a client reports, kept for the test's thread to look at.
class EventLog {
    template <typename F>
    void record(F change)
    {
        const std::lock_guard lock(m_mutex);
        change();
    }
    template <typename F>
    auto locked(F read) const
    {
        const std::lock_guard lock(m_mutex);
        return read();
    }

public:
    sync::SyncEvents events()
    {
        sync::SyncEvents events;
        events.connected = [this](const v1::Welcome &welcome) { record([&] { m_welcomes.push_back(welcome); }); };
        events.disconnected = [this](const Error &error) { record([&] { m_disconnects.push_back(error); }); };
        events.notify = [this](const v1::Notify &) { record([&] { ++m_notifies; }); };
        events.wipe = [this](const v1::Wipe &wipe) { record([&] { m_wipes.push_back(wipe); }); };
        events.rejected = [this](const v1::Reject &reject) { record([&] { m_rejects.push_back(reject); }); };
        return events;
    }

    std::size_t welcomes() const { return locked([&] { return m_welcomes.size(); }); }
    v1::Welcome welcome(std::size_t i) const { return locked([&] { return m_welcomes.at(i); }); }
    std::size_t disconnects() const { return locked([&] { return m_disconnects.size(); }); }
    Error disconnect(std::size_t i) const { return locked([&] { return m_disconnects.at(i); }); }
    int notifies() const { return locked([&] { return m_notifies; }); }
    std::size_t wipes() const { return locked([&] { return m_wipes.size(); }); }
    std::size_t rejects() const { return locked([&] { return m_rejects.size(); }); }
    v1::Reject reject(std::size_t i) const { return locked([&] { return m_rejects.at(i); }); }

private:
    mutable std::mutex m_mutex;
    std::vector<v1::Welcome> m_welcomes;
    std::vector<Error> m_disconnects;
    int m_notifies = 0;
    std::vector<v1::Wipe> m_wipes;
    std::vector<v1::Reject> m_rejects;
};

// Asks through `ask` and waits (boundedly) for the one answer.
template <typename Answer, typename Ask>
Result<Answer> awaitAnswer(Ask ask)
{
    auto promise = std::make_shared<std::promise<Result<Answer>>>();
    std::future<Result<Answer>> future = promise->get_future();
    ask([promise](Result<Answer> answer) { promise->set_value(std::move(answer)); });
    if (future.wait_for(std::chrono::milliseconds(waitMs)) != std::future_status::ready)
        return makeError(ErrorCode::Unavailable, "no answer within the test's deadline");
    return future.get();
}

Result<v1::Ack> pushAndWait(sync::SyncClient &client, v1::Push push)
{
    return awaitAnswer<v1::Ack>([&](sync::SyncClient::AckHandler done) { client.push(std::move(push), std::move(done)); });
}

Result<v1::Changes> pullAndWait(sync::SyncClient &client, const std::string &cursor, std::uint32_t limit)
{
    v1::Pull pull;
    pull.set_cursor(cursor);
    pull.set_limit(limit);
    return awaitAnswer<v1::Changes>(
        [&](sync::SyncClient::ChangesHandler done) { client.pull(std::move(pull), std::move(done)); });
}

// A session around the service's that cuts the connection when the device sends its
// Nth Push: the batch is stored, but its Ack never leaves (the server drops frames
// queued after a close), as when the network fails between commit and answer.
class CuttingSession final : public net::SyncSession {
public:
    CuttingSession(std::unique_ptr<net::SyncSession> inner, net::SyncLink link, std::shared_ptr<std::atomic<int>> pushesLeft)
        : m_inner(std::move(inner)), m_link(std::move(link)), m_pushesLeft(std::move(pushesLeft))
    {
    }

    void onFrame(v1::Envelope frame) override
    {
        if (frame.has_push() && m_pushesLeft->fetch_sub(1) == 1)
            m_link.close(websocket::close_code::going_away, "cut by the test");
        m_inner->onFrame(std::move(frame));
    }

    void onClose() override { m_inner->onClose(); }

private:
    std::unique_ptr<net::SyncSession> m_inner;
    net::SyncLink m_link;
    std::shared_ptr<std::atomic<int>> m_pushesLeft;
};

// A WebSocket server on 127.0.0.1 run by a script, one connection after another, for
// what the real server never does.
// A one-way gate a fake server's script waits at until the test opens it.
class Gate {
public:
    void open()
    {
        if (!std::exchange(m_opened, true))
            m_promise.set_value();
    }
    void waitOpen() const { m_future.wait(); }

private:
    std::promise<void> m_promise;
    std::shared_future<void> m_future = m_promise.get_future().share();
    bool m_opened = false;
};

class FakeServer {
public:
    using Script = std::function<void(websocket::stream<asio::ip::tcp::socket> &ws, int connection)>;

    FakeServer(int connections, Script script)
        : m_acceptor(m_io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
        , m_thread([this, connections, script = std::move(script)] { serve(connections, script); })
    {
    }

    ~FakeServer()
    {
        // Wakes a blocked accept() or read so the thread ends even when a test failed.
        ::shutdown(m_acceptor.native_handle(), SHUT_RDWR);
        if (const int socket = m_current.load(); socket >= 0)
            ::shutdown(socket, SHUT_RDWR);
        m_thread.join();
    }

    std::string url() const { return "ws://127.0.0.1:" + std::to_string(m_acceptor.local_endpoint().port()) + "/v1/sync"; }

private:
    void serve(int connections, const Script &script)
    {
        for (int connection = 0; connection < connections; ++connection) {
            beast::error_code error;
            asio::ip::tcp::socket socket(m_io);
            m_acceptor.accept(socket, error);
            if (error)
                return;
            websocket::stream<asio::ip::tcp::socket> ws(std::move(socket));
            m_current = ws.next_layer().native_handle();
            ws.accept(error);
            if (!error)
                script(ws, connection);
            m_current = -1;
        }
    }

    asio::io_context m_io;
    asio::ip::tcp::acceptor m_acceptor;
    std::atomic<int> m_current{-1};
    std::thread m_thread;
};

v1::Envelope readFrame(websocket::stream<asio::ip::tcp::socket> &ws)
{
    beast::flat_buffer buffer;
    beast::error_code error;
    ws.read(buffer, error);
    if (error)
        return {};
    Result<v1::Envelope> frame = sync::decodeFrame(beast::buffers_to_string(buffer.data()));
    return frame.ok() ? *frame : v1::Envelope{};
}

void writeFrame(websocket::stream<asio::ip::tcp::socket> &ws, const v1::Envelope &frame)
{
    ws.binary(true);
    beast::error_code ignored;
    ws.write(asio::buffer(sync::encodeFrame(frame)), ignored);
}

// Reads until the client closes, so the script ends with the connection.
void drain(websocket::stream<asio::ip::tcp::socket> &ws)
{
    beast::flat_buffer buffer;
    beast::error_code error;
    while (!error) {
        buffer.clear();
        ws.read(buffer, error);
    }
}

// A Changes frame answering `pull`: new tickets numbered `numbers`, from a device of the
// server's, with the cursor `next`.
v1::Envelope changesFrame(const v1::Envelope &pull, const std::vector<std::string> &numbers, unsigned long long firstId,
                          const std::string &next, bool more)
{
    v1::Envelope frame;
    frame.set_sequence(pull.sequence());
    v1::Changes *changes = frame.mutable_changes();
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        const unsigned long long id = firstId + i;
        *changes->add_ops() = sync::testing::makeOperation(
            sync::testing::testUuid(id), sync::testing::testUuid(999), core::HlcStamp{SyncWorld::startMs + id, 0},
            v1::OP_KIND_CREATE, sync::testing::testUuid(100 + id), ticketPatch(ourPresidio, numbers[i]),
            {v1::Ticket::kNumberFieldNumber, v1::Ticket::kStateFieldNumber});
    }
    changes->set_next_cursor(next);
    changes->set_more(more);
    return frame;
}

v1::Envelope welcomeFrame(std::uint64_t sequence, std::uint32_t maxInFlight)
{
    v1::Envelope frame;
    frame.set_sequence(sequence);
    frame.mutable_welcome()->set_max_batch(10);
    frame.mutable_welcome()->set_max_in_flight(maxInFlight);
    return frame;
}

QString makeDemoTls(QTemporaryDir &dir)
{
    QProcess script;
    script.start(SIGESS_SOURCE_DIR "/deploy/make-demo-tls", {dir.path()});
    if (!script.waitForFinished(60000) || script.exitCode() != 0)
        return {};
    return dir.path();
}

} // namespace

class TestSyncClient : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    std::unique_ptr<SyncWorld> m_world;
    QTemporaryDir m_dir;

    bool openWorld(net::ServerOptions serverOptions = net::testing::fastOptions())
    {
        syncserver::SyncOptions syncOptions;
        syncOptions.maxBatch = 3;
        syncOptions.maxInFlight = 2;
        syncOptions.maxPull = 4;
        std::string error;
        const StoreKind kind = currentStoreKind();
        m_world = SyncWorld::open(kind, m_postgres, syncOptions, std::move(serverOptions), error);
        if (!m_world)
            qWarning("cannot open the sync world: %s", error.c_str());
        return m_world != nullptr;
    }

private Q_SLOTS:
    void cleanup() { m_world.reset(); }

    void parsesEndpoints_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("target");
        QTest::newRow("wss") << "wss://sigess.example.it/v1/sync" << true << true << "sigess.example.it" << 443 << "/v1/sync";
        QTest::newRow("wss port") << "wss://10.0.0.5:8443/v1/sync" << true << true << "10.0.0.5" << 8443 << "/v1/sync";
        QTest::newRow("ws loopback") << "ws://127.0.0.1:9000/v1/sync" << true << false << "127.0.0.1" << 9000 << "/v1/sync";
        QTest::newRow("ws localhost") << "ws://localhost/x" << true << false << "localhost" << 80 << "/x";
        QTest::newRow("ws ipv6 loopback") << "ws://[::1]:9000" << true << false << "::1" << 9000 << "/";
        QTest::newRow("ws elsewhere") << "ws://10.0.0.5:9000/v1/sync" << false << false << "" << 0 << "";
        QTest::newRow("http") << "https://sigess.example.it/v1/sync" << false << false << "" << 0 << "";
        QTest::newRow("no host") << "wss://:443/v1/sync" << false << false << "" << 0 << "";
        QTest::newRow("bad port") << "wss://host:99999/" << false << false << "" << 0 << "";
        QTest::newRow("empty port") << "wss://host:/" << false << false << "" << 0 << "";
        QTest::newRow("user info") << "wss://me@host/" << false << false << "" << 0 << "";
        QTest::newRow("unclosed") << "wss://[::1/" << false << false << "" << 0 << "";
    }
    void parsesEndpoints()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        const Result<sync::Endpoint> endpoint = sync::parseEndpoint(url.toStdString());
        QCOMPARE(endpoint.ok(), valid);
        if (!valid) {
            QVERIFY(QString::fromStdString(endpoint.error().message).contains(url));
            return;
        }
        QFETCH(bool, tls);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, target);
        QCOMPARE(endpoint->tls, tls);
        QCOMPARE(QString::fromStdString(endpoint->host), host);
        QCOMPARE(int(endpoint->port), port);
        QCOMPARE(QString::fromStdString(endpoint->target), target);
    }

    void backoffGrowsWithJitter_data()
    {
        QTest::addColumn<unsigned>("attempt");
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("expectedMs");
        QTest::newRow("first, no jitter") << 0u << 0.0 << 500;
        QTest::newRow("first, most jitter") << 0u << 0.999 << 250;
        QTest::newRow("third") << 2u << 0.0 << 2000;
        QTest::newRow("third, half jitter") << 2u << 0.5 << 1500;
        QTest::newRow("capped") << 20u << 0.0 << 30000;
        QTest::newRow("capped, jitter") << 40u << 0.5 << 22500;
    }
    void backoffGrowsWithJitter()
    {
        QFETCH(unsigned, attempt);
        QFETCH(double, random);
        QFETCH(int, expectedMs);
        QCOMPARE(int(sync::backoffDelay(sync::BackoffOptions{}, attempt, random).count()), expectedMs);
    }

    void badOptionsAreRefused()
    {
        sync::SyncClientOptions options;
        options.url = "ws://10.1.2.3/v1/sync";
        sync::SyncClient plaintext(options);
        const Status refused = plaintext.start();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Invalid);
        options.url = "wss://127.0.0.1:1/v1/sync";
        options.caFile = "/nonexistent/ca.crt";
        sync::SyncClient missingCa(options);
        const Status noCa = missingCa.start();
        QVERIFY(!noCa.ok());
        QVERIFY(QString::fromStdString(noCa.error().message).contains("/nonexistent/ca.crt"));
        // Asked while stopped, a request is still answered, once.
        QCOMPARE(pushAndWait(missingCa, v1::Push{}).error().code, ErrorCode::Unavailable);
    }

    void helloWithGoodAndBadCredentials_data() { addStoreRows(); }
    void helloWithGoodAndBadCredentials()
    {
        QVERIFY(openWorld());
        const EnrolledDevice kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        EventLog goodLog;
        sync::SyncClient good(clientOptions(m_world->url(), kiosk), goodLog.events());
        EXPECT_OK(good.start());
        QTRY_COMPARE_WITH_TIMEOUT(goodLog.welcomes(), std::size_t(1), waitMs);
        QVERIFY(good.connected());
        QCOMPARE(goodLog.welcome(0).scope().role(), v1::ROLE_KIOSK);
        QCOMPARE(goodLog.welcome(0).scope().presidio(), std::string(ourPresidio));
        QCOMPARE(goodLog.welcome(0).max_in_flight(), 2u);

        EnrolledDevice wrong = kiosk;
        wrong.credential = "not a credential";
        EventLog badLog;
        sync::SyncClient bad(clientOptions(m_world->url(), wrong), badLog.events());
        EXPECT_OK(bad.start());
        QTRY_COMPARE_WITH_TIMEOUT(badLog.rejects(), std::size_t(1), waitMs);
        QCOMPARE(badLog.reject(0).code(), std::string("unauthorized"));
        QVERIFY(badLog.reject(0).fatal());
        QTRY_COMPARE_WITH_TIMEOUT(badLog.disconnects(), std::size_t(1), waitMs);
        QCOMPARE(badLog.disconnect(0).code, ErrorCode::Unauthorized);
        QVERIFY(!bad.connected());
        QCOMPARE(pushAndWait(bad, v1::Push{}).error().code, ErrorCode::Unavailable);
        // Halted: a refused credential is not retried, so nothing more happens until resume().
        bad.resume();
        QTRY_COMPARE_WITH_TIMEOUT(badLog.rejects(), std::size_t(2), waitMs);
        QCOMPARE(badLog.welcomes(), std::size_t(0));
    }

    void revokedDeviceGetsWipe_data() { addStoreRows(); }
    void revokedDeviceGetsWipe()
    {
        QVERIFY(openWorld());
        const EnrolledDevice kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        EXPECT_OK(m_world->identity().revokeDevice(kiosk.id));
        EventLog log;
        sync::SyncClient client(clientOptions(m_world->url(), kiosk), log.events());
        EXPECT_OK(client.start());
        QTRY_COMPARE_WITH_TIMEOUT(log.wipes(), std::size_t(1), waitMs);
        QCOMPARE(log.welcomes(), std::size_t(0));
        QTRY_VERIFY_WITH_TIMEOUT(log.disconnects() == 1, waitMs);
        QVERIFY(QString::fromStdString(log.disconnect(0).message).contains("revoked"));
    }

    void pushAckAndPullWithMore_data() { addStoreRows(); }
    void pushAckAndPullWithMore()
    {
        QVERIFY(openWorld());
        const EnrolledDevice kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        EventLog log;
        sync::SyncClient client(clientOptions(m_world->url(), kiosk), log.events());
        EXPECT_OK(client.start());
        QTRY_COMPARE_WITH_TIMEOUT(log.welcomes(), std::size_t(1), waitMs);

        core::ManualClock clock(SyncWorld::startMs);
        core::HybridLogicalClock hlc(clock);
        // Four batches at once, beyond the window of two: the client holds the rest back
        // and every one is still answered.
        std::vector<std::shared_ptr<std::promise<Result<v1::Ack>>>> answers;
        std::vector<std::string> pushed;
        for (unsigned long long batch = 0; batch < 4; ++batch) {
            v1::Push push;
            push.set_batch_id(batch + 1);
            for (unsigned long long i = 0; i < 2; ++i) {
                const std::string id = sync::testing::testUuid(100 + batch * 2 + i);
                *push.add_ops() = sync::testing::makeOperation(sync::testing::testUuid(batch * 2 + i + 1), kiosk.id,
                                                               hlc.now(), v1::OP_KIND_CREATE, id,
                                                               ticketPatch(ourPresidio, "A-" + std::to_string(batch * 2 + i)),
                                                               {2, 4});
                pushed.push_back(push.ops(push.ops_size() - 1).op_id());
            }
            answers.push_back(std::make_shared<std::promise<Result<v1::Ack>>>());
            client.push(push, [answer = answers.back()](Result<v1::Ack> ack) { answer->set_value(std::move(ack)); });
        }
        for (std::size_t i = 0; i < answers.size(); ++i) {
            auto future = answers[i]->get_future();
            QVERIFY(future.wait_for(std::chrono::milliseconds(waitMs)) == std::future_status::ready);
            Result<v1::Ack> ack = future.get();
            EXPECT_OK(ack);
            QCOMPARE(ack->batch_id(), std::uint64_t(i + 1));
            QCOMPARE(ack->accepted_size(), 2);
        }
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(8));

        // The server scans at most four log entries per Pull, so eight take two frames
        // with `more`, and a third that says there is nothing more.
        std::vector<std::string> pulled;
        std::string cursor;
        int frames = 0;
        for (bool more = true; more; ++frames) {
            Result<v1::Changes> changes = pullAndWait(client, cursor, 0);
            EXPECT_OK(changes);
            for (const auto &op : changes->ops())
                pulled.push_back(op.op_id());
            cursor = changes->next_cursor();
            more = changes->more();
            QVERIFY(frames < 10);
        }
        QCOMPARE(pulled, pushed);
        QCOMPARE(frames, 3);

        Result<v1::Changes> refused = pullAndWait(client, "not a cursor", 0);
        QVERIFY(!refused.ok());
        QVERIFY(QString::fromStdString(refused.error().message).contains("invalid_cursor"));
        QVERIFY(client.connected());  // a refused request leaves the connection up
    }

    void notifyTriggersPullElsewhere_data() { addStoreRows(); }
    void notifyTriggersPullElsewhere()
    {
        QVERIFY(openWorld());
        const EnrolledDevice writer = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const EnrolledDevice reader = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        SyncedDevice writing(m_dir.path(), writer, m_world->url());
        SyncedDevice reading(m_dir.path(), reader, m_world->url());
        EXPECT_OK(writing.start());
        EXPECT_OK(reading.start());
        QTRY_VERIFY_WITH_TIMEOUT(writing.status().online && reading.status().online, waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(reading.status().lastSyncMs.has_value(), waitMs);

        EXPECT_OK(writing.issueTicket(ourPresidio, "A-001"));
        // The reader never asks: the server's Notify makes its driver pull.
        QTRY_COMPARE_WITH_TIMEOUT(reading.tickets().count("A-001"), std::size_t(1), waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(writing.outbox(), std::size_t(0), waitMs);
    }

    void reconnectsAndResendsAfterACut_data() { addStoreRows(); }
    void reconnectsAndResendsAfterACut()
    {
        QVERIFY(openWorld());
        auto pushesLeft = std::make_shared<std::atomic<int>>(2);
        m_world->wrapSessions([pushesLeft](const net::SyncSessionFactory &inner, net::SyncLink link,
                                           const net::PeerInfo &peer) -> std::unique_ptr<net::SyncSession> {
            return std::make_unique<CuttingSession>(inner(link, peer), link, pushesLeft);
        });
        const EnrolledDevice kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        SyncedDevice device(m_dir.path(), kiosk, m_world->url());
        // Ten tickets made offline: four batches of at most three.
        for (int i = 0; i < 10; ++i)
            EXPECT_OK(device.issueTicket(ourPresidio, "A-" + std::to_string(100 + i)));
        QCOMPARE(device.outbox(), std::size_t(10));
        EXPECT_OK(device.start());
        QTRY_COMPARE_WITH_TIMEOUT(device.outbox(), std::size_t(0), waitMs);
        QTRY_VERIFY_WITH_TIMEOUT(device.status().lastSyncMs.has_value(), waitMs);
        QVERIFY(device.status().online);
        QVERIFY(pushesLeft->load() < 0);  // the connection was cut, and the device came back
        // Nothing lost, nothing twice.
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(10));
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_entities"), std::int64_t(10));
        QCOMPARE(device.tickets().size(), std::size_t(10));
    }

    void replicasConvergeThroughTheServer_data() { addStoreRows(); }
    void replicasConvergeThroughTheServer()
    {
        QVERIFY(openWorld());
        const EnrolledDevice first = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const EnrolledDevice second = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const EnrolledDevice stranger = m_world->enroll(v1::DEVICE_KIND_KIOSK, otherPresidio);
        const EnrolledDevice desk = m_world->tablet("cbianchi", v1::ROLE_COORDINATOR, ourPresidio);
        SyncedDevice a(m_dir.path(), first, m_world->url());
        SyncedDevice b(m_dir.path(), second, m_world->url());
        SyncedDevice c(m_dir.path(), stranger, m_world->url());
        SyncedDevice coordinator(m_dir.path(), desk, m_world->url());
        // Both kiosks issue tickets offline, then come online.
        for (int i = 0; i < 4; ++i) {
            EXPECT_OK(a.issueTicket(ourPresidio, "A1-" + std::to_string(i)));
            EXPECT_OK(b.issueTicket(ourPresidio, "A2-" + std::to_string(i)));
        }
        EXPECT_OK(c.issueTicket(otherPresidio, "B1-0"));
        Result<v1::Operation> called = a.issueTicket(ourPresidio, "A1-4");
        EXPECT_OK(called);
        EXPECT_OK(a.start());
        EXPECT_OK(b.start());
        EXPECT_OK(c.start());
        EXPECT_OK(coordinator.start());
        QTRY_COMPARE_WITH_TIMEOUT(coordinator.tickets().size(), std::size_t(9), waitMs);
        // The desk calls one; the kiosks hear of it.
        EXPECT_OK(coordinator.changeTicket(called->entity_id(), v1::TICKET_STATE_CALLED));
        QTRY_COMPARE_WITH_TIMEOUT(a.tickets()["A1-4"], v1::TICKET_STATE_CALLED, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(b.tickets()["A1-4"], v1::TICKET_STATE_CALLED, waitMs);
        QTRY_COMPARE_WITH_TIMEOUT(coordinator.outbox(), std::size_t(0), waitMs);
        const auto shown = a.tickets();
        QVERIFY(b.tickets() == shown);
        QVERIFY(coordinator.tickets() == shown);
        QCOMPARE(shown.size(), std::size_t(9));
        // The other presidio's kiosk holds its own ticket only.
        QTRY_COMPARE_WITH_TIMEOUT(c.outbox(), std::size_t(0), waitMs);
        QCOMPARE(c.tickets().size(), std::size_t(1));
    }

    void wrongCaFailsClearly()
    {
        QTemporaryDir serverTls;
        QTemporaryDir otherTls;
        QVERIFY(!makeDemoTls(serverTls).isEmpty());
        QVERIFY(!makeDemoTls(otherTls).isEmpty());
        auto options = net::testing::fastOptions();
        options.transport = net::Transport::Tls;
        options.certificateFile = serverTls.filePath("server.crt").toStdString();
        options.privateKeyFile = serverTls.filePath("server.key").toStdString();
        QVERIFY(openWorld(options));
        const EnrolledDevice kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const std::string url = "wss://127.0.0.1:" + std::to_string(m_world->port()) + "/v1/sync";

        auto untrustingOptions = clientOptions(url, kiosk);
        untrustingOptions.caFile = otherTls.filePath("ca.crt").toStdString();
        EventLog untrustingLog;
        sync::SyncClient untrusting(untrustingOptions, untrustingLog.events());
        EXPECT_OK(untrusting.start());
        QTRY_VERIFY_WITH_TIMEOUT(untrustingLog.disconnects() >= 1, waitMs);
        const Error refused = untrustingLog.disconnect(0);
        QCOMPARE(refused.code, ErrorCode::Unavailable);
        QVERIFY2(QString::fromStdString(refused.message).contains("certificate verify failed"), refused.message.c_str());
        QVERIFY2(QString::fromStdString(refused.message).contains("CA file"), refused.message.c_str());
        QCOMPARE(untrustingLog.welcomes(), std::size_t(0));

        auto trustingOptions = clientOptions(url, kiosk);
        trustingOptions.caFile = serverTls.filePath("ca.crt").toStdString();
        EventLog trustingLog;
        sync::SyncClient trusting(trustingOptions, trustingLog.events());
        EXPECT_OK(trusting.start());
        QTRY_COMPARE_WITH_TIMEOUT(trustingLog.welcomes(), std::size_t(1), waitMs);
        Result<v1::Changes> changes = pullAndWait(trusting, "", 0);
        EXPECT_OK(changes);
    }

    void garbageFromTheServerIsReported()
    {
        FakeServer fake(2, [](websocket::stream<asio::ip::tcp::socket> &ws, int connection) {
            const v1::Envelope hello = readFrame(ws);
            if (connection == 0) {
                ws.binary(true);
                beast::error_code ignored;
                ws.write(asio::buffer(std::string("\xff\xff\xff\xff not an envelope")), ignored);
            } else {
                writeFrame(ws, welcomeFrame(hello.sequence(), 1));
            }
            drain(ws);
        });
        EventLog log;
        sync::SyncClient client(clientOptions(fake.url(), EnrolledDevice{"device", "credential", {}}), log.events());
        EXPECT_OK(client.start());
        QTRY_VERIFY_WITH_TIMEOUT(log.disconnects() >= 1, waitMs);
        const Error garbage = log.disconnect(0);
        QCOMPARE(garbage.code, ErrorCode::Invalid);
        QVERIFY2(QString::fromStdString(garbage.message).contains("does not decode"), garbage.message.c_str());
        // The client carries on: it connects again and is welcomed.
        QTRY_COMPARE_WITH_TIMEOUT(log.welcomes(), std::size_t(1), waitMs);
        client.stop();
    }

    // A driver asks for the next frame as soon as one with more arrives, while it still
    // applies the one before: two frames ahead of the one applied, never three (the
    // device holds at most three frames). A connection lost with a frame asked for
    // unanswered resumes after the frames applied, and every frame is applied once, in
    // order.
    void pipelinedPullsApplyEachFrameOnceAndResume()
    {
        std::promise<void> askedTwoAhead;
        std::shared_future<void> askedTwoAheadSeen = askedTwoAhead.get_future().share();
        std::promise<void> askedThreeAhead;
        std::shared_future<void> askedThreeAheadSeen = askedThreeAhead.get_future().share();
        std::atomic<bool> firstFrameApplied = false;
        std::atomic<bool> fourthAskedAfterFirstApplied = false;
        std::mutex seenMutex;
        std::vector<std::string> pulledFrom;  // each Pull's cursor, as the server read them
        std::vector<std::string> helloCursors;
        const auto seen = [&](std::vector<std::string> &list, const std::string &value) {
            const std::lock_guard lock(seenMutex);
            list.push_back(value);
        };
        FakeServer fake(2, [&](websocket::stream<asio::ip::tcp::socket> &ws, int connection) {
            const v1::Envelope hello = readFrame(ws);
            seen(helloCursors, hello.hello().cursor());
            writeFrame(ws, welcomeFrame(hello.sequence(), 1));
            const v1::Envelope first = readFrame(ws);
            seen(pulledFrom, first.pull().cursor());
            if (connection == 0) {
                writeFrame(ws, changesFrame(first, {"F1-0", "F1-1"}, 1, "1", true));
                const v1::Envelope second = readFrame(ws);
                seen(pulledFrom, second.pull().cursor());
                writeFrame(ws, changesFrame(second, {"F2-0"}, 3, "2", true));
                const v1::Envelope third = readFrame(ws);
                seen(pulledFrom, third.pull().cursor());
                askedTwoAhead.set_value();
                writeFrame(ws, changesFrame(third, {"F3-0"}, 4, "3", true));
                const v1::Envelope fourth = readFrame(ws);
                fourthAskedAfterFirstApplied = firstFrameApplied.load();
                seen(pulledFrom, fourth.pull().cursor());
                askedThreeAhead.set_value();
                // The fourth frame is never answered: the connection fails first.
                ws.next_layer().close();
                return;
            }
            writeFrame(ws, changesFrame(first, {"F4-0"}, 5, "4", false));
            drain(ws);
        });
        std::vector<std::string> applied;  // each applied frame's next cursor, on the store thread
        std::atomic<bool> appliedWhileAskedTwoAhead = false;
        sync::SyncDriverHandlers handlers;
        handlers.applied = [&](const v1::Changes &changes) {
            // Frame 1's handler runs before the driver returns to its thread's queue: the
            // Pulls for frames 2 and 3 have left already if (and only if) they were sent
            // as frames 1 and 2 arrived. The Pull for frame 4 must wait for this frame:
            // a while is left for it to come too early.
            if (changes.next_cursor() == "1") {
                appliedWhileAskedTwoAhead = askedTwoAheadSeen.wait_for(std::chrono::milliseconds(waitMs))
                    == std::future_status::ready;
                static_cast<void>(askedThreeAheadSeen.wait_for(std::chrono::milliseconds(300)));
                firstFrameApplied = true;
            }
            seen(applied, changes.next_cursor());
        };
        SyncedDevice device(m_dir.path(), EnrolledDevice{sync::testing::testUuid(500), "credential", {}}, fake.url(),
                            std::move(handlers));
        EXPECT_OK(device.start());
        QTRY_COMPARE_WITH_TIMEOUT(device.cursor(), std::string("4"), waitMs);
        QVERIFY(appliedWhileAskedTwoAhead.load());
        QVERIFY(fourthAskedAfterFirstApplied.load());
        const std::lock_guard lock(seenMutex);
        QCOMPARE(applied, (std::vector<std::string>{"1", "2", "3", "4"}));
        // The frames that arrived before the connection failed are applied; the pull on
        // the next connection starts after them.
        QCOMPARE(pulledFrom, (std::vector<std::string>{"", "1", "2", "3", "3"}));
        QCOMPARE(helloCursors.size(), std::size_t(2));
        QCOMPARE(helloCursors.front(), std::string());
        const std::map<std::string, v1::TicketState> tickets = device.tickets();
        QCOMPARE(tickets.size(), std::size_t(5));
        for (const char *number : {"F1-0", "F1-1", "F2-0", "F3-0", "F4-0"})
            QVERIFY2(tickets.count(number) == 1, number);
    }

    // A frame that fails to apply (a second append of one note) ends its pull: the frame
    // asked for ahead of it arrives and is dropped, the cursor stays after the last frame
    // applied, and the next round pulls from there.
    void framesAfterOneThatFailsAreDropped()
    {
        std::promise<void> failureSeen;
        std::future<void> failureReported = failureSeen.get_future();
        std::mutex seenMutex;
        std::vector<std::string> pulledFrom;
        const auto seen = [&](const std::string &cursor) {
            const std::lock_guard lock(seenMutex);
            pulledFrom.push_back(cursor);
        };
        const auto noteFrame = [](const v1::Envelope &pull, unsigned long long opNumber, const std::string &next) {
            v1::Note note;
            note.set_text("visita domiciliare");
            v1::Envelope frame;
            frame.set_sequence(pull.sequence());
            v1::Changes *changes = frame.mutable_changes();
            *changes->add_ops() = sync::testing::makeOperation(sync::testing::testUuid(opNumber),
                sync::testing::testUuid(999), core::HlcStamp{SyncWorld::startMs + opNumber, 0}, v1::OP_KIND_APPEND,
                sync::testing::testUuid(0x400), note, {v1::Note::kTextFieldNumber});
            changes->set_next_cursor(next);
            changes->set_more(true);
            return frame;
        };
        FakeServer fake(1, [&](websocket::stream<asio::ip::tcp::socket> &ws, int) {
            writeFrame(ws, welcomeFrame(readFrame(ws).sequence(), 1));
            const v1::Envelope first = readFrame(ws);
            seen(first.pull().cursor());
            writeFrame(ws, noteFrame(first, 1, "1"));
            const v1::Envelope second = readFrame(ws);
            seen(second.pull().cursor());
            writeFrame(ws, noteFrame(second, 2, "2"));
            const v1::Envelope third = readFrame(ws);
            seen(third.pull().cursor());
            writeFrame(ws, changesFrame(third, {"F3-0"}, 3, "3", false));
            if (failureReported.wait_for(std::chrono::milliseconds(waitMs)) != std::future_status::ready)
                return;
            v1::Envelope notify;
            notify.mutable_notify()->set_latest_cursor("3");
            writeFrame(ws, notify);
            const v1::Envelope again = readFrame(ws);
            seen(again.pull().cursor());
            writeFrame(ws, changesFrame(again, {"F2-again"}, 4, "2b", false));
            drain(ws);
        });
        SyncedDevice device(m_dir.path(), EnrolledDevice{sync::testing::testUuid(502), "credential", {}}, fake.url());
        EXPECT_OK(device.start());
        QTRY_VERIFY_WITH_TIMEOUT(device.status().lastError.has_value(), waitMs);
        QCOMPARE(device.status().lastError->code, ErrorCode::Conflict);
        QCOMPARE(device.cursor(), std::string("1"));
        failureSeen.set_value();
        QTRY_COMPARE_WITH_TIMEOUT(device.cursor(), std::string("2b"), waitMs);
        // Frame 3 arrived before the Notify and was dropped: its ticket is nowhere.
        const std::map<std::string, v1::TicketState> tickets = device.tickets();
        QCOMPARE(tickets.size(), std::size_t(1));
        QCOMPARE(tickets.count("F2-again"), std::size_t(1));
        const std::lock_guard lock(seenMutex);
        QCOMPARE(pulledFrom, (std::vector<std::string>{"", "1", "2", "1"}));
    }

    // A device with an empty outbox is not "synced" the moment it connects: only once a
    // pull of the round has found nothing more to fetch.
    void lastSyncWaitsForAPullWithNothingMore()
    {
        std::promise<void> pullSeen;
        std::future<void> pullArrived = pullSeen.get_future();
        Gate first;
        Gate last;
        FakeServer fake(1, [&](websocket::stream<asio::ip::tcp::socket> &ws, int) {
            writeFrame(ws, welcomeFrame(readFrame(ws).sequence(), 1));
            const v1::Envelope pull = readFrame(ws);
            pullSeen.set_value();
            first.waitOpen();
            writeFrame(ws, changesFrame(pull, {"L-1"}, 1, "1", true));
            const v1::Envelope ahead = readFrame(ws);
            last.waitOpen();
            writeFrame(ws, changesFrame(ahead, {"L-2"}, 2, "2", false));
            drain(ws);
        });
        // A failed check returns early: the script must not wait for ever.
        const auto openGates = qScopeGuard([&] {
            first.open();
            last.open();
        });
        SyncedDevice device(m_dir.path(), EnrolledDevice{sync::testing::testUuid(501), "credential", {}}, fake.url());
        // The store's main file, untouched by the frames' commits: the driver copies the
        // WAL into it once the pull of two frames has ended.
        const std::string mainFile = m_dir.path().toStdString() + "/" + sync::testing::testUuid(501) + ".db";
        const std::uintmax_t mainBytes = std::filesystem::file_size(mainFile);
        EXPECT_OK(device.start());
        QCOMPARE(pullArrived.wait_for(std::chrono::milliseconds(waitMs)), std::future_status::ready);
        // The driver publishes its status after it has sent the Pull, so the server may see
        // the Pull first.
        QTRY_VERIFY_WITH_TIMEOUT(device.status().online, waitMs);
        QVERIFY(!device.status().lastSyncMs.has_value());  // the outbox is empty, but the pull is unanswered

        first.open();
        QTRY_COMPARE_WITH_TIMEOUT(device.cursor(), std::string("1"), waitMs);
        QVERIFY(!device.status().lastSyncMs.has_value());  // a frame with more is not the end
        QCOMPARE(std::filesystem::file_size(mainFile), mainBytes);

        last.open();
        QTRY_VERIFY_WITH_TIMEOUT(device.status().lastSyncMs.has_value(), waitMs);
        QCOMPARE(device.cursor(), std::string("2"));
        QVERIFY(!device.status().lastError.has_value());
        QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::file_size(mainFile) > mainBytes, waitMs);
    }

    void pendingRequestsFailOnceWhenTheServerGoes()
    {
        std::atomic<int> pushesSeen = 0;
        FakeServer fake(1, [&pushesSeen](websocket::stream<asio::ip::tcp::socket> &ws, int) {
            writeFrame(ws, welcomeFrame(readFrame(ws).sequence(), 1));
            // The window is one Push: the second waits in the client until an Ack that
            // never comes; the server goes away instead.
            if (readFrame(ws).has_push())
                ++pushesSeen;
            ws.next_layer().close();
        });
        std::atomic<int> answered = 0;
        std::atomic<int> unavailable = 0;
        EventLog log;
        sync::SyncClient client(clientOptions(fake.url(), EnrolledDevice{"device", "credential", {}}), log.events());
        EXPECT_OK(client.start());
        QTRY_COMPARE_WITH_TIMEOUT(log.welcomes(), std::size_t(1), waitMs);
        for (int i = 0; i < 2; ++i) {
            client.push(v1::Push{}, [&](Result<v1::Ack> ack) {
                ++answered;
                if (!ack.ok() && ack.error().code == ErrorCode::Unavailable)
                    ++unavailable;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(answered.load(), 2, waitMs);
        QCOMPARE(unavailable.load(), 2);
        QCOMPARE(pushesSeen.load(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(log.disconnects() >= 1, waitMs);
        client.stop();
        QCOMPARE(answered.load(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSyncClient)
#include "tst_sync_client.moc"
