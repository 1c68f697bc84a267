// Replayed and duplicated Push frames at the protocol level, over a real connection on
// loopback through SyncClient (issue #5): an old batch sent again after newer writes to
// the same entity, and one batch sent twice at once, are acknowledged again and change
// nothing: no log row, no head move, no field going back. What tst_sync_server already
// covers (the same batch twice in a row, frames before Hello, a second Hello, malformed,
// oversized and server-only frames) is not repeated here.
#include "backend/sync/device_client.h"
#include "backend/sync/sync_world.h"
#include "backend/sync/sync_world_server.h"
#include "operation_builder.h"
#include "support/result_checks.h"
#include "sync_client/sync_client.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <optional>

using namespace sigess;
using namespace std::chrono_literals;
using sync::testing::makeOperation;
using sync::testing::testUuid;

namespace {

constexpr int ticketDeskField = 6;

v1::Push pushOf(std::uint64_t batch, const std::vector<v1::Operation> &ops)
{
    v1::Push push;
    push.set_batch_id(batch);
    for (const v1::Operation &operation : ops)
        *push.add_ops() = operation;
    return push;
}

} // namespace

class TestSyncReplay : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<test::ServedTablet> m_served;
    std::unique_ptr<sync::SyncClient> m_client;
    std::promise<void> m_welcomed;
    unsigned long long m_nextOp = 1;

    Result<v1::Ack> push(const v1::Push &batch)
    {
        auto answer = std::make_shared<std::promise<Result<v1::Ack>>>();
        std::future<Result<v1::Ack>> acked = answer->get_future();
        m_client->push(batch, [answer](Result<v1::Ack> ack) { answer->set_value(std::move(ack)); });
        if (acked.wait_for(10s) != std::future_status::ready)
            return makeError(ErrorCode::Unavailable, "no answer within 10 s");
        return acked.get();
    }

    v1::Operation deskChange(const std::string &ticketId, const std::string &desk)
    {
        v1::Ticket ticket;
        ticket.set_desk(desk);
        return makeOperation(testUuid(m_nextOp++), m_served->tablet.id, m_served->world->hlc().now(),
                             v1::OP_KIND_UPDATE, ticketId, ticket, {ticketDeskField});
    }

    v1::Operation ticketCreate(const std::string &ticketId)
    {
        v1::Ticket ticket;
        ticket.mutable_meta()->set_presidio(test::ourPresidio);
        ticket.set_number("A-001");
        ticket.set_state(v1::TICKET_STATE_WAITING);
        return makeOperation(testUuid(m_nextOp++), m_served->tablet.id, m_served->world->hlc().now(),
                             v1::OP_KIND_CREATE, ticketId, ticket, {2, 4});
    }

    std::string deskOnServer(const std::string &ticketId)
    {
        auto tickets = m_served->world->entities(v1::ENTITY_TYPE_TICKET);
        v1::Ticket ticket;
        if (!tickets.ok() || !tickets->contains(ticketId) || !ticket.ParseFromString(tickets->at(ticketId)))
            qFatal("the server holds no ticket %s", ticketId.c_str());
        return ticket.desk();
    }

    std::size_t logged()
    {
        auto operations = m_served->world->loggedOperations();
        if (!operations.ok())
            qFatal("%s", operations.error().describe().c_str());
        return operations->size();
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        const QString serverDir = m_dir.filePath(QString::fromLatin1(QTest::currentTestFunction()));
        QVERIFY(QDir().mkpath(serverDir));
        auto served = test::ServedTablet::open(serverDir.toStdString());
        EXPECT_OK(served);
        m_served = std::move(served).value();
        const sync::SyncClientOptions options = test::clientOptionsFor(m_served->server->url(), m_served->tablet);
        m_welcomed = {};
        sync::SyncEvents events;
        auto welcomed = std::make_shared<std::once_flag>();
        events.connected = [this, welcomed](const v1::Welcome &) {
            std::call_once(*welcomed, [this] { m_welcomed.set_value(); });
        };
        m_client = std::make_unique<sync::SyncClient>(options, events);
        EXPECT_OK(m_client->start());
        QVERIFY(m_welcomed.get_future().wait_for(10s) == std::future_status::ready);
    }

    void cleanup()
    {
        m_client.reset();
        m_served.reset();
    }

    void oldBatchReplayedAfterNewerWritesChangesNothing()
    {
        const std::string ticketId = testUuid(900);
        const v1::Push created = pushOf(1, {ticketCreate(ticketId)});
        const v1::Push first = pushOf(2, {deskChange(ticketId, "desk 1")});
        const v1::Push second = pushOf(3, {deskChange(ticketId, "desk 2")});
        for (const v1::Push *batch : {&created, &first, &second}) {
            Result<v1::Ack> ack = push(*batch);
            EXPECT_OK(ack);
            QCOMPARE(ack->accepted_size(), 1);
        }
        QCOMPARE(deskOnServer(ticketId), std::string("desk 2"));
        const std::size_t before = logged();

        for (const v1::Push *batch : {&first, &created, &first}) {
            Result<v1::Ack> again = push(*batch);
            EXPECT_OK(again);
            QCOMPARE(again->batch_id(), batch->batch_id());
            QCOMPARE(again->accepted_size(), 1);  // acknowledged again, so the device settles it
            QCOMPARE(again->rejected_size(), 0);
        }
        QCOMPARE(deskOnServer(ticketId), std::string("desk 2"));
        QCOMPARE(logged(), before);
    }

    void batchSentTwiceAtOnceIsLoggedOnce()
    {
        const std::string ticketId = testUuid(901);
        const v1::Push batch = pushOf(1, {ticketCreate(ticketId), deskChange(ticketId, "desk 1")});
        auto firstAnswer = std::make_shared<std::promise<Result<v1::Ack>>>();
        auto secondAnswer = std::make_shared<std::promise<Result<v1::Ack>>>();
        // Both in flight before either is answered, as after a resend on a slow link.
        m_client->push(batch, [firstAnswer](Result<v1::Ack> ack) { firstAnswer->set_value(std::move(ack)); });
        m_client->push(batch, [secondAnswer](Result<v1::Ack> ack) { secondAnswer->set_value(std::move(ack)); });
        for (auto *answer : {firstAnswer.get(), secondAnswer.get()}) {
            std::future<Result<v1::Ack>> acked = answer->get_future();
            QVERIFY(acked.wait_for(10s) == std::future_status::ready);
            Result<v1::Ack> ack = acked.get();
            EXPECT_OK(ack);
            QCOMPARE(ack->accepted_size(), 2);
        }
        QCOMPARE(logged(), std::size_t(2));
        QCOMPARE(deskOnServer(ticketId), std::string("desk 1"));
    }

    void outOfOrderStampsKeepTheLatestWrite()
    {
        const std::string ticketId = testUuid(902);
        EXPECT_OK(push(pushOf(1, {ticketCreate(ticketId)})));
        const v1::Operation older = deskChange(ticketId, "older");
        const v1::Operation newer = deskChange(ticketId, "newer");
        // The newer write arrives first, the older one after it, in separate frames.
        EXPECT_OK(push(pushOf(2, {newer})));
        Result<v1::Ack> late = push(pushOf(3, {older}));
        EXPECT_OK(late);
        QCOMPARE(late->accepted_size(), 1);
        QCOMPARE(deskOnServer(ticketId), std::string("newer"));
    }
};

QTEST_GUILESS_MAIN(TestSyncReplay)
#include "tst_sync_replay.moc"
