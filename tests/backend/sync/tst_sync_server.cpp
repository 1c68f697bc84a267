// The server side of sync over real WebSocket connections on loopback, against both stores.
#include "operation_builder.h"
#include "shared/sync_client/sync_world.h"
#include "support/result_checks.h"
#include "audit/chain.h"
#include "storage/audit_repository.h"
#include "storage/operator_repository.h"
#include "storage/postgres_database.h"
#include "sync/entity_registry.h"
#include "sync/frame_codec.h"
#include "sync/postgres_change_feed.h"
#include "sync/sync_service.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <QTest>

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace sigess;
using namespace std::chrono_literals;
using sigess::sync::testing::makeOperation;
using sigess::sync::testing::SyncWorld;
using sigess::sync::testing::testUuid;
using sigess::test::otherPresidio;
using sigess::test::ourPresidio;
using sigess::test::addStoreRows;
using sigess::test::currentStoreKind;
using sigess::test::StoreKind;
using Device = sigess::test::DeviceCredentials;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

namespace {

constexpr std::uint64_t startMs = SyncWorld::startMs;

// A blocking WebSocket client with a deadline on every wait.
class Client {
public:
    explicit Client(std::uint16_t port) : m_ws(m_io)
    {
        beast::get_lowest_layer(m_ws).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        beast::get_lowest_layer(m_ws).expires_after(10s);
        m_ws.handshake("127.0.0.1", "/v1/sync");
        m_ws.binary(true);
    }

    void sendBytes(const std::string &bytes) { m_ws.write(asio::buffer(bytes)); }
    void send(const v1::Envelope &frame) { sendBytes(sync::encodeFrame(frame)); }

    Result<v1::Envelope> receive()
    {
        beast::get_lowest_layer(m_ws).expires_after(10s);
        beast::flat_buffer buffer;
        beast::error_code error;
        m_ws.read(buffer, error);
        if (error)
            return makeError(ErrorCode::Unavailable, error.message());
        return sync::decodeFrame(beast::buffers_to_string(buffer.data()));
    }

    v1::Envelope exchange(const v1::Envelope &frame)
    {
        send(frame);
        Result<v1::Envelope> reply = receive();
        return reply.ok() ? *reply : v1::Envelope{};
    }

    // The answer to `frame`, keeping every Notify that arrives before it.
    v1::Envelope exchangeKeepingNotifies(const v1::Envelope &frame, std::vector<v1::Envelope> &notifies)
    {
        send(frame);
        while (true) {
            Result<v1::Envelope> reply = receive();
            if (!reply.ok())
                return {};
            if (!reply->has_notify())
                return *reply;
            notifies.push_back(*reply);
        }
    }

    websocket::close_reason closeReason() const { return m_ws.reason(); }

private:
    asio::io_context m_io;
    websocket::stream<beast::tcp_stream> m_ws;
};

v1::Envelope helloOf(const Device &device)
{
    v1::Envelope frame;
    frame.set_sequence(1);
    *frame.mutable_hello() = device.hello();
    frame.mutable_hello()->set_catalog_release(7);  // the test server's release: no CatalogUpdate
    return frame;
}

v1::Envelope pushOf(std::uint64_t batch, const std::vector<v1::Operation> &ops)
{
    v1::Envelope frame;
    frame.set_sequence(batch + 100);
    frame.mutable_push()->set_batch_id(batch);
    for (const auto &op : ops)
        *frame.mutable_push()->add_ops() = op;
    return frame;
}

v1::Envelope pullOf(const std::string &cursor, std::uint32_t limit)
{
    v1::Envelope frame;
    frame.set_sequence(7);
    frame.mutable_pull()->set_cursor(cursor);
    frame.mutable_pull()->set_limit(limit);
    return frame;
}

// The one row of a test of transactions side by side, which the embedded store (one
// writer at a time) never runs.
void addPostgresRow()
{
    QTest::addColumn<int>("unused");
    QTest::newRow("postgres") << 0;
}

// A transaction of the test's own on a PostgreSQL store, open on a thread of its own
// from construction to release(): `hold` runs in it first (taking the locks the test
// wants other transactions to wait for), and it then rolls back.
class HeldTransaction {
public:
    HeldTransaction(storage::SqlDatabase &database, std::function<Status(storage::SqlExecutor &)> hold)
    {
        std::promise<std::int64_t> backend;
        std::future<std::int64_t> opened = backend.get_future();
        m_thread = std::thread([&database, hold = std::move(hold), &backend, released = m_released.get_future()] {
            static_cast<void>(database.transaction([&](storage::SqlExecutor &sql) -> Status {
                std::int64_t pid = -1;
                Status held = sql.query("SELECT pg_backend_pid()", {}, [&](const storage::SqlRow &row) -> Status {
                    pid = row.int64(0);
                    return {};
                });
                if (held.ok())
                    held = hold(sql);
                backend.set_value(held.ok() ? pid : -1);
                released.wait();
                return makeError(ErrorCode::Conflict, "rolled back by the test");
            }));
        });
        m_pid = opened.get();
    }
    ~HeldTransaction()
    {
        release();
        m_thread.join();
    }
    HeldTransaction(const HeldTransaction &) = delete;
    HeldTransaction &operator=(const HeldTransaction &) = delete;

    // The server process of the transaction; -1 when `hold` failed.
    std::int64_t pid() const { return m_pid; }
    void release()
    {
        if (!m_done) {
            m_done = true;
            m_released.set_value();
        }
    }

private:
    std::promise<void> m_released;
    std::thread m_thread;
    std::int64_t m_pid = -1;
    bool m_done = false;
};

} // namespace

class TestSyncServer : public QObject {
    Q_OBJECT

private:
    sigess::test::TestPostgresServer m_postgres;
    std::unique_ptr<SyncWorld> m_world;
    unsigned long long m_nextOp = 1;
    v1::CatalogRelease m_release;
    std::mutex m_resetsMutex;
    std::vector<std::string> m_resets;  // the devices the service said it reset

    std::vector<std::string> resets()
    {
        const std::lock_guard lock(m_resetsMutex);
        return m_resets;
    }

    // Pushes `count` new tickets of the kiosk's presidio in one Push; the op ids it accepted.
    std::vector<std::string> pushTickets(Client &client, const Device &kiosk, std::uint64_t batch,
                                         unsigned long long firstId, unsigned long long count)
    {
        std::vector<v1::Operation> ops;
        for (unsigned long long i = 0; i < count; ++i)
            ops.push_back(ticketCreate(kiosk, ourPresidio, testUuid(firstId + i)));
        const v1::Ack ack = client.exchange(pushOf(batch, ops)).ack();
        return {ack.accepted().begin(), ack.accepted().end()};
    }

    std::string logEpoch()
    {
        std::string epoch;
        const Status read = m_world->database().query("SELECT epoch FROM sync_head", {}, [&](const storage::SqlRow &row) {
            epoch = row.text(0);
            return Status{};
        });
        if (!read.ok())
            qFatal("cannot read the log's epoch: %s", read.error().describe().c_str());
        return epoch;
    }

    v1::Operation ticketCreate(const Device &device, const std::string &presidio, const std::string &ticketId)
    {
        v1::Ticket ticket;
        ticket.mutable_meta()->set_presidio(presidio);
        // Numbers are unique per presidio and day.
        ticket.set_number("A-" + ticketId.substr(ticketId.size() - 4));
        ticket.set_state(v1::TICKET_STATE_WAITING);
        return makeOperation(testUuid(m_nextOp++), device.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE, ticketId, ticket,
                             {2, 4});
    }

    v1::Operation ticketState(const Device &device, const std::string &ticketId, v1::TicketState state)
    {
        v1::Ticket ticket;
        ticket.set_state(state);
        return makeOperation(testUuid(m_nextOp++), device.id, m_world->core().hlc().now(), v1::OP_KIND_UPDATE, ticketId, ticket, {4});
    }

    // A case of `citizen` in our presidio, opened with `responsible` as its operator.
    v1::Operation caseOpen(const Device &coordinator, const std::string &caseId, const std::string &citizen,
                           const std::string &responsible)
    {
        v1::Case opened;
        opened.mutable_meta()->set_presidio(ourPresidio);
        opened.set_citizen(citizen);
        opened.set_state("OPEN");
        opened.set_responsible_operator(responsible);
        return makeOperation(testUuid(m_nextOp++), coordinator.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE,
                             caseId, opened, {2, 3, 4});
    }

    v1::Operation caseReassign(const Device &coordinator, const std::string &caseId, const std::string &responsible)
    {
        v1::Case reassigned;
        reassigned.set_responsible_operator(responsible);
        return makeOperation(testUuid(m_nextOp++), coordinator.id, m_world->core().hlc().now(), v1::OP_KIND_UPDATE,
                             caseId, reassigned, {4});
    }

    v1::Operation noteAppend(const Device &author, const std::string &noteId, const std::string &caseId)
    {
        v1::Note note;
        note.mutable_meta()->set_presidio(ourPresidio);
        note.set_case_id(caseId);
        note.set_text("colloquio");
        return makeOperation(testUuid(m_nextOp++), author.id, m_world->core().hlc().now(), v1::OP_KIND_APPEND, noteId,
                             note, {2, 4});
    }

    std::unique_ptr<Client> welcomed(const Device &device)
    {
        auto client = std::make_unique<Client>(m_world->port());
        const v1::Envelope reply = client->exchange(helloOf(device));
        if (!reply.has_welcome())
            qFatal("not welcomed: %s", reply.DebugString().c_str());
        return client;
    }

