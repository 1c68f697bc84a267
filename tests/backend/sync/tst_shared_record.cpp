// One shared record: what the JSON API writes is in the sync log that devices pull, and
// what devices push is in the API's tables (sync/server_writes.h,
// sync/record_projection.h), both audited (sync/sync_audit.h); on both stores.
#include "api_fixture.h"
#include "core/text_codec.h"
#include "operation_builder.h"
#include "storage/citizen_repository.h"
#include "support/result_checks.h"
#include "sync/frame_codec.h"
#include "sync/server_writes.h"
#include "sync/sync_repository.h"
#include "sync/sync_service.h"

#include <google/protobuf/util/message_differencer.h>

#include <QTest>

#include <latch>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace sigess;
using sigess::sync::testing::makeOperation;
using sigess::sync::testing::testUuid;
using namespace sigess::test;

namespace {

bool sameMessage(const google::protobuf::Message &a, const google::protobuf::Message &b)
{
    return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// Every operation a peer is sent, pulling from the start until the server says no more.
struct Pulled {
    std::vector<v1::Operation> ops;
    int frames = 0;
    std::string rejection;

    bool holds(const std::string &entityId) const
    {
        return std::any_of(ops.begin(), ops.end(), [&](const v1::Operation &op) { return op.entity_id() == entityId; });
    }
};

} // namespace

class TestSharedRecord : public QObject {
    Q_OBJECT

private:
    TestPostgresServer m_postgres;
    std::unique_ptr<ApiFixture> m_api;
    std::unique_ptr<syncserver::SyncService> m_sync;
    std::vector<std::vector<syncserver::ChangeScope>> m_published;
    std::uint64_t m_nextOp = 1;

    ApiFixture &api() { return *m_api; }

    // A tablet signed in as `client` (or the kiosk itself), as Welcome would make it.
    syncserver::Peer tabletOf(const Client &client, std::uint64_t device)
    {
        Result<policy::Principal> principal = api().identityService().authenticateSession(client.secret);
        if (!principal.ok())
            qFatal("session of %s: %s", client.id.c_str(), principal.error().describe().c_str());
        syncserver::Peer peer{testUuid(device), *principal};
        peer.principal.deviceId = peer.deviceId;
        return peer;
    }

    syncserver::Peer kioskPeer(const Client &kiosk)
    {
        Result<identity::DeviceIdentity> device = api().identityService().authenticateDevice(kiosk.secret);
        if (!device.ok())
            qFatal("kiosk credential: %s", device.error().describe().c_str());
        return syncserver::Peer{kiosk.id, device->principal};
    }

    Pulled pullAll(const syncserver::Peer &peer, std::uint32_t limit = 0)
    {
        Pulled pulled;
        std::string cursor;
        for (;;) {
            v1::Pull pull;
            pull.set_cursor(cursor);
            pull.set_limit(limit);
            const auto sequence = static_cast<std::uint64_t>(pulled.frames) + 1;
            Result<v1::Envelope> decoded = sync::decodeFrame(m_sync->pull(peer, pull, sequence));
            if (!decoded.ok())
                qFatal("the Pull's answer does not decode: %s", decoded.error().describe().c_str());
            const v1::Envelope &reply = *decoded;
            if (reply.sequence() != sequence)
                qFatal("the Pull's answer carries sequence %llu, not %llu",
                       static_cast<unsigned long long>(reply.sequence()), static_cast<unsigned long long>(sequence));
            if (!reply.has_changes()) {
                pulled.rejection = reply.reject().code() + ": " + reply.reject().reason();
                return pulled;
            }
            ++pulled.frames;
            for (const v1::Operation &op : reply.changes().ops())
                pulled.ops.push_back(op);
            cursor = reply.changes().next_cursor();
            if (!reply.changes().more())
                return pulled;
        }
    }

    v1::Ack push(const syncserver::Peer &peer, const std::vector<v1::Operation> &ops)
    {
        v1::Push frame;
        frame.set_batch_id(m_nextOp);
        for (const v1::Operation &op : ops)
            *frame.add_ops() = op;
        const v1::Envelope reply = m_sync->push(peer, frame, this);
        if (!reply.has_ack())
            qFatal("push refused: %s", reply.reject().reason().c_str());
        return reply.ack();
    }

    v1::Operation deviceOp(const syncserver::Peer &peer, v1::OpKind kind, const std::string &entityId,
                           const google::protobuf::Message &patch, const std::vector<int> &fields,
                           std::int64_t skewMs = 0)
    {
        const core::HlcStamp stamp{static_cast<std::uint64_t>(static_cast<std::int64_t>(api().clock().nowMs()) + skewMs),
                                   0};
        return makeOperation(testUuid(1'000'000 + m_nextOp++), peer.deviceId, stamp, kind, entityId, patch, fields);
    }

