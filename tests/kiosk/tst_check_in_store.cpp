// The kiosk's store: check-ins written through the Replica while offline, ticket
// numbers unique across two offline kiosks of one presidio, numbering after a restart
// and on a new day, wait estimates, and sync with the purge of personal fields.
#include "check_in_store.h"
#include "kiosk_fixture.h"
#include "ticket_queue.h"

#include "core/clock.h"

#include <QDateTime>
#include <QTest>

#include <set>

using namespace sigess;
using namespace sigess::kiosk;
using namespace sigess::kiosk::testing;

namespace {

// 10:00 local time on a weekday, so a day's tickets never straddle midnight.
std::uint64_t morning(int dayOffset = 0)
{
    return static_cast<std::uint64_t>(
        QDateTime(QDate(2026, 11, 30).addDays(dayOffset), QTime(10, 0)).toMSecsSinceEpoch());
}

v1::Intake intakeOf(const char *name, std::initializer_list<const char *> needs, bool priority = false)
{
    v1::Intake intake;
    intake.set_language("it");
    intake.set_consent_given(true);
    intake.set_given_name(name);
    intake.set_phone("3331234567");
    intake.set_detail("vorrei parlare con qualcuno");
    for (const char *need : needs)
        intake.add_needs(need);
    intake.set_priority(priority);
    return intake;
}

std::unique_ptr<CheckInStore> openStore(const KioskConfig &config, const core::Clock &clock)
{
    Result<std::unique_ptr<CheckInStore>> store
        = CheckInStore::open(config, clock, store::Argon2Cost::cheapestForTests());
    if (!store.ok())
        qFatal("%s", store.error().describe().c_str());
    return std::move(store).value();
}

const char *kioskOne = "01900000-0000-7000-8000-000000000001";
const char *kioskTwo = "01900000-0000-7000-8000-000000000002";

} // namespace

class TestCheckInStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void checkInWritesIntakeAndTicketOffline()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto store = openStore(kioskConfig(dir, kioskOne, "1"), clock);
        Result<CheckIn> done = store->checkIn(intakeOf("Maria", { "HOUSING", "FOOD" }));
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().describe().c_str());
        QCOMPARE(done->ticket.number(), "A1-001");
        QCOMPARE(done->ticket.state(), v1::TICKET_STATE_WAITING);
        QCOMPARE(done->ticket.meta().presidio(), "P-M01-01");
        QCOMPARE(done->wait.ahead, 0);

        Result<std::optional<v1::Intake>> intake = store->intake(done->ticket.intake());
        QVERIFY(intake.ok() && intake->has_value());
        QCOMPARE((*intake)->given_name(), "Maria");
        QCOMPARE((*intake)->ticket(), done->ticket.meta().id());
        QCOMPARE((*intake)->access_channel(), "IN_PERSON");
        QCOMPARE((*intake)->needs_size(), 2);
        QCOMPARE(*store->outboxSize(), std::size_t { 2 }); // the intake and the ticket
    }

    void numbersFollowOnAndSurviveARestart()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        const KioskConfig config = kioskConfig(dir, kioskOne, "1");
        {
            auto store = openStore(config, clock);
            for (int i = 1; i <= 3; ++i) {
                clock.advance(60'000);
                QCOMPARE(store->checkIn(intakeOf("Anna", { "WORK" }))->ticket.number(),
                    formatTicketNumber(QStringLiteral("A1"), i).toStdString());
            }
        }
        auto reopened = openStore(config, clock);
        QCOMPARE(reopened->todaysQueue().size(), std::size_t { 3 });
        QCOMPARE(reopened->checkIn(intakeOf("Bea", { "WORK" }))->ticket.number(), "A1-004");
        clock.set(morning(1));
        QCOMPARE(reopened->checkIn(intakeOf("Carla", { "WORK" }))->ticket.number(), "A1-001");
        QCOMPARE(reopened->todaysQueue().size(), std::size_t { 1 });
    }

    void twoOfflineKiosksNeverIssueTheSameNumber()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto first = openStore(kioskConfig(dir, kioskOne, "1"), clock);
        auto second = openStore(kioskConfig(dir, kioskTwo, "2"), clock);
        std::set<std::string> numbers;
        FakeSyncServer server;
        for (int i = 0; i < 40; ++i) {
            clock.advance(1'000);
            QVERIFY(numbers.insert((i % 2 ? first : second)->checkIn(intakeOf("X", { "OTHER" }))->ticket.number()).second);
        }
        QCOMPARE(numbers.size(), std::size_t { 40 });
        // Both come online: the server takes every ticket of both.
        for (CheckInStore *store : { first.get(), second.get() }) {
            Result<std::optional<v1::Push>> push = store->nextPush(1000);
            QVERIFY(push.ok() && push->has_value());
            const v1::Ack ack = server.push(**push);
            QCOMPARE(ack.rejected_size(), 0);
            QVERIFY(store->settle(ack).ok());
        }
        QCOMPARE(server.entityCount(v1::ENTITY_TYPE_TICKET), std::size_t { 40 });
    }

    void waitCountsWhoIsCalledFirst()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        KioskConfig config = kioskConfig(dir, kioskOne, "1");
        config.minutesPerTicket = 10;
        config.openDesks = 2;
        auto store = openStore(config, clock);
        for (int i = 0; i < 3; ++i) {
            clock.advance(1'000);
            QVERIFY(store->checkIn(intakeOf("X", { "WORK" })).ok());
        }
        clock.advance(1'000);
        const CheckIn routine = *store->checkIn(intakeOf("Y", { "WORK" }));
        QCOMPARE(routine.wait.ahead, 3);
        QCOMPARE(routine.wait.minutes, 15); // 3 * 10 / 2 desks, up to the next 5 minutes
        clock.advance(1'000);
        const CheckIn urgent = *store->checkIn(intakeOf("Z", { "SAFETY" }, true));
        QVERIFY(urgent.ticket.priority());
        QCOMPARE(urgent.wait.ahead, 0);
        QCOMPARE(urgent.wait.minutes, 0);
        QCOMPARE(store->todaysQueue().front().meta().id(), urgent.ticket.meta().id());
    }

    void syncPurgesPersonalFieldsOnceAcknowledged()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto store = openStore(kioskConfig(dir, kioskOne, "1"), clock);
        const CheckIn done = *store->checkIn(intakeOf("Maria", { "HOUSING" }));
        const std::string intakeId = done.ticket.intake();

        FakeSyncServer server;
        Result<std::optional<v1::Push>> push = store->nextPush(100);
        QVERIFY(push.ok() && push->has_value());
        // An Ack lost on the way: nothing is purged, and the resend is idempotent.
        (void)server.push(**push);
        QCOMPARE((*store->intake(intakeId))->given_name(), "Maria");
        QVERIFY(store->resendUnacknowledged().ok());
        push = store->nextPush(100);
        const v1::Ack ack = server.push(**push);
        QCOMPARE(ack.accepted_size(), 2);
        QVERIFY(store->settle(ack).ok());

        const v1::Intake kept = **store->intake(intakeId);
        QVERIFY(kept.given_name().empty());
        QVERIFY(kept.phone().empty());
        QVERIFY(kept.detail().empty());
        QCOMPARE(kept.needs_size(), 0);
        QCOMPARE(kept.ticket(), done.ticket.meta().id()); // not personal: kept
        QCOMPARE(*store->outboxSize(), std::size_t { 0 });
        // The server holds the whole intake.
        const sync::EntityState *held = server.entity(v1::ENTITY_TYPE_INTAKE, intakeId);
        QVERIFY(held);
        QCOMPARE(static_cast<const v1::Intake &>(*held->message).given_name(), "Maria");
    }

    void pulledCallsReachTheQueue()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto store = openStore(kioskConfig(dir, kioskOne, "1"), clock);
        const CheckIn done = *store->checkIn(intakeOf("Maria", { "HOUSING" }));
        FakeSyncServer server;
        QVERIFY(store->settle(server.push(**store->nextPush(100))).ok());

        v1::Ticket call;
        call.set_state(v1::TICKET_STATE_CALLED);
        call.set_desk("Sportello 2");
        v1::Operation operation;
        operation.set_op_id("01900000-0000-7000-8000-0000000000aa");
        *operation.mutable_hlc() = v1::Hlc();
        operation.mutable_hlc()->set_wall_ms(morning() + 60'000);
        operation.set_device("01900000-0000-7000-8000-0000000000dd");
        operation.set_entity_type(v1::ENTITY_TYPE_TICKET);
        operation.set_entity_id(done.ticket.meta().id());
        operation.set_kind(v1::OP_KIND_UPDATE);
        operation.add_fields(v1::Ticket::kStateFieldNumber);
        operation.add_fields(v1::Ticket::kDeskFieldNumber);
        operation.set_patch(call.SerializeAsString());
        server.record(operation);

        const v1::Pull pull = *store->pullRequest(100);
        QVERIFY(store->applyChanges(server.pull(pull), pull.cursor()).ok());
        QCOMPARE(store->todaysQueue().size(), std::size_t { 1 });
        QCOMPARE(store->todaysQueue().front().state(), v1::TICKET_STATE_CALLED);
        QCOMPARE(store->todaysQueue().front().desk(), "Sportello 2");
    }

    void wrongDeviceSecretDoesNotOpenTheStore()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        KioskConfig config = kioskConfig(dir, kioskOne, "1");
        { auto store = openStore(config, clock); }
        QFile::remove(config.deviceSecretPath);
        Result<std::unique_ptr<CheckInStore>> reopened
            = CheckInStore::open(config, clock, store::Argon2Cost::cheapestForTests());
        QVERIFY(!reopened.ok());
    }
};

QTEST_GUILESS_MAIN(TestCheckInStore)
#include "tst_check_in_store.moc"