    // Waits until `count` transactions of the store wait for `held`'s locks; false when
    // that never happens (after a generous while, which no passing run comes near).
    bool waitForWaiters(const HeldTransaction &held, std::int64_t count)
    {
        const std::string waiting = "SELECT COUNT(*) FROM pg_stat_activity WHERE " + std::to_string(held.pid())
                                    + " = ANY(pg_blocking_pids(pid))";
        for (int look = 0; look < 3000; ++look) {
            if (m_world->count(waiting) >= count)
                return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    // Pulls from `cursor` until the log has no more, appending the op ids in the order
    // pulled; returns the cursor reached.
    std::string pullAll(Client &client, std::string cursor, std::vector<std::string> &pulled)
    {
        std::vector<v1::Envelope> ignored;
        for (bool more = true; more;) {
            const v1::Envelope reply = client.exchangeKeepingNotifies(pullOf(cursor, 0), ignored);
            if (!reply.has_changes())
                qFatal("a Pull was answered with %s", reply.ShortDebugString().c_str());
            for (const auto &op : reply.changes().ops())
                pulled.push_back(op.op_id());
            cursor = reply.changes().next_cursor();
            more = reply.changes().more();
        }
        return cursor;
    }

    v1::Operation citizenCreate(const Device &device, const std::string &id, const std::map<int, std::string> &values)
    {
        v1::Citizen citizen;
        citizen.mutable_meta()->set_presidio(ourPresidio);
        std::vector<int> fields;
        for (const auto &[field, value] : values) {
            citizen.GetReflection()->SetString(&citizen, citizen.GetDescriptor()->FindFieldByNumber(field), value);
            fields.push_back(field);
        }
        return makeOperation(testUuid(m_nextOp++), device.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE, id,
                             citizen, fields);
    }

    std::string operatorIdOf(const Device &device)
    {
        auto principal = m_world->identity().authenticateSession(device.session);
        if (!principal.ok())
            qFatal("no session: %s", principal.error().describe().c_str());
        return principal->operatorId;
    }

private Q_SLOTS:
    void init()
    {
        syncserver::SyncOptions syncOptions;
        syncOptions.maxBatch = 3;
        m_release.Clear();
        m_release.set_number(7);
        m_release.set_content_hash("c0ffee");
        m_release.add_presidi()->set_code(ourPresidio);
        syncOptions.catalog = &m_release;
        m_resets.clear();
        syncOptions.deviceReset = [this](const std::string &deviceId) {
            const std::lock_guard lock(m_resetsMutex);
            m_resets.push_back(deviceId);
        };
        auto serverOptions = net::testing::fastOptions();
        serverOptions.limits.frameBytes = 64 * 1024;
        const StoreKind kind = currentStoreKind();
        std::string error;
        m_world = SyncWorld::open(kind, m_postgres, syncOptions, serverOptions, error);
        QVERIFY2(m_world, error.c_str());
    }

    void cleanup() { m_world.reset(); }

    void helloOutcomes_data() { addStoreRows(); }
    void helloOutcomes()
    {
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        Client good(m_world->port());
        const v1::Envelope welcome = good.exchange(helloOf(kiosk));
        QVERIFY2(welcome.has_welcome(), welcome.DebugString().c_str());
        QCOMPARE(welcome.welcome().scope().role(), v1::ROLE_KIOSK);
        QCOMPARE(welcome.welcome().scope().presidio(), std::string(ourPresidio));
        QCOMPARE(welcome.welcome().max_batch(), 3u);
        QVERIFY(welcome.welcome().server_time().wall_ms() >= startMs);

        const Device operatorTablet = m_world->tablet("mrossi", v1::ROLE_OPERATOR, ourPresidio);
        Client withSession(m_world->port());
        const v1::Envelope operatorWelcome = withSession.exchange(helloOf(operatorTablet));
        QVERIFY2(operatorWelcome.has_welcome(), operatorWelcome.DebugString().c_str());
        QCOMPARE(operatorWelcome.welcome().scope().role(), v1::ROLE_OPERATOR);
        QVERIFY(!operatorWelcome.welcome().scope().operator_id().empty());

        Device wrong = kiosk;
        wrong.credential = "not a credential";
        Client bad(m_world->port());
        const v1::Envelope reject = bad.exchange(helloOf(wrong));
        QVERIFY(reject.has_reject());
        QCOMPARE(reject.reject().code(), std::string("unauthorized"));
        QVERIFY(reject.reject().fatal());
        QVERIFY(!bad.receive().ok());  // closed by the server

        Device noSession = operatorTablet;
        noSession.session.clear();
        Client sessionless(m_world->port());
        QCOMPARE(sessionless.exchange(helloOf(noSession)).reject().code(), std::string("operator_session_required"));

        EXPECT_OK(m_world->identity().revokeDevice(kiosk.id));
        Client revoked(m_world->port());
        const v1::Envelope wipe = revoked.exchange(helloOf(kiosk));
        QVERIFY2(wipe.has_wipe(), wipe.DebugString().c_str());
        QVERIFY(!revoked.receive().ok());
    }

    void pushAckAndReplay_data() { addStoreRows(); }
    void pushAckAndReplay()
    {
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        auto client = welcomed(kiosk);
        v1::Intake intake;
        intake.mutable_meta()->set_presidio(ourPresidio);
        intake.set_given_name("Ada");
        intake.add_needs("NEED-FOOD");
        const auto intakeOp = makeOperation(testUuid(m_nextOp++), kiosk.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE,
                                            testUuid(900), intake, {4, 7});
        const auto ticketOp = ticketCreate(kiosk, ourPresidio, testUuid(901));
        const v1::Envelope push = pushOf(1, {intakeOp, ticketOp});
        const v1::Envelope ack = client->exchange(push);
        QVERIFY2(ack.has_ack(), ack.DebugString().c_str());
        QCOMPARE(ack.ack().batch_id(), std::uint64_t(1));
        QCOMPARE(ack.ack().accepted_size(), 2);
        QCOMPARE(ack.ack().rejected_size(), 0);
        // The start of the log the Push went into, which a device that never pulled takes
        // as its cursor.
        QCOMPARE(ack.ack().start_cursor(), logEpoch() + ":0");
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(2));
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_entities"), std::int64_t(2));
        const std::int64_t head = m_world->count("SELECT sequence FROM sync_head");

        const v1::Envelope again = client->exchange(push);
        QVERIFY(again.has_ack());
        QCOMPARE(again.ack().accepted_size(), 2);
        QCOMPARE(again.ack().start_cursor(), ack.ack().start_cursor());
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(2));
        QCOMPARE(m_world->count("SELECT sequence FROM sync_head"), head);

        const v1::Envelope changes = client->exchange(pullOf("", 0));
        QVERIFY(changes.has_changes());
        QCOMPARE(changes.changes().ops_size(), 1);  // the ticket; a kiosk never reads intakes
        QCOMPARE(changes.changes().ops(0).op_id(), ticketOp.op_id());
    }