    // The merged entity the sync store holds.
    template <typename Message> Message merged(const std::string &id)
    {
        const sync::EntityKind *kind = sync::findEntityKind(Message::descriptor());
        Result<std::optional<sync::EntityState>> held = syncserver::SyncRepository(api().database()).loadEntity(*kind, id);
        Message message;
        if (held.ok() && held->has_value())
            message.CopyFrom(*(*held)->message);
        return message;
    }

    std::string createCitizen(const Client &client, const std::string &family)
    {
        return createdId(api().post("/api/v1/citizens", client,
                                    R"({"family_name":")" + family + R"(","given_name":"Anna"})"),
                         "citizen");
    }

private Q_SLOTS:
    void init()
    {
        EXPECT_OK(ApiFixture::openForCurrentRow(m_api, m_postgres));
        if (!m_api)
            return;
        m_sync = std::make_unique<syncserver::SyncService>(api().database(), api().identityService(), api().hlc(),
                                                           api().feed(), sync::ServerRules(sync::standardCaseTransitions()));
        m_published.clear();
        api().feed().subscribe([this](const std::vector<syncserver::ChangeScope> &changes, std::int64_t, const void *origin) {
            if (origin == nullptr)
                m_published.push_back(changes);
        });
    }

    void cleanup()
    {
        m_sync.reset();
        m_api.reset();
    }

    void serverWrites_data() { addStoreRows(); }
    void serverWrites()
    {
        v1::Citizen citizen;
        citizen.mutable_meta()->set_id(testUuid(42));
        citizen.mutable_meta()->set_presidio(kHome);
        citizen.set_family_name("Rossi");
        citizen.set_given_name("Maria");
        const auto writeIn = [&](const std::function<Status(syncserver::ServerWrites &)> &body) {
            syncserver::PendingChanges pending;
            const Status written = api().database().transaction([&](storage::SqlExecutor &sql) -> Status {
                syncserver::ServerWrites writes(sql, api().hlc(), api().ids());
                SIGESS_TRY(body(writes));
                Result<syncserver::PendingChanges> logged = writes.finish();
                if (!logged.ok())
                    return logged.takeError();
                pending = std::move(logged).value();
                return {};
            });
            return std::pair{written, pending};
        };

        auto [created, createdChanges] = writeIn([&](syncserver::ServerWrites &writes) { return writes.create(citizen); });
        EXPECT_OK(created);
        QCOMPARE(createdChanges.changes.size(), std::size_t{1});
        QCOMPARE(createdChanges.changes[0].presidio, std::string(kHome));
        QCOMPARE(citizen.meta().origin_device(), std::string(syncserver::serverDeviceId));
        QVERIFY(citizen.meta().has_created());
        // The table row is the merged entity, stamps included.
        Result<v1::Citizen> row = storage::CitizenRepository(api().database()).byId(citizen.meta().id());
        EXPECT_OK(row);
        QVERIFY(sameMessage(*row, citizen));
        QVERIFY(sameMessage(merged<v1::Citizen>(citizen.meta().id()), citizen));
        Result<std::vector<syncserver::LoggedOperation>> log
            = syncserver::SyncRepository(api().database()).operationsAfter(0, 100);
        EXPECT_OK(log);
        QCOMPARE(log->size(), std::size_t{1});
        v1::Operation logged;
        QVERIFY(logged.ParseFromString(log->back().encoded));
        QCOMPARE(log->back().kind, v1::OP_KIND_CREATE);
        QCOMPARE(logged.kind(), v1::OP_KIND_CREATE);
        QCOMPARE(logged.device(), std::string(syncserver::serverDeviceId));
        QCOMPARE(log->back().patch(), std::string_view(logged.patch()));
        QCOMPARE(log->back().sequence, createdChanges.latest);

        // An update lists only the fields it changes.
        api().clock().advance(1000);
        citizen.set_phone("+39 06 1234567");
        auto [updated, updatedChanges] = writeIn([&](syncserver::ServerWrites &writes) { return writes.write(citizen); });
        EXPECT_OK(updated);
        QCOMPARE(updatedChanges.changes.size(), std::size_t{1});
        log = syncserver::SyncRepository(api().database()).operationsAfter(createdChanges.latest, 100);
        EXPECT_OK(log);
        QCOMPARE(log->size(), std::size_t{1});
        QCOMPARE(log->back().kind, v1::OP_KIND_UPDATE);
        QCOMPARE(log->back().fields, std::vector<std::uint32_t>{v1::Citizen::kPhoneFieldNumber});
        QVERIFY(logged.ParseFromString(log->back().encoded));
        QCOMPARE(log->back().patch(), std::string_view(logged.patch()));
        QCOMPARE(storage::CitizenRepository(api().database()).byId(citizen.meta().id())->phone(), citizen.phone());

        // Writing what is held logs nothing and announces nothing.
        auto [again, againChanges] = writeIn([&](syncserver::ServerWrites &writes) { return writes.write(citizen); });
        EXPECT_OK(again);
        QVERIFY(againChanges.changes.empty());
        log = syncserver::SyncRepository(api().database()).operationsAfter(updatedChanges.latest, 100);
        EXPECT_OK(log);
        QVERIFY(log->empty());

        // create() refuses an entity the server holds; a message that is no entity is refused.
        auto [twice, twiceChanges] = writeIn([&](syncserver::ServerWrites &writes) { return writes.create(citizen); });
        QCOMPARE(twice.error().code, ErrorCode::Conflict);
        v1::Hlc notAnEntity;
        auto [refused, refusedChanges] = writeIn([&](syncserver::ServerWrites &writes) { return writes.write(notAnEntity); });
        QCOMPARE(refused.error().code, ErrorCode::Invalid);
        QVERIFY(refusedChanges.changes.empty());
    }

