// The kiosk's store: check-ins written through the Replica while offline, ticket
// numbers unique across two offline kiosks of one presidio, numbering after a restart
// and on a new day, wait estimates, the purge of personal fields once the backend has
// acknowledged an intake, and a desk's call pulled into today's queue. (The same against
// the real sync server: tst_kiosk_sync.)
#include "check_in_store.h"
#include "kiosk_fixture.h"
#include "ticket_queue.h"

#include "core/clock.h"

#include <QDateTime>
#include <QFile>
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

// What the backend answers when it takes every operation the kiosk pushes.
void acknowledgeEverything(CheckInStore &store)
{
    Result<std::vector<v1::Operation>> pushed = store.replica().pendingBatch(1000);
    if (!pushed.ok())
        qFatal("%s", pushed.error().describe().c_str());
    v1::Ack ack;
    for (const v1::Operation &operation : *pushed)
        ack.add_accepted(operation.op_id());
    if (!store.replica().acknowledge(ack).ok())
        qFatal("the Ack does not settle");
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
        auto store = openStore(kioskConfig(dir, kioskOne, "A"), clock);
        Result<CheckIn> done = store->checkIn(intakeOf("Maria", { "HOUSING", "FOOD" }));
        QVERIFY2(done.ok(), done.ok() ? "" : done.error().describe().c_str());
        QCOMPARE(done->ticket.number(), "A-001");
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
        const KioskConfig config = kioskConfig(dir, kioskOne, "A");
        {
            auto store = openStore(config, clock);
            for (int i = 1; i <= 3; ++i) {
                clock.advance(60'000);
                QCOMPARE(store->checkIn(intakeOf("Anna", { "WORK" }))->ticket.number(),
                    formatTicketNumber(QStringLiteral("A"), i).toStdString());
            }
        }
        auto reopened = openStore(config, clock);
        QCOMPARE(reopened->todaysQueue().size(), std::size_t { 3 });
        QCOMPARE(reopened->checkIn(intakeOf("Bea", { "WORK" }))->ticket.number(), "A-004");
        clock.set(morning(1));
        QCOMPARE(reopened->checkIn(intakeOf("Carla", { "WORK" }))->ticket.number(), "A-001");
        QCOMPARE(reopened->todaysQueue().size(), std::size_t { 1 });
    }

    void twoOfflineKiosksNeverIssueTheSameNumber()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto first = openStore(kioskConfig(dir, kioskOne, "A"), clock);
        auto second = openStore(kioskConfig(dir, kioskTwo, "B"), clock);
        std::set<std::string> numbers;
        for (int i = 0; i < 40; ++i) {
            clock.advance(1'000);
            QVERIFY(numbers.insert((i % 2 ? first : second)->checkIn(intakeOf("X", { "OTHER" }))->ticket.number()).second);
        }
        QCOMPARE(numbers.size(), std::size_t { 40 });
    }

    void waitCountsWhoIsCalledFirst()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        KioskConfig config = kioskConfig(dir, kioskOne, "A");
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

    void acknowledgedIntakesLoseTheirPersonalFields()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto store = openStore(kioskConfig(dir, kioskOne, "A"), clock);
        const CheckIn done = *store->checkIn(intakeOf("Maria", { "HOUSING" }));
        const std::string intakeId = done.ticket.intake();

        // Pushed but not yet acknowledged (an Ack lost on the way): nothing is purged.
        QCOMPARE(store->replica().pendingBatch(100)->size(), std::size_t { 2 });
        QVERIFY(store->purgeAcknowledged().ok());
        QCOMPARE((*store->intake(intakeId))->given_name(), "Maria");

        QVERIFY(store->replica().resendUnacknowledged().ok());
        acknowledgeEverything(*store);
        QVERIFY(store->purgeAcknowledged().ok());
        const v1::Intake kept = **store->intake(intakeId);
        QVERIFY(kept.given_name().empty());
        QVERIFY(kept.phone().empty());
        QVERIFY(kept.detail().empty());
        QCOMPARE(kept.needs_size(), 0);
        QCOMPARE(kept.ticket(), done.ticket.meta().id()); // not personal: kept
        QCOMPARE(kept.language(), "it");
        QCOMPARE(*store->outboxSize(), std::size_t { 0 });
    }

    void pulledCallsReachTheQueue()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        auto store = openStore(kioskConfig(dir, kioskOne, "A"), clock);
        const CheckIn done = *store->checkIn(intakeOf("Maria", { "HOUSING" }));
        acknowledgeEverything(*store);

        v1::Ticket call;
        call.set_state(v1::TICKET_STATE_CALLED);
        call.set_desk("Sportello 2");
        v1::Changes changes;
        v1::Operation &operation = *changes.add_ops();
        operation.set_op_id("01900000-0000-7000-8000-0000000000aa");
        operation.mutable_hlc()->set_wall_ms(morning() + 60'000);
        operation.set_device("01900000-0000-7000-8000-0000000000dd");
        operation.set_entity_type(v1::ENTITY_TYPE_TICKET);
        operation.set_entity_id(done.ticket.meta().id());
        operation.set_kind(v1::OP_KIND_UPDATE);
        operation.add_fields(v1::Ticket::kStateFieldNumber);
        operation.add_fields(v1::Ticket::kDeskFieldNumber);
        operation.set_patch(call.SerializeAsString());
        changes.set_next_cursor("1");

        QVERIFY(store->replica().applyChanges(changes, "").ok());
        QCOMPARE(store->todaysQueue().front().state(), v1::TICKET_STATE_WAITING); // until it is read again
        QVERIFY(store->reloadQueue().ok());
        QCOMPARE(store->todaysQueue().size(), std::size_t { 1 });
        QCOMPARE(store->todaysQueue().front().state(), v1::TICKET_STATE_CALLED);
        QCOMPARE(store->todaysQueue().front().desk(), "Sportello 2");
    }

    void eraseLeavesNothingOfTheStore()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        KioskConfig config = kioskConfig(dir, kioskOne, "A");
        config.credentialPath = dir.filePath(QStringLiteral("credential"));
        QFile credential(config.credentialPath);
        QVERIFY(credential.open(QIODevice::WriteOnly) && credential.write("secret\n") > 0);
        credential.close();
        {
            auto store = openStore(config, clock);
            QVERIFY(store->checkIn(intakeOf("Maria", { "HOUSING" })).ok());
        }
        QVERIFY(QFile::exists(config.storePath) && QFile::exists(config.keyPath));
        QVERIFY(eraseKioskFiles(config).ok());
        for (const QString &path : { config.storePath, config.storePath + QStringLiteral("-wal"), config.storePath + QStringLiteral("-shm"),
                 config.keyPath, config.credentialPath })
            QVERIFY2(!QFile::exists(path), qPrintable(path));
        QVERIFY(eraseKioskFiles(config).ok()); // nothing left to erase is not an error
    }

    void wrongDeviceSecretDoesNotOpenTheStore()
    {
        QTemporaryDir dir;
        core::ManualClock clock(morning());
        KioskConfig config = kioskConfig(dir, kioskOne, "A");
        { auto store = openStore(config, clock); }
        QFile::remove(config.deviceSecretPath);
        Result<std::unique_ptr<CheckInStore>> reopened
            = CheckInStore::open(config, clock, store::Argon2Cost::cheapestForTests());
        QVERIFY(!reopened.ok());
    }
};

QTEST_GUILESS_MAIN(TestCheckInStore)
#include "tst_check_in_store.moc"