    void rejectionsCarryReasons_data() { addStoreRows(); }
    void rejectionsCarryReasons()
    {
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device coordinator = m_world->tablet("cbianchi", v1::ROLE_COORDINATOR, ourPresidio);
        auto kioskClient = welcomed(kiosk);
        v1::Intake linked;
        linked.mutable_meta()->set_presidio(ourPresidio);
        linked.set_citizen(testUuid(500));
        const auto forbidden = makeOperation(testUuid(m_nextOp++), kiosk.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE,
                                             testUuid(910), linked, {2});
        const auto ticket = ticketCreate(kiosk, ourPresidio, testUuid(911));
        const v1::Envelope ack = kioskClient->exchange(pushOf(2, {forbidden, ticket, ticketState(kiosk, testUuid(911), v1::TICKET_STATE_CALLED)}));
        QVERIFY2(ack.has_ack(), ack.DebugString().c_str());
        QCOMPARE(ack.ack().accepted_size(), 1);
        QCOMPARE(ack.ack().rejected_size(), 2);
        QCOMPARE(ack.ack().rejected(0).op_id(), forbidden.op_id());
        QCOMPARE(ack.ack().rejected(0).code(), std::string("forbidden_field"));
        QVERIFY2(QString::fromStdString(ack.ack().rejected(0).reason()).contains("citizen"),
                 ack.ack().rejected(0).reason().c_str());
        QCOMPARE(ack.ack().rejected(1).code(), std::string("forbidden"));  // a kiosk never updates

        auto coordinatorClient = welcomed(coordinator);
        const v1::Envelope second = coordinatorClient->exchange(pushOf(3, {
            ticketState(coordinator, testUuid(999), v1::TICKET_STATE_CALLED),
            ticketState(coordinator, testUuid(911), v1::TICKET_STATE_SERVED),
        }));
        QVERIFY2(second.has_ack(), second.DebugString().c_str());
        QCOMPARE(second.ack().accepted_size(), 0);
        QCOMPARE(second.ack().rejected_size(), 2);
        QCOMPARE(second.ack().rejected(0).code(), std::string("unknown_entity"));
        QCOMPARE(second.ack().rejected(1).code(), std::string("invalid_transition"));
        for (const auto &rejection : second.ack().rejected())
            QVERIFY(!rejection.reason().empty());

        auto someoneElses = ticketCreate(kiosk, ourPresidio, testUuid(912));
        someoneElses.set_device(coordinator.id);
        const v1::Envelope third = kioskClient->exchange(pushOf(4, {someoneElses}));
        QCOMPARE(third.ack().rejected(0).code(), std::string("forbidden"));
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(1));
    }

    void pullPagesWithCursor_data() { addStoreRows(); }
    void pullPagesWithCursor()
    {
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device otherKiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, otherPresidio);
        auto client = welcomed(kiosk);
        auto otherClient = welcomed(otherKiosk);
        std::vector<std::string> pushed;
        for (unsigned long long batch = 0; batch < 2; ++batch) {
            std::vector<v1::Operation> ops;
            for (unsigned long long i = 0; i < 3; ++i) {
                ops.push_back(ticketCreate(kiosk, ourPresidio, testUuid(1000 + batch * 3 + i)));
                pushed.push_back(ops.back().op_id());
            }
            QCOMPARE(client->exchange(pushOf(10 + batch, ops)).ack().accepted_size(), 3);
        }
        QCOMPARE(otherClient->exchange(pushOf(20, {ticketCreate(otherKiosk, otherPresidio, testUuid(1100))})).ack().accepted_size(), 1);

        std::vector<std::string> pulled;
        std::string cursor;
        int frames = 0;
        for (bool more = true; more; ++frames) {
            const v1::Envelope reply = client->exchange(pullOf(cursor, 2));
            QVERIFY2(reply.has_changes(), reply.DebugString().c_str());
            for (const auto &op : reply.changes().ops())
                pulled.push_back(op.op_id());
            cursor = reply.changes().next_cursor();
            more = reply.changes().more();
            QVERIFY(frames < 10);
        }
        QCOMPARE(pulled, pushed);  // in order, and never the other presidio's ticket
        QCOMPARE(frames, 4);
        const v1::Envelope nothing = client->exchange(pullOf(cursor, 2));
        QCOMPARE(nothing.changes().ops_size(), 0);
        QVERIFY(!nothing.changes().more());
        QCOMPARE(nothing.changes().next_cursor(), cursor);
        QCOMPARE(client->exchange(pullOf("not a cursor", 2)).reject().code(), std::string("invalid_cursor"));
    }

    // A cursor names the log's epoch. One of another epoch (the store was restored from
    // a backup since it was issued), or a plain position from before epochs that lies
    // beyond the head, is answered with a reset and the first frame of a full download;
    // a plain position within the head is served as before; anything else is refused.
    void pullFromAnotherHistoryIsAReset_data() { addStoreRows(); }
    void pullFromAnotherHistoryIsAReset()
    {
        m_world->core().service().registerMetrics(m_world->server().server().metrics());
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        auto client = welcomed(kiosk);
        const std::vector<std::string> pushed = pushTickets(*client, kiosk, 1, 1200, 3);
        QCOMPARE(pushed.size(), std::size_t(3));
        const std::string epoch = logEpoch();
        QCOMPARE(epoch.size(), std::size_t(32));
        const std::string head = epoch + ":3";

        struct Expected {
            std::string cursor;
            bool reset;
            std::vector<std::string> ops;
        };
        const std::vector<Expected> expectations{
            {"", false, pushed},
            {epoch + ":0", false, pushed},
            {head, false, {}},
            {epoch + ":1", false, {pushed[1], pushed[2]}},
            {"0123456789abcdef0123456789abcdef:3", true, pushed},
            {"0123456789abcdef0123456789abcdef:0", true, pushed},
            {epoch + ":4", true, pushed},
            {"2", false, {pushed[2]}},
            {"3", false, {}},
            {"4", true, pushed},
            {"9000", true, pushed},
        };
        for (const Expected &expected : expectations) {
            const v1::Envelope reply = client->exchange(pullOf(expected.cursor, 0));
            QVERIFY2(reply.has_changes(), (expected.cursor + ": " + reply.ShortDebugString()).c_str());
            QCOMPARE(reply.changes().reset(), expected.reset);
            std::vector<std::string> pulled;
            for (const auto &op : reply.changes().ops())
                pulled.push_back(op.op_id());
            QCOMPARE(pulled, expected.ops);
            QCOMPARE(reply.changes().next_cursor(), head);
            QVERIFY(!reply.changes().more());
        }
        QCOMPARE(resets(), std::vector<std::string>(5, kiosk.id));

        for (const std::string garbage : {"not a cursor", ":3", "ABC:3", "0123abcd:", "0123abcd:-1", "-1", "3:", "a:b:3"})
            QCOMPARE(client->exchange(pullOf(garbage, 0)).reject().code(), std::string("invalid_cursor"));
        QCOMPARE(resets().size(), std::size_t(5));
        // Counted on the server's /metrics, once per reset.
        const net::testing::Exchange scraped
            = net::testing::fetch(m_world->port(), net::testing::makeRequest(beast::http::verb::get, "/metrics"));
        QVERIFY2(!scraped.error, scraped.error.message().c_str());
        QVERIFY2(scraped.response.body().find("\nsigess_sync_device_resets_total 5\n") != std::string::npos,
                 scraped.response.body().c_str());
    }

    // A Pull from the start of the log's epoch (EPOCH:0, the cursor an Ack names) is
    // served exactly as one from an empty cursor: the same operations in the device's
    // scope, the history of a case that came into it, the evictions of one that left it,
    // the same cursor, no reset, and the same audit events.
    void pullFromTheStartOfTheEpochIsAnEmptyCursorPull_data() { addStoreRows(); }
    void pullFromTheStartOfTheEpochIsAnEmptyCursorPull()
    {
        const Device coordinator = m_world->tablet("coordz", v1::ROLE_COORDINATOR, ourPresidio);
        const Device former = m_world->tablet("formerz", v1::ROLE_OPERATOR, ourPresidio);
        const Device successor = m_world->tablet("successorz", v1::ROLE_OPERATOR, ourPresidio);
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device otherKiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, otherPresidio);
        const std::string formerId = operatorIdOf(former);
        auto coordinatorClient = welcomed(coordinator);
        auto formerClient = welcomed(former);
        auto successorClient = welcomed(successor);
        auto kioskClient = welcomed(kiosk);
        auto otherKioskClient = welcomed(otherKiosk);
        std::vector<v1::Envelope> notifies;

        const std::string movedCase = testUuid(1700);
        const std::string noteId = testUuid(1702);
        QCOMPARE(coordinatorClient->exchangeKeepingNotifies(
                     pushOf(1, {caseOpen(coordinator, movedCase, testUuid(1750), formerId),
                                caseOpen(coordinator, testUuid(1701), testUuid(1750), formerId)}), notifies)
                     .ack().accepted_size(), 2);
        QCOMPARE(formerClient->exchangeKeepingNotifies(pushOf(2, {noteAppend(former, noteId, movedCase)}), notifies)
                     .ack().accepted_size(), 1);
        QCOMPARE(kioskClient->exchangeKeepingNotifies(pushOf(3, {ticketCreate(kiosk, ourPresidio, testUuid(1703))}),
                                                      notifies).ack().accepted_size(), 1);
        QCOMPARE(otherKioskClient->exchangeKeepingNotifies(
                     pushOf(4, {ticketCreate(otherKiosk, otherPresidio, testUuid(1704))}), notifies).ack().accepted_size(),
                 1);
        const v1::Envelope moved = coordinatorClient->exchangeKeepingNotifies(
            pushOf(5, {caseReassign(coordinator, movedCase, operatorIdOf(successor))}), notifies);
        QCOMPARE(moved.ack().accepted_size(), 1);
        const std::string start = moved.ack().start_cursor();
        QCOMPARE(start, logEpoch() + ":0");

        struct Pulled {
            v1::Changes changes;
            std::vector<std::string> audited;  // the events the Pull appended, less ids, times and hashes
        };
        auto pullFrom = [&](Client &client, const std::string &cursor) {
            const std::int64_t before = m_world->count("SELECT COALESCE(MAX(sequence), 0) FROM audit_events");
            Pulled pulled;
            pulled.changes = client.exchangeKeepingNotifies(pullOf(cursor, 0), notifies).changes();
            const Status read = m_world->database().query(
                "SELECT data FROM audit_events WHERE sequence > $1 ORDER BY sequence", {before},
                [&](const storage::SqlRow &row) -> Status {
                    v1::AuditEvent event;
                    if (!event.ParseFromString(row.bytes(0)))
                        return makeError(ErrorCode::Corrupt, "an audit event does not parse");
                    event.clear_meta();
                    event.clear_at_ms();
                    event.clear_previous_hash();
                    event.clear_hash();
                    event.clear_sequence();
                    pulled.audited.push_back(event.ShortDebugString());
                    return {};
                });
            if (!read.ok())
                qFatal("cannot read the audit log: %s", read.error().describe().c_str());
            return pulled;
        };
        const std::map<std::string, Client *> devices{
            {"former", formerClient.get()}, {"successor", successorClient.get()}, {"kiosk", kioskClient.get()}};
        for (const auto &[name, client] : devices) {
            const Pulled empty = pullFrom(*client, "");
            const Pulled fromStart = pullFrom(*client, start);
            QVERIFY2(empty.changes.ops_size() > 0, name.c_str());
            QVERIFY2(!fromStart.changes.reset(), name.c_str());
            QCOMPARE(fromStart.changes.ShortDebugString(), empty.changes.ShortDebugString());
            QCOMPARE(fromStart.audited, empty.audited);
        }
        // What makes the comparison worth it: each kind of frame was there.
        std::vector<std::string> successorEntities;
        const Pulled successorFrame = pullFrom(*successorClient, start);
        for (const v1::Operation &op : successorFrame.changes.ops())
            successorEntities.push_back(op.entity_id());
        // The presidio's ticket (never the other presidio's), then the case that came into
        // the successor's scope with its history.
        QCOMPARE(successorEntities, (std::vector<std::string>{testUuid(1703), movedCase, noteId, movedCase}));
        const Pulled formerFrame = pullFrom(*formerClient, start);
        QCOMPARE(formerFrame.changes.evicted_size(), 2);
        QVERIFY(!formerFrame.audited.empty());
        QCOMPARE(pullFrom(*kioskClient, start).changes.ops_size(), 1);
        QVERIFY(resets().empty());
    }

    void pullStopsAtItsByteBudget_data() { addStoreRows(); }
    void pullStopsAtItsByteBudget()
    {
        syncserver::SyncOptions options;
        options.maxPullBytes = 500;
        std::string error;
        m_world = SyncWorld::open(currentStoreKind(), m_postgres, options, net::testing::fastOptions(), error);
        QVERIFY2(m_world, error.c_str());
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        auto client = welcomed(kiosk);
        const std::vector<std::string> pushed = pushTickets(*client, kiosk, 30, 1200, 8);
        QCOMPARE(pushed.size(), std::size_t(8));

        // Well under the operation limit, each frame ends with the operation that passes
        // the byte budget, and the next one goes on from there.
        std::vector<std::string> pulled;
        std::string cursor;
        int frames = 0;
        for (bool more = true; more; ++frames) {
            const v1::Envelope reply = client->exchange(pullOf(cursor, 100));
            QVERIFY2(reply.has_changes(), reply.DebugString().c_str());
            std::size_t bytes = 0;
            for (const auto &op : reply.changes().ops()) {
                QVERIFY2(bytes < options.maxPullBytes, "an operation was sent past the budget");
                bytes += op.ByteSizeLong();
                pulled.push_back(op.op_id());
            }
            cursor = reply.changes().next_cursor();
            more = reply.changes().more();
            QVERIFY(!more || bytes >= options.maxPullBytes);
            QVERIFY(frames < 10);
        }
        QCOMPARE(pulled, pushed);
        QVERIFY(frames >= 2);
    }

    // Devices push to the same two records at once, each its own field, while another
    // device pulls: no field loses its last write (concurrent read-merge-writes of one
    // entity), the puller's cursor passes no operation however the Pushes commit, and
    // the audit log stays one unbroken chain.
    void concurrentPushesLoseNothing_data() { addStoreRows(); }
    void concurrentPushesLoseNothing()
    {
        constexpr int writers = 4;
        constexpr int pushesEach = 12;
        const std::vector<int> fields{4, 5, 10, 11};  // given_name, family_name, phone, address
        std::vector<Device> devices;
        for (int d = 0; d < writers; ++d)
            devices.push_back(m_world->tablet("writer" + std::to_string(d), v1::ROLE_COORDINATOR, ourPresidio));
        const Device reader = m_world->tablet("reader", v1::ROLE_COORDINATOR, ourPresidio);
        const std::vector<std::string> citizens{testUuid(2000), testUuid(2001)};

        std::set<std::string> pushed;
        std::map<std::pair<std::string, int>, std::string> lastValue;
        std::vector<v1::Operation> creates;
        for (const std::string &id : citizens) {
            v1::Citizen citizen;
            citizen.mutable_meta()->set_presidio(ourPresidio);
            for (const int field : fields) {
                citizen.GetReflection()->SetString(&citizen, citizen.GetDescriptor()->FindFieldByNumber(field), "first");
                lastValue[{id, field}] = "first";
            }
            creates.push_back(makeOperation(testUuid(m_nextOp++), devices[0].id, m_world->core().hlc().now(),
                                            v1::OP_KIND_CREATE, id, citizen, fields));
            pushed.insert(creates.back().op_id());
        }
        std::vector<std::unique_ptr<Client>> clients;
        for (const Device &device : devices)
            clients.push_back(welcomed(device));
        std::vector<v1::Envelope> ignored;
        QCOMPARE(clients[0]->exchangeKeepingNotifies(pushOf(1, creates), ignored).ack().accepted_size(), 2);

        // Made in stamp order, so the last value made for a field is the one that must win.
        std::vector<std::vector<v1::Envelope>> pushes(writers);
        for (int round = 0; round < pushesEach; ++round) {
            for (int d = 0; d < writers; ++d) {
                std::vector<v1::Operation> ops;
                for (int k = 0; k < 3; ++k) {
                    const std::string &id = citizens[static_cast<std::size_t>(round + k) % citizens.size()];
                    const std::string value = "d" + std::to_string(d) + " r" + std::to_string(round) + " k" + std::to_string(k);
                    v1::Citizen patch;
                    patch.GetReflection()->SetString(&patch, patch.GetDescriptor()->FindFieldByNumber(fields[d]), value);
                    ops.push_back(makeOperation(testUuid(m_nextOp++), devices[d].id, m_world->core().hlc().now(),
                                                v1::OP_KIND_UPDATE, id, patch, {fields[d]}));
                    pushed.insert(ops.back().op_id());
                    lastValue[{id, fields[d]}] = value;
                }
                pushes[d].push_back(pushOf(100 + static_cast<std::uint64_t>(round), ops));
            }
        }

        std::vector<int> accepted(writers, 0);
        std::atomic<int> writing{writers};
        std::vector<std::thread> threads;
        for (int d = 0; d < writers; ++d) {
            threads.emplace_back([&, d] {
                std::vector<v1::Envelope> notifies;
                for (const v1::Envelope &push : pushes[d]) {
                    const v1::Envelope ack = clients[d]->exchangeKeepingNotifies(push, notifies);
                    accepted[d] += ack.has_ack() ? ack.ack().accepted_size() : 0;
                }
                --writing;
            });
        }
        auto readerClient = welcomed(reader);
        std::vector<std::string> pulled;
        std::string cursor;
        std::string failure;
        for (bool drained = false; !drained && failure.empty();) {
            const bool stillWriting = writing > 0;
            const v1::Envelope reply = readerClient->exchangeKeepingNotifies(pullOf(cursor, 5), ignored);
            if (!reply.has_changes()) {
                failure = "a Pull was answered with " + reply.ShortDebugString();
                break;
            }
            for (const auto &op : reply.changes().ops())
                pulled.push_back(op.op_id());
            cursor = reply.changes().next_cursor();
            drained = !stillWriting && !reply.changes().more();
        }
        for (std::thread &thread : threads)
            thread.join();
        QVERIFY2(failure.empty(), failure.c_str());
        for (int d = 0; d < writers; ++d)
            QCOMPARE(accepted[d], pushesEach * 3);

        // Every operation pulled once, none passed over by the cursor.
        const std::set<std::string> pulledOnce(pulled.begin(), pulled.end());
        QCOMPARE(pulledOnce.size(), pulled.size());
        for (const std::string &opId : pushed)
            QVERIFY2(pulledOnce.count(opId) == 1, ("never pulled: " + opId).c_str());

        syncserver::SyncRepository repository(m_world->database());
        for (const std::string &id : citizens) {
            Result<std::optional<sync::EntityState>> held
                = repository.loadEntity(*sync::findEntityKind(v1::ENTITY_TYPE_CITIZEN), id);
            QVERIFY(held.ok() && held->has_value());
            const google::protobuf::Message &stored = *(*held)->message;
            for (const int field : fields) {
                QCOMPARE(stored.GetReflection()->GetString(stored, stored.GetDescriptor()->FindFieldByNumber(field)),
                         lastValue.at({id, field}));
            }
        }

        storage::AuditRepository log(m_world->database());
        std::vector<v1::AuditEvent> events;
        for (std::int64_t after = 0;;) {
            Result<std::vector<storage::AuditEntry>> page = log.scan(after, storage::PageRequest::maxLimit);
            QVERIFY(page.ok());
            if (page->empty())
                break;
            for (storage::AuditEntry &entry : *page)
                events.push_back(std::move(entry.event));
            after = page->back().sequence;
        }
        Result<storage::AuditHead> head = log.head();
        QVERIFY(head.ok());
        const audit::VerifyReport report
            = audit::verifyChain(events, {}, audit::ChainHead{static_cast<std::uint64_t>(head->sequence), head->hash});
        QVERIFY2(report.intact(), report.fault ? report.fault->reason.c_str() : "");
        QVERIFY(report.eventsChecked >= pushed.size());
    }

    // The Pushes of a group share its transaction without savepoints. When an API table
    // refuses a row of one of them (a codice fiscale already registered), the group is
    // stored again with a savepoint per Push: that Push loses the refused operation alone,
    // the Pushes before and after it in the group lose nothing, and every operation is
    // logged once, a replayed one never.
    void refusedPushLeavesItsGroupAlone_data() { addStoreRows(); }
    void refusedPushLeavesItsGroupAlone()
    {
        const Device first = m_world->tablet("first", v1::ROLE_COORDINATOR, ourPresidio);
        const Device second = m_world->tablet("second", v1::ROLE_COORDINATOR, ourPresidio);
        const std::string codiceFiscale = "RSSMRA85T10H501O";
        syncserver::SyncService &service = m_world->core().service();
        const auto peerOf = [&](const Device &device) {
            std::optional<syncserver::Peer> peer = service.hello(device.hello()).peer;
            if (!peer)
                qFatal("%s was not welcomed", device.id.c_str());
            return *peer;
        };
        // Through the service, whose group commit is then idle: a Push over a connection
        // would leave it to a leader on the server's threads, which could still be
        // finishing when the group below is queued, and take it.
        const v1::Operation registered = citizenCreate(first, testUuid(3300), {{2, codiceFiscale}, {4, "Mario"}});
        QCOMPARE(service.push(peerOf(first), pushOf(1, {registered}).push(), this).ack().accepted_size(), 1);

        const v1::Operation before = citizenCreate(first, testUuid(3301), {{4, "Anna"}});
        const v1::Operation clashing = citizenCreate(second, testUuid(3302), {{2, codiceFiscale}, {4, "Marco"}});
        const v1::Operation beside = citizenCreate(second, testUuid(3303), {{4, "Luca"}});
        const v1::Operation after = citizenCreate(first, testUuid(3304), {{4, "Nina"}});
        std::vector<v1::Envelope> answers(3);
        std::function<void()> leader;
        const auto submit = [&](const Device &device, std::size_t index, const std::vector<v1::Operation> &ops) {
            service.submitPush(
                peerOf(device), pushOf(index + 10, ops).push(), &answers[index],
                [&answers, index](v1::Envelope reply) { answers[index] = std::move(reply); },
                [&leader](std::function<void()> lead) { leader = std::move(lead); });
        };
        // All three wait before the leader runs, so that it stores them as one group.
        submit(first, 0, {before, registered});
        submit(second, 1, {clashing, beside});
        submit(first, 2, {after});
        QVERIFY(leader);
        leader();

        for (const v1::Envelope &answer : answers)
            QVERIFY2(answer.has_ack(), answer.ShortDebugString().c_str());
        QCOMPARE(answers[0].ack().accepted_size(), 2);
        QCOMPARE(answers[0].ack().rejected_size(), 0);
        QCOMPARE(answers[1].ack().accepted_size(), 1);
        QCOMPARE(answers[1].ack().accepted(0), beside.op_id());
        QCOMPARE(answers[1].ack().rejected_size(), 1);
        QCOMPARE(answers[1].ack().rejected(0).op_id(), clashing.op_id());
        QCOMPARE(answers[1].ack().rejected(0).code(), std::string("conflict"));
        QCOMPARE(answers[2].ack().accepted_size(), 1);
        QCOMPARE(answers[2].ack().rejected_size(), 0);

        // Each operation is logged whole, as pushed, also when its group was stored
        // again a Push at a time (the bytes are encoded as the Push arrives).
        Result<std::vector<v1::Operation>> log = m_world->core().loggedOperations();
        EXPECT_OK(log);
        std::vector<std::string> logged;
        for (const v1::Operation &operation : *log)
            logged.push_back(operation.SerializeAsString());
        QCOMPARE(logged, (std::vector<std::string>{registered.SerializeAsString(), before.SerializeAsString(),
                                                   beside.SerializeAsString(), after.SerializeAsString()}));
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM citizens"), std::int64_t{4});
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_entities WHERE id = '" + clashing.entity_id() + "'"),
                 std::int64_t{0});
    }

    // On PostgreSQL two groups of Pushes run side by side and take the log's head only
    // to log: a group that started first but waits (here for an entity's row, which the
    // test holds) lets a later one commit first, which takes the lower sequences. A
    // puller that read up to that one's operations still gets the earlier group's, which
    // come after its cursor.
    void laterGroupCommitsFirstAndPullerSkipsNothing_data() { addPostgresRow(); }
    void laterGroupCommitsFirstAndPullerSkipsNothing()
    {
        const Device first = m_world->tablet("first", v1::ROLE_COORDINATOR, ourPresidio);
        const Device second = m_world->tablet("second", v1::ROLE_COORDINATOR, ourPresidio);
        const Device reader = m_world->tablet("reader", v1::ROLE_COORDINATOR, ourPresidio);
        auto firstClient = welcomed(first);
        auto secondClient = welcomed(second);
        auto readerClient = welcomed(reader);
        std::vector<v1::Envelope> ignored;
        const std::string held = testUuid(3000);
        const v1::Operation created = citizenCreate(first, held, {{4, "Anna"}});
        QCOMPARE(firstClient->exchangeKeepingNotifies(pushOf(1, {created}), ignored).ack().accepted_size(), 1);

        HeldTransaction lock(m_world->database(), [&](storage::SqlExecutor &sql) {
            return sql.query("SELECT 1 FROM sync_entities WHERE id = $1 FOR UPDATE", {held},
                             [](const storage::SqlRow &) -> Status { return {}; });
        });
        QVERIFY(lock.pid() > 0);
        v1::Citizen patch;
        patch.set_family_name("Bianchi");
        const v1::Operation update = makeOperation(testUuid(m_nextOp++), first.id, m_world->core().hlc().now(),
                                                   v1::OP_KIND_UPDATE, held, patch, {5});
        v1::Envelope updateAck;
        std::thread updating([&] {
            std::vector<v1::Envelope> notifies;
            updateAck = firstClient->exchangeKeepingNotifies(pushOf(2, {update}), notifies);
        });
        const bool updateWaits = waitForWaiters(lock, 1);
        const v1::Operation other = citizenCreate(second, testUuid(3001), {{4, "Bruno"}});
        const v1::Envelope otherAck = secondClient->exchangeKeepingNotifies(pushOf(1, {other}), ignored);
        std::vector<std::string> pulled;
        const std::string cursor = pullAll(*readerClient, "", pulled);
        lock.release();
        updating.join();
        QVERIFY(updateWaits);
        QCOMPARE(otherAck.ack().accepted_size(), 1);
        QCOMPARE(pulled, (std::vector<std::string>{created.op_id(), other.op_id()}));
        QCOMPARE(updateAck.ack().accepted_size(), 1);

        pulled.clear();
        pullAll(*readerClient, cursor, pulled);
        QCOMPARE(pulled, std::vector<std::string>{update.op_id()});
        Result<std::vector<v1::Operation>> log = m_world->core().loggedOperations();
        EXPECT_OK(log);
        QCOMPARE(log->size(), std::size_t{3});
        QCOMPARE(log->back().op_id(), update.op_id());
    }

    // Two devices create one record at once, in groups side by side: the insert of the
    // one that comes second waits for the first to commit and finds the record there, so
    // its Push is merged again over the stored record, as if it had come after: the
    // record is the first device's, and the second device's create comes back to it as
    // already_exists (never lost in silence, never a failed Push). The record each Push
    // creates beside it is stored either way: the new entities go in one statement, so
    // the one refused takes none of the others with it.
    void concurrentCreatesOfOneIdSettleInTurn_data() { addPostgresRow(); }
    void concurrentCreatesOfOneIdSettleInTurn()
    {
        const Device first = m_world->tablet("first", v1::ROLE_COORDINATOR, ourPresidio);
        const Device second = m_world->tablet("second", v1::ROLE_COORDINATOR, ourPresidio);
        auto firstClient = welcomed(first);
        auto secondClient = welcomed(second);
        const std::string id = testUuid(3100);
        const v1::Operation mine = citizenCreate(first, id, {{4, "Carla"}, {5, "Rossi"}});
        const v1::Operation theirs = citizenCreate(second, id, {{10, "06 1234"}, {11, "Via Roma 1"}});
        const v1::Operation mineBeside = citizenCreate(first, testUuid(3101), {{4, "Dario"}});
        const v1::Operation theirsBeside = citizenCreate(second, testUuid(3102), {{4, "Elena"}});
        // An insert of the same key, uncommitted: both creates read the record as absent
        // and then wait on this insert, which rolls back, so one of them inserts it.
        HeldTransaction insert(m_world->database(), [&](storage::SqlExecutor &sql) -> Status {
            Result<std::int64_t> inserted = sql.execute(
                "INSERT INTO sync_entities (entity_type, id, presidio, assigned, data, clock) VALUES ($1, $2, $3, '', $4, $4)",
                {static_cast<std::int64_t>(v1::ENTITY_TYPE_CITIZEN), id, ourPresidio, storage::SqlBytes{}});
            if (!inserted.ok())
                return inserted.takeError();
            return {};
        });
        QVERIFY(insert.pid() > 0);
        v1::Envelope mineAck;
        v1::Envelope theirsAck;
        std::thread creating([&] {
            std::vector<v1::Envelope> notifies;
            mineAck = firstClient->exchangeKeepingNotifies(pushOf(1, {mineBeside, mine}), notifies);
        });
        const bool firstWaits = waitForWaiters(insert, 1);
        std::thread alsoCreating([&] {
            std::vector<v1::Envelope> notifies;
            theirsAck = secondClient->exchangeKeepingNotifies(pushOf(1, {theirsBeside, theirs}), notifies);
        });
        const bool bothWait = waitForWaiters(insert, 2);
        insert.release();
        creating.join();
        alsoCreating.join();
        QVERIFY(firstWaits);
        QVERIFY(bothWait);
        QVERIFY2(mineAck.has_ack(), mineAck.ShortDebugString().c_str());
        QVERIFY2(theirsAck.has_ack(), theirsAck.ShortDebugString().c_str());
        QCOMPARE(mineAck.ack().accepted_size() + theirsAck.ack().accepted_size(), 3);
        const bool mineWon = mineAck.ack().accepted_size() == 2;
        const v1::Ack &refused = mineWon ? theirsAck.ack() : mineAck.ack();
        const v1::Operation &winner = mineWon ? mine : theirs;
        const v1::Operation &winnerBeside = mineWon ? mineBeside : theirsBeside;
        const v1::Operation &loserBeside = mineWon ? theirsBeside : mineBeside;
        QCOMPARE(refused.rejected_size(), 1);
        QCOMPARE(refused.rejected(0).code(), std::string("already_exists"));
        QCOMPARE(refused.accepted_size(), 1);
        QCOMPARE(refused.accepted(0), loserBeside.op_id());

        Result<std::optional<sync::EntityState>> stored = syncserver::SyncRepository(m_world->database())
                                                              .loadEntity(*sync::findEntityKind(v1::ENTITY_TYPE_CITIZEN), id);
        QVERIFY(stored.ok() && stored->has_value());
        v1::Citizen written;
        QVERIFY(written.ParseFromString(winner.patch()));
        const auto &citizen = static_cast<const v1::Citizen &>(*(*stored)->message);
        QCOMPARE(citizen.given_name(), written.given_name());
        QCOMPARE(citizen.phone(), written.phone());
        Result<std::vector<v1::Operation>> log = m_world->core().loggedOperations();
        EXPECT_OK(log);
        std::set<std::string> logged;
        for (const v1::Operation &operation : *log)
            logged.insert(operation.op_id());
        QCOMPARE(log->size(), std::size_t{3});
        QCOMPARE(logged, (std::set<std::string>{winnerBeside.op_id(), winner.op_id(), loserBeside.op_id()}));
        for (const v1::Operation *beside : {&mineBeside, &theirsBeside})
            QCOMPARE(m_world->count("SELECT COUNT(*) FROM citizens WHERE id = '" + beside->entity_id() + "'"),
                     std::int64_t{1});
    }

    void notifyReachesOnlyDevicesInScope_data() { addStoreRows(); }
    void notifyReachesOnlyDevicesInScope()
    {
        const Device writer = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device neighbour = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device stranger = m_world->enroll(v1::DEVICE_KIND_KIOSK, otherPresidio);
        auto writerClient = welcomed(writer);
        auto neighbourClient = welcomed(neighbour);
        auto strangerClient = welcomed(stranger);
        QCOMPARE(writerClient->exchange(pushOf(1, {ticketCreate(writer, ourPresidio, testUuid(1200))})).ack().accepted_size(), 1);

        auto notify = neighbourClient->receive();
        QVERIFY(notify.ok());
        QVERIFY2(notify->has_notify(), notify->DebugString().c_str());
        const v1::Envelope changes = neighbourClient->exchange(pullOf("", 0));
        QCOMPARE(changes.changes().ops_size(), 1);
        QCOMPARE(changes.changes().next_cursor(), notify->notify().latest_cursor());
        // A Notify to the stranger would have been queued before the writer's Ack, so
        // ahead of any answer to its Pull.
        const v1::Envelope strangerFirst = strangerClient->exchange(pullOf("", 0));
        QVERIFY2(strangerFirst.has_changes(), strangerFirst.DebugString().c_str());
        QCOMPARE(strangerFirst.changes().ops_size(), 0);
    }

    void badFramesAreRejected_data() { addStoreRows(); }
    void badFramesAreRejected()
    {
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        Client client(m_world->port());
        const v1::Envelope early = client.exchange(pullOf("", 0));
        QCOMPARE(early.reject().code(), std::string("hello_required"));
        QVERIFY(!early.reject().fatal());
        client.sendBytes(std::string("\xff\xff\xff\xff\xff\xff", 6));
        auto malformed = client.receive();
        QVERIFY(malformed.ok());
        QCOMPARE(malformed->reject().code(), std::string("malformed_frame"));
        QVERIFY(client.exchange(helloOf(kiosk)).has_welcome());
        QCOMPARE(client.exchange(helloOf(kiosk)).reject().code(), std::string("already_welcomed"));
        std::vector<v1::Operation> tooMany;
        for (unsigned long long i = 0; i < 4; ++i)
            tooMany.push_back(ticketCreate(kiosk, ourPresidio, testUuid(1300 + i)));
        QCOMPARE(client.exchange(pushOf(1, tooMany)).reject().code(), std::string("batch_too_large"));
        v1::Envelope serverFrame;
        serverFrame.mutable_ack()->set_batch_id(1);
        QCOMPARE(client.exchange(serverFrame).reject().code(), std::string("unexpected_frame"));
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(0));

        Client oversized(m_world->port());
        QVERIFY(oversized.exchange(helloOf(kiosk)).has_welcome());
        oversized.sendBytes(std::string(128 * 1024, 'x'));
        QVERIFY(!oversized.receive().ok());
        QCOMPARE(oversized.closeReason().code, std::uint16_t(websocket::close_code::too_big));

        QCOMPARE(client.exchange(pushOf(2, {ticketCreate(kiosk, ourPresidio, testUuid(1310))})).ack().accepted_size(), 1);
    }

    void catalogUpdateFollowsWelcome_data() { addStoreRows(); }
    void catalogUpdateFollowsWelcome()
    {
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        v1::Envelope behindHello = helloOf(kiosk);
        behindHello.mutable_hello()->set_catalog_release(5);
        Client behind(m_world->port());
        QVERIFY(behind.exchange(behindHello).has_welcome());
        auto update = behind.receive();
        QVERIFY(update.ok());
        QVERIFY2(update->has_catalog_update(), update->DebugString().c_str());
        QCOMPARE(update->catalog_update().number(), 7u);
        QCOMPARE(update->catalog_update().content_hash(), std::string("c0ffee"));
        QCOMPARE(update->catalog_update().release().presidi_size(), 1);  // small enough to travel in the frame

        Client current(m_world->port());
        QVERIFY(current.exchange(helloOf(kiosk)).has_welcome());
        // Up to date: the next frame is the answer to its Pull.
        QVERIFY(current.exchange(pullOf("", 0)).has_changes());

        // A release over the inline bound is named, not carried: the device fetches it.
        syncserver::SyncOptions tight;
        tight.catalog = &m_release;
        tight.catalogInlineBytes = 4;
        syncserver::LocalChangeFeed feed;
        syncserver::SyncService tightService(m_world->database(), m_world->identity(), m_world->core().hlc(), feed,
                                             sync::ServerRules(sync::standardCaseTransitions()), tight);
        const auto outcome = tightService.hello(behindHello.hello());
        QVERIFY(outcome.peer.has_value());
        QVERIFY(outcome.catalogUpdate.has_value());
        QCOMPARE(outcome.catalogUpdate->catalog_update().number(), 7u);
        QVERIFY(!outcome.catalogUpdate->catalog_update().has_release());
    }

    void rightsApplyToOpenConnections_data() { addStoreRows(); }
    void rightsApplyToOpenConnections()
    {
        const Device disabled = m_world->tablet("disabledop", v1::ROLE_OPERATOR, ourPresidio);
        const Device signedOut = m_world->tablet("signedout", v1::ROLE_OPERATOR, ourPresidio);
        const Device moved = m_world->tablet("movedop", v1::ROLE_COORDINATOR, ourPresidio);
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device otherKiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, otherPresidio);
        const std::string disabledId = operatorIdOf(disabled);
        const std::string signedOutId = operatorIdOf(signedOut);
        const std::string movedId = operatorIdOf(moved);
        auto disabledClient = welcomed(disabled);
        auto signedOutClient = welcomed(signedOut);
        auto movedClient = welcomed(moved);
        auto kioskClient = welcomed(kiosk);
        auto otherKioskClient = welcomed(otherKiosk);
        QCOMPARE(otherKioskClient->exchange(pushOf(1, {ticketCreate(otherKiosk, otherPresidio, testUuid(1400))}))
                     .ack().accepted_size(), 1);
        QCOMPARE(movedClient->exchange(pullOf("", 0)).changes().ops_size(), 0);  // not its presidio's ticket

        auto expectRefused = [](Client &client, const char *what) {
            auto refused = client.receive();
            QVERIFY2(refused.ok(), what);
            QVERIFY2(refused->has_reject(), refused->DebugString().c_str());
            QVERIFY(refused->reject().fatal());
            QCOMPARE(refused->reject().code(), std::string("unauthorized"));
            QVERIFY2(!client.receive().ok(), what);  // and closed
        };
        EXPECT_OK(m_world->identity().disableOperator(disabledId));
        m_world->core().feed().publish({syncserver::rightsChanged(v1::ENTITY_TYPE_OPERATOR, disabledId)}, 0, nullptr);
        expectRefused(*disabledClient, "disabled operator");
        if (QTest::currentTestFailed())
            return;

        EXPECT_OK(m_world->identity().logout(signedOut.session));
        m_world->core().feed().publish({syncserver::rightsChanged(v1::ENTITY_TYPE_OPERATOR, signedOutId)}, 0, nullptr);
        expectRefused(*signedOutClient, "ended session");
        if (QTest::currentTestFailed())
            return;

        EXPECT_OK(m_world->identity().revokeDevice(kiosk.id));
        m_world->core().feed().publish({syncserver::rightsChanged(v1::ENTITY_TYPE_DEVICE, kiosk.id)}, 0, nullptr);
        auto wipe = kioskClient->receive();
        QVERIFY(wipe.ok());
        QVERIFY2(wipe->has_wipe(), wipe->DebugString().c_str());
        QVERIFY(!kioskClient->receive().ok());

        // A coordinator moved to the other presidio reads that presidio from the next frame.
        auto account = storage::OperatorRepository(m_world->database()).byId(movedId);
        QVERIFY(account.ok());
        v1::Operator profile = account->profile;
        profile.mutable_meta()->set_presidio(otherPresidio);
        EXPECT_OK(storage::OperatorRepository(m_world->database()).update(profile));
        m_world->core().feed().publish({syncserver::rightsChanged(v1::ENTITY_TYPE_OPERATOR, movedId)}, 0, nullptr);
        const v1::Envelope afterMove = movedClient->exchange(pullOf("", 0));
        QVERIFY2(afterMove.has_changes(), afterMove.DebugString().c_str());
        QCOMPARE(afterMove.changes().ops_size(), 1);
        QCOMPARE(afterMove.changes().ops(0).entity_id(), testUuid(1400));
        // Others go on untouched.
        QVERIFY(otherKioskClient->exchange(pullOf("", 0)).has_changes());
    }

    // A random workload over two presidi in two municipi, every device connected
    // throughout: each Changes and Notify frame a device receives is checked against
    // the scope rules as this test models them, and each device receives all it may.
    void everyFrameStaysInScope_data() { addStoreRows(); }
    void everyFrameStaysInScope()
    {
        struct Actor {
            Device device;
            v1::Role role;
            std::string presidio;
            std::string operatorId;
            std::unique_ptr<Client> client;
            std::vector<v1::Envelope> notifies;
        };
        struct Record {
            v1::EntityType type;
            std::string presidio;
            std::string assigned;
        };
        std::vector<Actor> actors;
        auto addTablet = [&](const std::string &name, v1::Role role, const std::string &presidio) {
            Device device = m_world->tablet(name, role, presidio);
            const std::string operatorId = operatorIdOf(device);
            actors.push_back(Actor{device, role, presidio, operatorId, nullptr, {}});
        };
        for (const auto &[presidio, tag] : {std::pair{ourPresidio, "a"}, std::pair{otherPresidio, "b"}}) {
            actors.push_back(Actor{m_world->enroll(v1::DEVICE_KIND_KIOSK, presidio), v1::ROLE_KIOSK, presidio, {}, nullptr, {}});
            addTablet(std::string("coord") + tag, v1::ROLE_COORDINATOR, presidio);
            addTablet(std::string("opone") + tag, v1::ROLE_OPERATOR, presidio);
            addTablet(std::string("optwo") + tag, v1::ROLE_OPERATOR, presidio);
        }
        for (Actor &actor : actors)
            actor.client = welcomed(actor.device);

        std::map<std::string, Record> records;         // by entity id, as accepted
        std::map<std::string, std::string> entityOfOp;  // accepted op id -> entity id
        std::mt19937 random(2026);
        auto pick = [&](std::size_t size) { return std::uniform_int_distribution<std::size_t>(0, size - 1)(random); };
        unsigned long long nextEntity = 5000;
        int ticketNumber = 0;
        for (int step = 0; step < 80; ++step) {
            Actor &actor = actors[pick(actors.size())];
            std::vector<v1::Operation> ops;
            std::vector<std::pair<std::string, Record>> created;
            std::set<std::string> mustBeRejected;
            if (actor.role == v1::ROLE_KIOSK) {
                v1::Intake intake;
                intake.mutable_meta()->set_presidio(actor.presidio);
                intake.set_given_name("Ada");
                intake.add_needs("NEED-FOOD");
                const std::string intakeId = testUuid(nextEntity++);
                ops.push_back(makeOperation(testUuid(m_nextOp++), actor.device.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE,
                                            intakeId, intake, {4, 7}));
                created.push_back({intakeId, Record{v1::ENTITY_TYPE_INTAKE, actor.presidio, {}}});
            } else if (actor.role == v1::ROLE_COORDINATOR) {
                std::vector<std::string> colleagues{""};
                for (const Actor &other : actors)
                    if (other.role == v1::ROLE_OPERATOR && other.presidio == actor.presidio)
                        colleagues.push_back(other.operatorId);
                v1::Case opened;
                opened.mutable_meta()->set_presidio(actor.presidio);
                opened.set_citizen(testUuid(nextEntity++));
                opened.set_state("OPEN");
                opened.set_responsible_operator(colleagues[pick(colleagues.size())]);
                const std::string caseId = testUuid(nextEntity++);
                ops.push_back(makeOperation(testUuid(m_nextOp++), actor.device.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE,
                                            caseId, opened, {2, 3, 4}));
                created.push_back({caseId, Record{v1::ENTITY_TYPE_CASE, actor.presidio, opened.responsible_operator()}});
            } else {
                // A note on a case: mostly one of its own; now and then someone else's, which
                // the server must refuse.
                std::vector<std::string> own;
                std::vector<std::string> foreign;
                for (const auto &[id, record] : records) {
                    if (record.type != v1::ENTITY_TYPE_CASE)
                        continue;
                    (record.assigned == actor.operatorId ? own : foreign).push_back(id);
                }
                const bool trespass = own.empty() || pick(4) == 0;
                const std::vector<std::string> &candidates = trespass ? foreign : own;
                if (candidates.empty()) {
                    v1::Ticket ticket;
                    ticket.mutable_meta()->set_presidio(actor.presidio);
                    ticket.set_number("B-" + std::to_string(++ticketNumber));
                    ticket.set_state(v1::TICKET_STATE_WAITING);
                    const std::string ticketId = testUuid(nextEntity++);
                    ops.push_back(makeOperation(testUuid(m_nextOp++), actor.device.id, m_world->core().hlc().now(),
                                                v1::OP_KIND_CREATE, ticketId, ticket, {2, 4}));
                    created.push_back({ticketId, Record{v1::ENTITY_TYPE_TICKET, actor.presidio, {}}});
                } else {
                    const std::string caseId = candidates[pick(candidates.size())];
                    const Record &owner = records.at(caseId);
                    v1::Note note;
                    note.mutable_meta()->set_presidio(owner.presidio);
                    note.set_case_id(caseId);
                    note.set_text("visto a domicilio");
                    const std::string noteId = testUuid(nextEntity++);
                    ops.push_back(makeOperation(testUuid(m_nextOp++), actor.device.id, m_world->core().hlc().now(), v1::OP_KIND_APPEND,
                                                noteId, note, {2, 4}));
                    created.push_back({noteId, Record{v1::ENTITY_TYPE_NOTE, owner.presidio, owner.assigned}});
                    if (trespass)
                        mustBeRejected.insert(ops.back().op_id());
                }
            }
            if (actor.role != v1::ROLE_OPERATOR || pick(2) == 0) {
                v1::Ticket ticket;
                ticket.mutable_meta()->set_presidio(actor.presidio);
                ticket.set_number("A-" + std::to_string(++ticketNumber));
                ticket.set_state(v1::TICKET_STATE_WAITING);
                const std::string ticketId = testUuid(nextEntity++);
                ops.push_back(makeOperation(testUuid(m_nextOp++), actor.device.id, m_world->core().hlc().now(), v1::OP_KIND_CREATE,
                                            ticketId, ticket, {2, 4}));
                created.push_back({ticketId, Record{v1::ENTITY_TYPE_TICKET, actor.presidio, {}}});
            }
            const v1::Envelope ack = actor.client->exchangeKeepingNotifies(pushOf(100 + step, ops), actor.notifies);
            QVERIFY2(ack.has_ack(), ack.DebugString().c_str());
            std::set<std::string> rejected;
            for (const auto &rejection : ack.ack().rejected())
                rejected.insert(rejection.op_id());
            for (std::size_t i = 0; i < ops.size(); ++i) {
                const std::string &opId = ops[i].op_id();
                QVERIFY2(rejected.contains(opId) == mustBeRejected.contains(opId), ack.DebugString().c_str());
                if (!rejected.contains(opId)) {
                    records.insert(created[i]);
                    entityOfOp.emplace(opId, created[i].first);
                }
            }
        }

        std::map<std::string, std::int64_t> sequenceOf;
        EXPECT_OK(m_world->database().query("SELECT op_id, sequence FROM sync_ops", {}, [&](const storage::SqlRow &row) -> Status {
            sequenceOf.emplace(std::string(row.text(0)), row.int64(1));
            return {};
        }));
        QCOMPARE(sequenceOf.size(), entityOfOp.size());

        auto inScope = [&](const Actor &actor, const Record &record) {
            switch (actor.role) {
            case v1::ROLE_KIOSK:
                return record.type == v1::ENTITY_TYPE_TICKET && record.presidio == actor.presidio;
            case v1::ROLE_COORDINATOR:
                return record.presidio == actor.presidio;
            default:
                if (record.type == v1::ENTITY_TYPE_CASE)
                    return record.assigned == actor.operatorId
                           || (record.assigned.empty() && record.presidio == actor.presidio);
                if (record.type == v1::ENTITY_TYPE_NOTE)
                    return record.assigned == actor.operatorId;
                return record.presidio == actor.presidio;  // tickets, and intakes waiting in the queue
            }
        };
        for (Actor &actor : actors) {
            std::set<std::string> received;
            std::string cursor;
            for (bool more = true; more;) {
                const v1::Envelope reply = actor.client->exchangeKeepingNotifies(pullOf(cursor, 7), actor.notifies);
                QVERIFY2(reply.has_changes(), reply.DebugString().c_str());
                for (const v1::Operation &op : reply.changes().ops()) {
                    QVERIFY2(entityOfOp.contains(op.op_id()), op.op_id().c_str());
                    const Record &record = records.at(entityOfOp.at(op.op_id()));
                    QVERIFY2(inScope(actor, record), (actor.device.id + " received " + op.entity_id()).c_str());
                    if (actor.role == v1::ROLE_KIOSK) {
                        const sync::EntityKind *kind = sync::findEntityKind(op.entity_type());
                        QVERIFY(kind != nullptr);
                        std::unique_ptr<google::protobuf::Message> patch(kind->prototype->New());
                        QVERIFY(patch->ParseFromString(op.patch()));
                        std::vector<const google::protobuf::FieldDescriptor *> set;
                        patch->GetReflection()->ListFields(*patch, &set);
                        for (const auto *field : set)
                            QVERIFY2(field->name().find("name") == std::string::npos, field->name().c_str());
                    }
                    received.insert(op.op_id());
                }
                cursor = reply.changes().next_cursor();
                more = reply.changes().more();
            }
            std::set<std::string> expected;
            for (const auto &[opId, entityId] : entityOfOp)
                if (inScope(actor, records.at(entityId)))
                    expected.insert(opId);
            QCOMPARE(received, expected);
            // A Notify is owed only to a change in scope since the previous one.
            std::int64_t previous = 0;
            for (const v1::Envelope &notify : actor.notifies) {
                const std::string &notified = notify.notify().latest_cursor();
                const std::int64_t latest = std::stoll(notified.substr(notified.find(':') + 1));
                const bool owed = std::any_of(entityOfOp.begin(), entityOfOp.end(), [&](const auto &accepted) {
                    const std::int64_t sequence = sequenceOf.at(accepted.first);
                    return sequence > previous && sequence <= latest && inScope(actor, records.at(accepted.second));
                });
                QVERIFY2(owed, (actor.device.id + " was notified of " + std::to_string(latest)).c_str());
                previous = latest;
            }
        }
    }

    // A case reassigned to a colleague leaves the former operator's device with its case
    // file at the next pull, and the audit log says so.
    void reassignedCaseLeavesTheFormerOperator_data() { addStoreRows(); }
    void reassignedCaseLeavesTheFormerOperator()
    {
        const Device coordinator = m_world->tablet("coordx", v1::ROLE_COORDINATOR, ourPresidio);
        const Device former = m_world->tablet("former", v1::ROLE_OPERATOR, ourPresidio);
        const Device successor = m_world->tablet("successor", v1::ROLE_OPERATOR, ourPresidio);
        const std::string formerId = operatorIdOf(former);
        const std::string successorId = operatorIdOf(successor);
        auto coordinatorClient = welcomed(coordinator);
        auto formerClient = welcomed(former);
        auto successorClient = welcomed(successor);
        std::vector<v1::Envelope> notifies;

        const std::string caseId = testUuid(1600);
        const std::string keptCase = testUuid(1601);
        const std::string noteId = testUuid(1602);
        QCOMPARE(coordinatorClient->exchangeKeepingNotifies(
                     pushOf(1, {caseOpen(coordinator, caseId, testUuid(1650), formerId),
                                caseOpen(coordinator, keptCase, testUuid(1650), formerId)}), notifies)
                     .ack().accepted_size(), 2);
        QCOMPARE(formerClient->exchangeKeepingNotifies(pushOf(2, {noteAppend(former, noteId, caseId)}), notifies)
                     .ack().accepted_size(), 1);
        const v1::Envelope before = formerClient->exchangeKeepingNotifies(pullOf("", 0), notifies);
        QCOMPARE(before.changes().ops_size(), 3);
        QCOMPARE(before.changes().evicted_size(), 0);

        QCOMPARE(coordinatorClient->exchangeKeepingNotifies(pushOf(3, {caseReassign(coordinator, caseId, successorId)}),
                                                            notifies).ack().accepted_size(), 1);
        const v1::Envelope after = formerClient->exchangeKeepingNotifies(pullOf(before.changes().next_cursor(), 0), notifies);
        QVERIFY2(after.has_changes(), after.DebugString().c_str());
        QCOMPARE(after.changes().ops_size(), 0);
        std::set<std::string> evicted;
        for (const v1::EntityRef &ref : after.changes().evicted())
            evicted.insert(ref.id());
        QCOMPARE(evicted, (std::set<std::string>{caseId, noteId}));
        // Once past it, the eviction is not repeated.
        QCOMPARE(formerClient->exchangeKeepingNotifies(pullOf(after.changes().next_cursor(), 0), notifies)
                     .changes().evicted_size(), 0);

        int evictions = 0;
        EXPECT_OK(m_world->database().query("SELECT data FROM audit_events", {}, [&](const storage::SqlRow &row) -> Status {
            v1::AuditEvent event;
            if (!event.ParseFromString(row.bytes(0)) || event.action() != "evict")
                return {};
            ++evictions;
            QTest::qVerify(event.record_id() == caseId, "record", "the evicted case", __FILE__, __LINE__);
            QTest::qVerify(event.device() == former.id, "device", "the former operator's device", __FILE__, __LINE__);
            QTest::qVerify(event.reason().find(formerId) != std::string::npos, "reason", "names the former operator",
                           __FILE__, __LINE__);
            return {};
        }));
        QCOMPARE(evictions, 1);

        // The successor receives the whole case with its case file, written before it was
        // theirs, and writes to it; the former operator no longer may.
        const v1::Envelope gained = successorClient->exchangeKeepingNotifies(pullOf("", 0), notifies);
        std::vector<std::string> gainedEntities;
        for (const v1::Operation &op : gained.changes().ops())
            gainedEntities.push_back(op.entity_id());
        QCOMPARE(gainedEntities, (std::vector<std::string>{caseId, noteId, caseId}));
        QCOMPARE(successorClient->exchangeKeepingNotifies(pushOf(4, {noteAppend(successor, testUuid(1603), caseId)}),
                                                          notifies).ack().accepted_size(), 1);
        QCOMPARE(formerClient->exchangeKeepingNotifies(pushOf(5, {noteAppend(former, testUuid(1604), caseId)}), notifies)
                     .ack().rejected_size(), 1);
    }

    // A client that keeps sending Pulls without reading the answers is held back (the
    // server stops reading it while its queue is long) instead of growing the server's
    // queue until it is cut off; other clients are served meanwhile, and the flooder
    // gets every answer once it reads.
    void floodingClientIsHeldBack_data() { addStoreRows(); }
    void floodingClientIsHeldBack()
    {
        auto options = net::testing::fastOptions();
        options.limits.frameBytes = 64 * 1024;
        options.limits.websocketQueueBytes = 256 * 1024;
        net::Handlers handlers;
        handlers.sync = m_world->core().service().sessionFactory();
        net::testing::TestServer server(options, handlers);
        const Device kiosk = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        Client writer(server.port());
        QVERIFY(writer.exchange(helloOf(kiosk)).has_welcome());
        for (unsigned long long batch = 0; batch < 30; ++batch) {
            std::vector<v1::Operation> ops;
            for (unsigned long long i = 0; i < 3; ++i)
                ops.push_back(ticketCreate(kiosk, ourPresidio, testUuid(2000 + batch * 3 + i)));
            QCOMPARE(writer.exchange(pushOf(200 + batch, ops)).ack().accepted_size(), 3);
        }
        const std::size_t answerBytes = writer.exchange(pullOf("", 0)).ByteSizeLong();
        QVERIFY(answerBytes > 8 * 1024);

        Client flooder(server.port());
        QVERIFY(flooder.exchange(helloOf(kiosk)).has_welcome());
        // Far more answers than the queue and the sockets' buffers hold together.
        const int pulls = static_cast<int>(16 * 1024 * 1024 / answerBytes);
        for (int i = 0; i < pulls; ++i)
            flooder.send(pullOf("", 0));
        QVERIFY(writer.exchange(pullOf("", 0)).has_changes());
        for (int i = 0; i < pulls; ++i) {
            auto answer = flooder.receive();
            QVERIFY2(answer.ok(), answer.ok() ? "" : answer.error().message.c_str());
            QVERIFY(answer->has_changes());
        }
        QVERIFY(!server.logged({"websocket_slow_reader"}));
    }

    void feedPayloadsStayUnderTheLimit()
    {
        std::vector<syncserver::ChangeScope> changes;
        for (int i = 0; i < 400; ++i)
            changes.push_back({v1::ENTITY_TYPE_NOTE, testUuid(static_cast<unsigned long long>(i)), "P-M01-01",
                               i % 3 == 0 ? std::string("odd\tvalue\nwith %25") : std::string()});
        const std::vector<std::string> payloads = syncserver::encodeFeedPayloads("instance", changes, 99);
        QVERIFY(payloads.size() > 1);
        std::vector<syncserver::ChangeScope> decoded;
        for (const std::string &payload : payloads) {
            QVERIFY(payload.size() < 8000);
            auto read = syncserver::decodeFeedPayload(payload);
            EXPECT_OK(read);
            QCOMPARE(read->instance, std::string("instance"));
            QCOMPARE(read->latest, std::int64_t(99));
            decoded.insert(decoded.end(), read->changes.begin(), read->changes.end());
        }
        QCOMPARE(decoded.size(), changes.size());
        for (std::size_t i = 0; i < changes.size(); ++i) {
            QCOMPARE(decoded[i].entityId, changes[i].entityId);
            QCOMPARE(decoded[i].assigned, changes[i].assigned);
            QCOMPARE(decoded[i].type, changes[i].type);
        }
        QVERIFY(!syncserver::decodeFeedPayload("somebody else's notification").ok());
        QVERIFY(!syncserver::decodeFeedPayload("sigess-feed-1\tx\t1\n5\tid").ok());
    }

    // Two backend instances on one PostgreSQL: a push through A reaches a device on B
    // (Notify, then the op on Pull), and a revocation made through A closes B's connection.
    void fanOutAcrossInstances_data()
    {
        QTest::addColumn<int>("unused");
        QTest::newRow("postgres") << 0;
    }
    void fanOutAcrossInstances()
    {
        const std::string connection = m_world->store().postgres()->connectionString;
        auto feedA = syncserver::PostgresChangeFeed::open(m_world->database(), {connection});
        EXPECT_OK(feedA);
        syncserver::SyncService serviceA(m_world->database(), m_world->identity(), m_world->core().hlc(), **feedA,
                                         sync::ServerRules(sync::standardCaseTransitions()));
        net::Handlers handlersA;
        handlersA.sync = serviceA.sessionFactory();
        net::testing::TestServer serverA(net::testing::fastOptions(), handlersA);

        auto databaseB = storage::openPostgresDatabase(*m_world->store().postgres());
        EXPECT_OK(databaseB);
        core::HybridLogicalClock hlcB(m_world->core().clock());
        core::UuidV7Generator idsB(m_world->core().clock());
        identity::IdentityOptions identityOptions;
        identityOptions.passwordCost = identity::PasswordCost::minimum();
        identity::IdentityService identityB(**databaseB, m_world->core().clock(), hlcB, idsB, identityOptions);
        auto feedB = syncserver::PostgresChangeFeed::open(**databaseB, {connection});
        EXPECT_OK(feedB);
        syncserver::SyncService serviceB(**databaseB, identityB, hlcB, **feedB,
                                         sync::ServerRules(sync::standardCaseTransitions()));
        net::Handlers handlersB;
        handlersB.sync = serviceB.sessionFactory();
        net::testing::TestServer serverB(net::testing::fastOptions(), handlersB);

        const Device writer = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        const Device reader = m_world->enroll(v1::DEVICE_KIND_KIOSK, ourPresidio);
        Client writerClient(serverA.port());
        QVERIFY(writerClient.exchange(helloOf(writer)).has_welcome());
        Client readerClient(serverB.port());
        QVERIFY(readerClient.exchange(helloOf(reader)).has_welcome());

        const v1::Operation ticket = ticketCreate(writer, ourPresidio, testUuid(1500));
        const v1::Envelope writerAck = writerClient.exchange(pushOf(1, {ticket}));
        QCOMPARE(writerAck.ack().accepted_size(), 1);
        auto notify = readerClient.receive();
        QVERIFY(notify.ok());
        QVERIFY2(notify->has_notify(), notify->DebugString().c_str());
        const v1::Envelope changes = readerClient.exchange(pullOf("", 0));
        QCOMPARE(changes.changes().ops_size(), 1);
        QCOMPARE(changes.changes().ops(0).op_id(), ticket.op_id());
        QCOMPARE(changes.changes().next_cursor(), notify->notify().latest_cursor());
        // Either instance's Acks name the start of the one log.
        const v1::Envelope readerAck
            = readerClient.exchange(pushOf(2, {ticketCreate(reader, ourPresidio, testUuid(1501))}));
        QCOMPARE(readerAck.ack().accepted_size(), 1);
        QCOMPARE(writerAck.ack().start_cursor(), logEpoch() + ":0");
        QCOMPARE(readerAck.ack().start_cursor(), writerAck.ack().start_cursor());

        EXPECT_OK(m_world->identity().revokeDevice(reader.id));
        (*feedA)->publish({syncserver::rightsChanged(v1::ENTITY_TYPE_DEVICE, reader.id)}, 0, nullptr);
        auto wipe = readerClient.receive();
        QVERIFY(wipe.ok());
        QVERIFY2(wipe->has_wipe(), wipe->DebugString().c_str());
        QCOMPARE((*feedA)->failedRelays(), std::uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestSyncServer)
#include "tst_sync_server.moc"