    void apiCitizenReachesDevicesInScope_data() { addStoreRows(); }
    void apiCitizenReachesDevicesInScope()
    {
        const std::string id = createCitizen(api().operatorA, "Bianchi");
        QCOMPARE(m_published.size(), std::size_t{1});
        QCOMPARE(m_published[0].at(0).entityId, id);
        QCOMPARE(m_published[0].at(0).presidio, std::string(kHome));

        const Pulled home = pullAll(tabletOf(api().operatorB, 7));
        QVERIFY2(home.rejection.empty(), home.rejection.c_str());
        QVERIFY(home.holds(id));
        const Pulled away = pullAll(tabletOf(api().awayOperator, 8));
        QVERIFY2(away.rejection.empty(), away.rejection.c_str());
        QVERIFY(!away.holds(id));

        // An edit through the API reaches the tablet as an update of what changed.
        const HttpResult edited = api().put("/api/v1/citizens/" + id, api().operatorA,
                                            R"({"family_name":"Bianchi","given_name":"Anna","phone":"333"})");
        EXPECT_STATUS(edited, 200);
        const Pulled after = pullAll(tabletOf(api().operatorB, 7));
        QCOMPARE(after.ops.back().entity_id(), id);
        QCOMPARE(after.ops.back().kind(), v1::OP_KIND_UPDATE);
        QCOMPARE(after.ops.back().fields_size(), 1);
        QCOMPARE(after.ops.back().fields(0), std::uint32_t{v1::Citizen::kPhoneFieldNumber});
    }

    void kioskPushAppearsInApi_data() { addStoreRows(); }
    void kioskPushAppearsInApi()
    {
        const syncserver::Peer kiosk = kioskPeer(api().kiosk);
        v1::Intake intake;
        intake.mutable_meta()->set_presidio(kHome);
        intake.set_given_name("Ana");
        intake.set_language("ro");
        intake.add_needs("HOUSING");
        intake.set_consent_given(true);
        const std::string intakeId = testUuid(501);
        v1::Ticket ticket;
        ticket.mutable_meta()->set_presidio(kHome);
        ticket.set_number("K-001");
        ticket.set_state(v1::TICKET_STATE_WAITING);
        *ticket.mutable_issued() = core::HlcStamp{api().clock().nowMs(), 0}.toProto();
        ticket.set_intake(intakeId);
        const std::string ticketId = testUuid(502);
        const std::int64_t auditBefore = api().auditLength();
        const v1::Ack ack = push(kiosk, {deviceOp(kiosk, v1::OP_KIND_CREATE, intakeId, intake,
                                                  {v1::Intake::kGivenNameFieldNumber, v1::Intake::kLanguageFieldNumber,
                                                   v1::Intake::kNeedsFieldNumber, v1::Intake::kConsentGivenFieldNumber}),
                                         deviceOp(kiosk, v1::OP_KIND_CREATE, ticketId, ticket,
                                                  {v1::Ticket::kNumberFieldNumber, v1::Ticket::kStateFieldNumber,
                                                   v1::Ticket::kIssuedFieldNumber, v1::Ticket::kIntakeFieldNumber})});
        QCOMPARE(ack.accepted_size(), 2);

        const HttpResult intakes = api().get(std::string("/api/v1/presidi/") + kHome + "/intakes", api().coordinator);
        EXPECT_STATUS(intakes, 200);
        const QJsonArray listedIntakes = intakes.json["intakes"].toArray();
        QCOMPARE(listedIntakes.size(), 1);
        QCOMPARE(str(listedIntakes[0].toObject()["meta"].toObject()["id"]), intakeId);
        QCOMPARE(str(listedIntakes[0].toObject()["given_name"]), std::string("Ana"));
        const HttpResult tickets = api().get(std::string("/api/v1/presidi/") + kHome + "/tickets", api().coordinator);
        EXPECT_STATUS(tickets, 200);
        const QJsonArray listedTickets = tickets.json["tickets"].toArray();
        QCOMPARE(listedTickets.size(), 1);
        QCOMPARE(str(listedTickets[0].toObject()["number"]), std::string("K-001"));
        const HttpResult away = api().get(std::string("/api/v1/presidi/") + kAway + "/intakes", api().awayCoordinator);
        EXPECT_STATUS(away, 200);
        QCOMPARE(away.json["intakes"].toArray().size(), 0);

        // The intake's write is audited as the kiosk device (the ticket is no personal
        // record); the coordinator's list read after it.
        const auto events = api().auditEventsAfter(auditBefore);
        QVERIFY(!events.empty());
        QCOMPARE(events[0].actor(), api().kiosk.id);
        QCOMPARE(events[0].device(), api().kiosk.id);
        QCOMPARE(events[0].role(), v1::ROLE_KIOSK);
        QCOMPARE(events[0].record_id(), intakeId);
        QCOMPARE(events[0].action(), std::string("create"));
        QVERIFY(std::none_of(events.begin(), events.end(), [&](const v1::AuditEvent &event) { return event.record_id() == ticketId; }));

        // A second ticket with a number taken that day is refused with a reason, and
        // neither the log nor the table takes it.
        v1::Ticket clash = ticket;
        clash.clear_intake();
        const v1::Ack refused = push(kiosk, {deviceOp(kiosk, v1::OP_KIND_CREATE, testUuid(503), clash,
                                                      {v1::Ticket::kNumberFieldNumber, v1::Ticket::kStateFieldNumber,
                                                       v1::Ticket::kIssuedFieldNumber})});
        QCOMPARE(refused.accepted_size(), 0);
        QCOMPARE(refused.rejected_size(), 1);
        QCOMPARE(refused.rejected(0).code(), std::string("conflict"));
        QVERIFY(!merged<v1::Ticket>(testUuid(503)).meta().has_created());
    }

    // A row an API table refuses is explained in the operator's words, the same whether a
    // device pushed it or the API wrote it, on both stores: which value clashed and what
    // to do, never the database's text, nor the name of the citizen who holds the value.
    void tableRefusalsAreExplained_data() { addStoreRows(); }
    void tableRefusalsAreExplained()
    {
        const std::string codiceFiscale = "RSSMRA85T10H501O";
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator,
                                 R"({"family_name":"Rossi","given_name":"Mario","codice_fiscale":")" + codiceFiscale
                                     + R"("})"),
                      201);
        const std::string codiceFiscaleTaken
            = "A citizen with codice fiscale " + codiceFiscale
              + " is already registered (another record): find that citizen and add to their record instead of "
                "registering them again, or correct the codice fiscale.";
        const auto refusedOnly = [](const v1::Ack &ack, const std::string &opId) {
            return ack.rejected_size() == 1 && ack.rejected(0).op_id() == opId
                   && ack.rejected(0).code() == "conflict";
        };

        // The tablet's second citizen of the Push is stored; the one with the taken code is not.
        const syncserver::Peer tablet = tabletOf(api().operatorA, 14);
        const auto citizenOp = [&](std::uint64_t id, const std::string &given, const std::string &code) {
            v1::Citizen citizen;
            citizen.mutable_meta()->set_presidio(kHome);
            citizen.set_family_name("Rossi");
            citizen.set_given_name(given);
            std::vector<int> fields{v1::Citizen::kFamilyNameFieldNumber, v1::Citizen::kGivenNameFieldNumber};
            if (!code.empty()) {
                citizen.set_codice_fiscale(code);
                fields.push_back(v1::Citizen::kCodiceFiscaleFieldNumber);
            }
            return deviceOp(tablet, v1::OP_KIND_CREATE, testUuid(id), citizen, fields);
        };
        const v1::Operation clashing = citizenOp(701, "Marco", codiceFiscale);
        const v1::Ack pushed = push(tablet, {clashing, citizenOp(702, "Luca", "")});
        QCOMPARE(pushed.accepted_size(), 1);
        QVERIFY(refusedOnly(pushed, clashing.op_id()));
        QCOMPARE(pushed.rejected(0).reason(), codiceFiscaleTaken);
        QVERIFY(pushed.rejected(0).reason().find("Mario") == std::string::npos);
        QVERIFY(!merged<v1::Citizen>(testUuid(701)).meta().has_created());
        QVERIFY(merged<v1::Citizen>(testUuid(702)).meta().has_created());
        const HttpResult byApi = api().post("/api/v1/citizens", api().coordinator,
                                            R"({"family_name":"Rossi","given_name":"Marco","codice_fiscale":")"
                                                + codiceFiscale + R"("})");
        EXPECT_STATUS(byApi, 409);
        QCOMPARE(byApi.errorMessage(), codiceFiscaleTaken);

        // A kiosk's ticket whose number was issued that day, first by a kiosk, then by the API.
        const syncserver::Peer kiosk = kioskPeer(api().kiosk);
        const auto ticketOp = [&](std::uint64_t id) {
            v1::Ticket ticket;
            ticket.mutable_meta()->set_presidio(kHome);
            ticket.set_number("K-7");
            ticket.set_state(v1::TICKET_STATE_WAITING);
            *ticket.mutable_issued() = core::HlcStamp{api().clock().nowMs(), 0}.toProto();
            return deviceOp(kiosk, v1::OP_KIND_CREATE, testUuid(id), ticket,
                            {v1::Ticket::kNumberFieldNumber, v1::Ticket::kStateFieldNumber, v1::Ticket::kIssuedFieldNumber});
        };
        QCOMPARE(push(kiosk, {ticketOp(711)}).accepted_size(), 1);
        const std::string numberTaken = std::string("Ticket K-7 was already issued at presidio ") + kHome + " on "
                                        + core::isoDate(api().clock().nowMs())
                                        + " (another ticket holds that number), so this one cannot be kept: give the "
                                          "citizen a new ticket.";
        const v1::Operation second = ticketOp(712);
        const v1::Ack refused = push(kiosk, {second});
        QCOMPARE(refused.accepted_size(), 0);
        QVERIFY(refusedOnly(refused, second.op_id()));
        QCOMPARE(refused.rejected(0).reason(), numberTaken);
        const HttpResult issued = api().post(std::string("/api/v1/presidi/") + kHome + "/tickets", api().kiosk,
                                             R"({"number":"K-7"})");
        EXPECT_STATUS(issued, 409);
        QCOMPARE(issued.errorMessage(), numberTaken);
    }

    // A desk's move of a ticket and a device's update of the same ticket lock the ticket's
    // entity row first, then its table row, so on PostgreSQL they take turns and never
    // wait in a circle. Every pooled connection puts off deadlock detection beyond a lock
    // timeout, which is no lost race and is not run again: a circle would fail a move or
    // a Push instead of being quietly retried. Each of them succeeds.
    void deskMoveAndDevicePushTakeTurns_data()
    {
        QTest::addColumn<int>("unused");
        QTest::newRow("postgres") << 0;
    }
    void deskMoveAndDevicePushTakeTurns()
    {
        constexpr std::ptrdiff_t pooled = 4;  // TestStore's PostgreSQL pool
        std::latch allHeld(pooled);
        std::mutex mutex;
        std::set<std::int64_t> backends;
        std::vector<std::thread> setters;
        for (std::ptrdiff_t i = 0; i < pooled; ++i) {
            setters.emplace_back([&] {
                EXPECT_OK(api().database().transaction([&](storage::SqlExecutor &sql) -> Status {
                    SIGESS_TRY(sql.execute("SET deadlock_timeout = '1h'", {}));
                    SIGESS_TRY(sql.execute("SET lock_timeout = '20s'", {}));
                    SIGESS_TRY(sql.query("SELECT pg_backend_pid()", {}, [&](const storage::SqlRow &row) -> Status {
                        const std::lock_guard lock(mutex);
                        backends.insert(row.int64(0));
                        return {};
                    }));
                    // Held until every connection of the pool is taken, so each gets the settings.
                    allHeld.arrive_and_wait();
                    return {};
                }));
            });
        }
        for (std::thread &setter : setters)
            setter.join();
        QCOMPARE(backends.size(), static_cast<std::size_t>(pooled));

        const HttpResult issued = api().post(std::string("/api/v1/presidi/") + kHome + "/tickets", api().kiosk,
                                             R"({"number":"D-1"})");
        EXPECT_STATUS(issued, 201);
        const std::string ticketId = idOf(issued);
        EXPECT_STATUS(api().post(std::string("/api/v1/presidi/") + kHome + "/desks/1/call-next", api().operatorA, ""), 200);

        constexpr int rounds = 100;
        const syncserver::Peer tablet = tabletOf(api().coordinator, 15);
        std::vector<v1::Operation> deskChanges;
        for (int i = 0; i < rounds; ++i) {
            v1::Ticket change;
            change.set_desk("T" + std::to_string(i));
            deskChanges.push_back(deviceOp(tablet, v1::OP_KIND_UPDATE, ticketId, change, {v1::Ticket::kDeskFieldNumber}));
        }
        int recalled = 0;
        std::thread desk([&] {
            for (int i = 0; i < rounds; ++i)
                recalled += api().post("/api/v1/tickets/" + ticketId + "/recall", api().operatorA, "").status == 200;
        });
        int accepted = 0;
        for (const v1::Operation &change : deskChanges)
            accepted += push(tablet, {change}).accepted_size();
        desk.join();
        QCOMPARE(recalled, rounds);
        QCOMPARE(accepted, rounds);
        QCOMPARE(merged<v1::Ticket>(ticketId).state(), v1::TICKET_STATE_CALLED);
    }

    void tabletCaseEditVisibleInApi_data() { addStoreRows(); }
    void tabletCaseEditVisibleInApi()
    {
        const std::string citizen = createCitizen(api().coordinator, "Verdi");
        const HttpResult opened = api().post("/api/v1/cases", api().coordinator,
                                             R"({"citizen":")" + citizen + R"(","responsible_operator":")"
                                                 + api().operatorA.id + R"("})");
        EXPECT_STATUS(opened, 201);
        const std::string caseId = idOf(opened);

        const syncserver::Peer tablet = tabletOf(api().operatorA, 11);
        QVERIFY(pullAll(tablet).holds(caseId));
        QVERIFY(!pullAll(tabletOf(api().operatorB, 12)).holds(caseId));
        api().clock().advance(1000);
        v1::Case edit;
        edit.set_closure_reason("moved to Milan");
        edit.set_state("CLOSED");
        edit.set_closed_on("2025-10-09");
        const v1::Ack ack = push(tablet, {deviceOp(tablet, v1::OP_KIND_UPDATE, caseId, edit,
                                                   {v1::Case::kStateFieldNumber, v1::Case::kClosedOnFieldNumber,
                                                    v1::Case::kClosureReasonFieldNumber})});
        QVERIFY2(ack.accepted_size() == 1, ack.DebugString().c_str());
        const HttpResult read = api().get("/api/v1/cases/" + caseId, api().operatorA);
        EXPECT_STATUS(read, 200);
        QCOMPARE(str(read.json["state"]), std::string("CLOSED"));
        QCOMPARE(str(read.json["closure_reason"]), std::string("moved to Milan"));
        // The API's own state machine then works from the tablet's state.
        const HttpResult reopened = api().post("/api/v1/cases/" + caseId + "/reopen", api().operatorA, "");
        EXPECT_STATUS(reopened, 200);
        QCOMPARE(merged<v1::Case>(caseId).state(), std::string("REOPENED"));
    }

    // A Push's writes are audited one event per citizen (and action), listing each
    // record written in order; the citizen's access report shows every one of them, and
    // the chain verifies.
    void tabletPushIsAuditedPerCitizen_data() { addStoreRows(); }
    void tabletPushIsAuditedPerCitizen()
    {
        const std::string first = createCitizen(api().coordinator, "Neri");
        const std::string second = createCitizen(api().coordinator, "Rosa");
        std::vector<std::string> cases;
        for (const std::string &citizen : {first, second}) {
            const HttpResult opened = api().post("/api/v1/cases", api().coordinator,
                                                 R"({"citizen":")" + citizen + R"(","responsible_operator":")"
                                                     + api().operatorA.id + R"("})");
            EXPECT_STATUS(opened, 201);
            cases.push_back(idOf(opened));
        }
        const syncserver::Peer tablet = tabletOf(api().operatorA, 13);
        QVERIFY(pullAll(tablet).holds(cases[0]));
        const auto note = [&](const std::string &caseId, std::uint64_t id) {
            v1::Note written;
            written.mutable_meta()->set_presidio(kHome);
            written.set_case_id(caseId);
            written.set_text("visto a domicilio");
            return std::pair{testUuid(id), deviceOp(tablet, v1::OP_KIND_APPEND, testUuid(id), written,
                                                    {v1::Note::kCaseIdFieldNumber, v1::Note::kTextFieldNumber})};
        };
        // Two notes of the first citizen's case around one of the second's.
        const auto [noteA, opA] = note(cases[0], 601);
        const auto [noteB, opB] = note(cases[1], 602);
        const auto [noteC, opC] = note(cases[0], 603);
        const std::int64_t before = api().auditLength();
        const v1::Ack ack = push(tablet, {opA, opB, opC});
        QVERIFY2(ack.accepted_size() == 3, ack.DebugString().c_str());

        const auto events = api().auditEventsAfter(before);
        QCOMPARE(events.size(), std::size_t{2});
        QCOMPARE(events[0].citizen(), first);
        QCOMPARE(events[0].record_id(), noteA);
        QCOMPARE(events[0].also_records_size(), 1);
        QCOMPARE(events[0].also_records(0).type(), v1::ENTITY_TYPE_NOTE);
        QCOMPARE(events[0].also_records(0).id(), noteC);
        QCOMPARE(events[1].citizen(), second);
        QCOMPARE(events[1].record_id(), noteB);
        QCOMPARE(events[1].also_records_size(), 0);
        for (const v1::AuditEvent &event : events) {
            QCOMPARE(event.action(), std::string("create"));
            QCOMPARE(event.actor(), api().operatorA.id);
            QCOMPARE(event.device(), tablet.deviceId);
        }

        const HttpResult report = api().get("/api/v1/audit/citizens/" + first, api().auditor);
        EXPECT_STATUS(report, 200);
        std::vector<std::string> written;
        for (const QJsonValue &access : report.json["accesses"].toArray()) {
            const QJsonObject line = access.toObject();
            if (str(line["device"]) == tablet.deviceId && str(line["action"]) == "create") {
                QCOMPARE(str(line["actor"]), api().operatorA.id);
                written.push_back(str(line["record_id"]));
            }
        }
        QCOMPARE(written, (std::vector<std::string>{noteA, noteC}));
        const HttpResult verified = api().get("/api/v1/audit/verify", api().auditor);
        EXPECT_STATUS(verified, 200);
        QVERIFY(verified.json["intact"].toBool());
    }

    // API edits and device pushes of one citizen in a random order, with device stamps
    // before and after the server's: the table and the sync store never disagree, and
    // each field holds the write with the latest stamp.
    void tableAndLogNeverDisagree_data() { addStoreRows(); }
    void tableAndLogNeverDisagree()
    {
        const std::string id = createCitizen(api().operatorA, "Neri");
        const syncserver::Peer tablet = tabletOf(api().operatorA, 21);
        std::mt19937 random(20251009);
        std::uniform_int_distribution<int> choice(0, 2);
        std::uniform_int_distribution<int> skew(-3000, 3000);
        for (int step = 0; step < 40; ++step) {
            api().clock().advance(500);
            const std::string value = "v" + std::to_string(step);
            if (choice(random) == 0) {
                const v1::Citizen current = merged<v1::Citizen>(id);
                const HttpResult edited = api().put(
                    "/api/v1/citizens/" + id, api().operatorA,
                    R"({"family_name":")" + current.family_name() + R"(","given_name":"Anna","phone":")" + value
                        + R"(","address":")" + current.address() + R"("})");
                EXPECT_STATUS(edited, 200);
            } else {
                v1::Citizen patch;
                const bool phone = choice(random) == 0;
                if (phone)
                    patch.set_phone(value);
                else
                    patch.set_address(value);
                const v1::Ack ack = push(tablet, {deviceOp(tablet, v1::OP_KIND_UPDATE, id, patch,
                                                           {phone ? v1::Citizen::kPhoneFieldNumber
                                                                  : v1::Citizen::kAddressFieldNumber},
                                                           skew(random))});
                QVERIFY2(ack.accepted_size() == 1, ack.DebugString().c_str());
            }
            const v1::Citizen held = merged<v1::Citizen>(id);
            const HttpResult read = api().get("/api/v1/citizens/" + id, api().operatorA);
            EXPECT_STATUS(read, 200);
            QCOMPARE(str(read.json["phone"]), held.phone());
            QCOMPARE(str(read.json["address"]), held.address());
            Result<v1::Citizen> row = storage::CitizenRepository(api().database()).byId(id);
            EXPECT_OK(row);
            QVERIFY2(sameMessage(*row, held), (row->DebugString() + " vs " + held.DebugString()).c_str());
        }
        // A replica that applies everything pulled ends where the server is.
        sync::EntityState replica = sync::EntityState::blank(*sync::findEntityKind(v1::ENTITY_TYPE_CITIZEN));
        for (const v1::Operation &op : pullAll(tablet, 7).ops) {
            if (op.entity_id() == id)
                EXPECT_OK(sync::applyOperation(op, replica));
        }
        QVERIFY(sameMessage(*replica.message, merged<v1::Citizen>(id)));
    }

    void pullIsAudited_data() { addStoreRows(); }
    void pullIsAudited()
    {
        const std::string first = createCitizen(api().coordinator, "Gialli");
        const std::string second = createCitizen(api().coordinator, "Blu");
        const HttpResult edited = api().put("/api/v1/citizens/" + first, api().coordinator,
                                            R"({"family_name":"Gialli","given_name":"Anna","phone":"1"})");
        EXPECT_STATUS(edited, 200);
        const HttpResult ticket = api().post(std::string("/api/v1/presidi/") + kHome + "/tickets", api().coordinator,
                                             R"({"number":"A-001"})");
        EXPECT_STATUS(ticket, 201);

        const std::int64_t before = api().auditLength();
        const syncserver::Peer tablet = tabletOf(api().coordinator, 31);
        const Pulled pulled = pullAll(tablet);
        QVERIFY2(pulled.rejection.empty(), pulled.rejection.c_str());
        QCOMPARE(pulled.ops.size(), std::size_t{4});
        const auto events = api().auditEventsAfter(before);
        // One read per personal record per frame: the first citizen's two operations
        // make one event; the ticket none.
        QCOMPARE(events.size(), std::size_t{2});
        for (const v1::AuditEvent &event : events) {
            QCOMPARE(event.action(), std::string("read"));
            QCOMPARE(event.actor(), api().coordinator.id);
            QCOMPARE(event.device(), tablet.deviceId);
            QCOMPARE(event.citizen(), event.record_id());
        }
        QCOMPARE(events[0].record_id(), first);
        QCOMPARE(events[1].record_id(), second);

        // Frame by frame, a record sent in two frames is audited in each.
        const std::int64_t again = api().auditLength();
        const Pulled small = pullAll(tablet, 1);
        QCOMPARE(small.frames, 5);  // the last one says there is no more
        QCOMPARE(api().auditEventsAfter(again).size(), std::size_t{3});
    }

    // A frame's reads are audited one event per citizen, listing the citizen's records
    // in the order sent; the citizen's access report shows each, and the chain verifies.
    void pullIsAuditedPerCitizen_data() { addStoreRows(); }
    void pullIsAuditedPerCitizen()
    {
        const std::string first = createCitizen(api().coordinator, "Viola");
        const std::string second = createCitizen(api().coordinator, "Verdi");
        const HttpResult opened = api().post("/api/v1/cases", api().coordinator,
                                             R"({"citizen":")" + first + R"(","responsible_operator":")"
                                                 + api().operatorA.id + R"("})");
        EXPECT_STATUS(opened, 201);
        const std::string caseId = idOf(opened);

        const std::int64_t before = api().auditLength();
        const syncserver::Peer tablet = tabletOf(api().coordinator, 41);
        const Pulled pulled = pullAll(tablet);
        QVERIFY2(pulled.rejection.empty(), pulled.rejection.c_str());
        QVERIFY(pulled.holds(caseId));
        const auto events = api().auditEventsAfter(before);
        QCOMPARE(events.size(), std::size_t{2});
        QCOMPARE(events[0].citizen(), first);
        QCOMPARE(events[0].record_type(), v1::ENTITY_TYPE_CITIZEN);
        QCOMPARE(events[0].record_id(), first);
        QCOMPARE(events[0].also_records_size(), 1);
        QCOMPARE(events[0].also_records(0).type(), v1::ENTITY_TYPE_CASE);
        QCOMPARE(events[0].also_records(0).id(), caseId);
        QCOMPARE(events[1].citizen(), second);
        QCOMPARE(events[1].record_id(), second);
        QCOMPARE(events[1].also_records_size(), 0);
        for (const v1::AuditEvent &event : events) {
            QCOMPARE(event.action(), std::string("read"));
            QCOMPARE(event.device(), tablet.deviceId);
        }

        const HttpResult report = api().get("/api/v1/audit/citizens/" + first, api().auditor);
        EXPECT_STATUS(report, 200);
        std::vector<std::string> read;
        for (const QJsonValue &access : report.json["accesses"].toArray()) {
            const QJsonObject line = access.toObject();
            if (str(line["device"]) == tablet.deviceId && str(line["action"]) == "read")
                read.push_back(str(line["record_id"]));
        }
        QCOMPARE(read, (std::vector<std::string>{first, caseId}));
        const HttpResult verified = api().get("/api/v1/audit/verify", api().auditor);
        EXPECT_STATUS(verified, 200);
        QVERIFY(verified.json["intact"].toBool());
    }
};

QTEST_GUILESS_MAIN(TestSharedRecord)
#include "tst_shared_record.moc"
