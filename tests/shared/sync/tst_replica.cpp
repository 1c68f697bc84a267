// The device replica on real SQLCipher stores: a change and its operation are written
// together or not at all; batches, acks, rejections into the review list, fix and
// discard; received changes and the cursor together; replays; restarts; the kiosk purge.
#include "operation_builder.h"
#include "sigess/v1/entities.pb.h"
#include "test_device.h"

#include <QTemporaryDir>
#include <QTest>

#include <cctype>
#include <filesystem>
#include <memory>
#include <thread>

using namespace sigess;
using namespace sigess::sync;
using sigess::sync::testing::makeOperation;
using sigess::sync::testing::stampOf;
using sigess::sync::testing::TestDevice;
using sigess::sync::testing::testUuid;

namespace {

constexpr int givenName = v1::Citizen::kGivenNameFieldNumber;
constexpr int familyName = v1::Citizen::kFamilyNameFieldNumber;
constexpr std::uint64_t startMs = 1'718'000'000'000;
const std::string otherDevice = testUuid(0xFFF);

v1::Citizen named(const std::string &given, const std::string &family = {}, const std::string &id = {})
{
    v1::Citizen citizen;
    citizen.mutable_meta()->set_id(id);
    citizen.set_given_name(given);
    citizen.set_family_name(family);
    return citizen;
}

std::string givenNameOf(Replica &replica, const std::string &id)
{
    Result<std::optional<EntityState>> entity = replica.entity(v1::ENTITY_TYPE_CITIZEN, id);
    if (!entity.ok())
        return "error: " + entity.error().message;
    if (!entity->has_value())
        return "absent";
    return static_cast<const v1::Citizen &>(*(*entity)->message).given_name();
}

std::size_t outboxSize(Replica &replica)
{
    Result<std::size_t> size = replica.outboxSize();
    return size.ok() ? *size : std::size_t(-1);
}

v1::Ack ackOf(const std::vector<std::string> &accepted, const std::vector<v1::Rejection> &rejected = {})
{
    v1::Ack ack;
    for (const std::string &id : accepted)
        ack.add_accepted(id);
    for (const v1::Rejection &rejection : rejected)
        *ack.add_rejected() = rejection;
    return ack;
}

v1::Rejection rejectionOf(const std::string &opId, const std::string &code, const std::string &reason)
{
    v1::Rejection rejection;
    rejection.set_op_id(opId);
    rejection.set_code(code);
    rejection.set_reason(reason);
    return rejection;
}

// Changes from the server: another device created a citizen.
v1::Changes remoteCreation(const std::string &citizenId, const std::string &given,
    const std::string &nextCursor, core::HlcStamp stamp = { startMs - 5000, 0 })
{
    v1::Changes changes;
    *changes.add_ops() = makeOperation(testUuid(0x7000 + stamp.wallMs % 1000), otherDevice, stamp,
        v1::OP_KIND_CREATE, citizenId, named(given), { givenName });
    changes.set_next_cursor(nextCursor);
    return changes;
}

std::string snapshot(Replica &replica)
{
    std::string text;
    Result<std::vector<EntityState>> citizens = replica.entities(v1::ENTITY_TYPE_CITIZEN);
    if (!citizens.ok())
        return "error";
    for (const EntityState &citizen : *citizens)
        text += citizen.message->ShortDebugString() + " | " + citizen.clock.serialize() + "\n";
    Result<std::string> cursor = replica.cursor();
    return text + "cursor=" + (cursor.ok() ? *cursor : "error");
}

} // namespace

class TestReplica : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestDevice> m_device;

    Replica &replica() { return m_device->replica(); }

    std::string create(const std::string &given, const std::string &family = {})
    {
        Result<v1::Operation> operation = replica().recordChange(
            v1::ENTITY_TYPE_CITIZEN, named(given, family), { givenName, familyName });
        if (!operation.ok())
            qFatal("%s", operation.error().describe().c_str());
        return operation->entity_id();
    }

    v1::Operation rename(const std::string &id, const std::string &given)
    {
        Result<v1::Operation> operation
            = replica().recordChange(v1::ENTITY_TYPE_CITIZEN, named(given, {}, id), { givenName });
        if (!operation.ok())
            qFatal("%s", operation.error().describe().c_str());
        return *operation;
    }

    void injectFailure(const char *trigger)
    {
        Result<store::Database> other = m_device->connect();
        QVERIFY(other.ok());
        QVERIFY(other->exec(trigger).ok());
    }

    void removeFailure()
    {
        Result<store::Database> other = m_device->connect();
        QVERIFY(other.ok());
        QVERIFY(other->exec("DROP TRIGGER injected").ok());
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_device = std::make_unique<TestDevice>(m_dir->path(), testUuid(0xD1), startMs);
        QVERIFY(m_device->open());
    }

    void cleanup()
    {
        m_device.reset();
        m_dir.reset();
    }

    void recordsEntityWithItsOperation()
    {
        v1::Citizen patch = named("Anna", "Rossi");
        patch.mutable_meta()->set_presidio("P-M01-01");
        patch.set_phone("not listed, so not sent");
        Result<v1::Operation> created
            = replica().recordChange(v1::ENTITY_TYPE_CITIZEN, patch, { givenName, familyName });
        QVERIFY(created.ok());
        QCOMPARE(created->kind(), v1::OP_KIND_CREATE);
        QCOMPARE(created->device(), m_device->id());
        QVERIFY(core::Uuid::parse(created->entity_id()).ok());
        v1::Citizen sent;
        QVERIFY(sent.ParseFromString(created->patch()));
        QCOMPARE(sent.phone(), "");
        QCOMPARE(sent.meta().presidio(), "P-M01-01");
        QVERIFY(sent.meta().id().empty());

        const std::string id = created->entity_id();
        Result<std::optional<EntityState>> stored = replica().entity(v1::ENTITY_TYPE_CITIZEN, id);
        QVERIFY(stored.ok() && stored->has_value());
        QCOMPARE((*stored)->meta().presidio(), "P-M01-01");
        QCOMPARE((*stored)->meta().origin_device(), m_device->id());
        QCOMPARE(static_cast<const v1::Citizen &>(*(*stored)->message).family_name(), "Rossi");

        const v1::Operation renamed = rename(id, "Annalisa");
        QCOMPARE(renamed.kind(), v1::OP_KIND_UPDATE);
        QVERIFY(renamed.op_id() > created->op_id());
        QVERIFY(stampOf(renamed) > stampOf(*created));
        QCOMPARE(givenNameOf(replica(), id), "Annalisa");

        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok());
        QCOMPARE(batch->size(), 2u);
        QCOMPARE((*batch)[0].op_id(), created->op_id());
        QCOMPARE((*batch)[1].op_id(), renamed.op_id());

        v1::Note note;
        note.set_text("first visit");
        Result<v1::Operation> appended
            = replica().recordChange(v1::ENTITY_TYPE_NOTE, note, { v1::Note::kTextFieldNumber });
        QVERIFY(appended.ok());
        QCOMPARE(appended->kind(), v1::OP_KIND_APPEND);
        note.mutable_meta()->set_id(appended->entity_id());
        Result<v1::Operation> again
            = replica().recordChange(v1::ENTITY_TYPE_NOTE, note, { v1::Note::kTextFieldNumber });
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);

        Result<v1::Operation> wrongMessage = replica().recordChange(v1::ENTITY_TYPE_CASE, note, { 4 });
        QVERIFY(!wrongMessage.ok());
        QCOMPARE(wrongMessage.error().code, ErrorCode::Invalid);
        Result<v1::Operation> notAnEntity
            = replica().recordChange(v1::ENTITY_TYPE_CASE, v1::Operation(), { v1::Case::kStateFieldNumber });
        QVERIFY(!notAnEntity.ok());
        QCOMPARE(notAnEntity.error().code, ErrorCode::Invalid);
        QCOMPARE(outboxSize(replica()), 3u);
    }

    void changeAndOperationAreAtomic_data()
    {
        QTest::addColumn<QString>("trigger");
        QTest::addColumn<bool>("update");
        const QString failQueue = "CREATE TRIGGER injected BEFORE INSERT ON sync_outbox "
                                  "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;";
        QTest::newRow("creation, queue fails") << failQueue << false;
        QTest::newRow("update, queue fails") << failQueue << true;
        QTest::newRow("update, entity write fails") << "CREATE TRIGGER injected BEFORE UPDATE ON sync_entity "
                                                       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
                                                    << true;
    }

    void changeAndOperationAreAtomic()
    {
        QFETCH(QString, trigger);
        QFETCH(bool, update);
        const std::string id = update ? create("Anna") : std::string();
        const std::size_t queued = outboxSize(replica());
        injectFailure(trigger.toUtf8().constData());

        Result<v1::Operation> failed
            = replica().recordChange(v1::ENTITY_TYPE_CITIZEN, named("Bea", {}, id), { givenName });
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().message.find("injected failure") != std::string::npos,
            failed.error().message.c_str());
        QCOMPARE(outboxSize(replica()), queued);
        Result<std::vector<EntityState>> citizens = replica().entities(v1::ENTITY_TYPE_CITIZEN);
        QVERIFY(citizens.ok());
        QCOMPARE(citizens->size(), update ? 1u : 0u);
        if (update)
            QCOMPARE(givenNameOf(replica(), id), "Anna");

        removeFailure();
        const v1::Operation retried = rename(update ? id : create("Bea"), "Bea");
        QCOMPARE(givenNameOf(replica(), retried.entity_id()), "Bea");
    }

    void batchesAndResends()
    {
        for (int i = 0; i < 5; ++i)
            create("citizen " + std::to_string(i));
        std::vector<std::string> handedOut;
        for (const std::size_t size : { 2u, 2u, 1u, 0u }) {
            Result<std::vector<v1::Operation>> batch = replica().pendingBatch(2);
            QVERIFY(batch.ok());
            QCOMPARE(batch->size(), size);
            for (const v1::Operation &operation : *batch)
                handedOut.push_back(operation.op_id());
        }
        QVERIFY(std::is_sorted(handedOut.begin(), handedOut.end()));
        QVERIFY(replica().resendUnacknowledged().ok());
        Result<std::vector<v1::Operation>> again = replica().pendingBatch(10);
        QVERIFY(again.ok());
        QCOMPARE(again->size(), 5u);
        QCOMPARE(again->front().op_id(), handedOut.front());
    }

    void acceptedOperationsLeaveTheOutbox()
    {
        const std::string id = create("Anna");
        const v1::Operation renamed = rename(id, "Annalisa");
        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok());
        const v1::Ack ack = ackOf({ (*batch)[0].op_id(), (*batch)[1].op_id() });
        QVERIFY(replica().acknowledge(ack).ok());
        QCOMPARE(outboxSize(replica()), 0u);
        const std::string settled = snapshot(replica());

        // The same Ack again, then the server echoing the operations back: nothing moves
        // but the cursor.
        QVERIFY(replica().acknowledge(ack).ok());
        v1::Changes echo;
        *echo.add_ops() = (*batch)[0];
        *echo.add_ops() = renamed;
        echo.set_next_cursor("c1");
        QVERIFY(replica().applyChanges(echo, "").ok());
        QCOMPARE(snapshot(replica()), settled.substr(0, settled.rfind("cursor=")) + "cursor=c1");
        Result<std::vector<ReviewItem>> review = replica().reviewList();
        QVERIFY(review.ok() && review->empty());
    }

    // An Ack's start cursor (the start of the server's log the operations were stored
    // in) becomes the cursor of a replica that has none, in the Ack's transaction, so
    // that its next Pull names that log; a cursor the replica holds stays.
    void ackStartCursorSetsOnlyAnEmptyCursor()
    {
        create("Anna");
        create("Bruno");
        create("Carla");
        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok());
        QCOMPARE(batch->size(), 3u);

        // From a server that does not say, the cursor stays empty.
        QVERIFY(replica().acknowledge(ackOf({ batch->at(0).op_id() })).ok());
        QCOMPARE(replica().cursor().value(), "");

        // The cursor and the settled operation, or neither.
        v1::Ack second = ackOf({ batch->at(1).op_id() });
        second.set_start_cursor("e1:0");
        injectFailure("CREATE TRIGGER injected BEFORE INSERT ON sync_cursor "
                      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
        QVERIFY(!replica().acknowledge(second).ok());
        QCOMPARE(outboxSize(replica()), 2u);
        QCOMPARE(replica().cursor().value(), "");
        removeFailure();
        QVERIFY(replica().acknowledge(second).ok());
        QCOMPARE(outboxSize(replica()), 1u);
        QCOMPARE(replica().cursor().value(), "e1:0");

        // A frame of a Pull sent from the empty cursor before that Ack was settled is
        // merged, as any frame that does not follow the cursor, and leaves it.
        const std::string remote = testUuid(0x551);
        QVERIFY(replica().applyChanges(remoteCreation(remote, "Dora", "e1:4"), "").ok());
        QCOMPARE(givenNameOf(replica(), remote), "Dora");
        QCOMPARE(replica().cursor().value(), "e1:0");

        // Neither a later Ack's start cursor nor the same one again moves a cursor held,
        // whether an Ack or a pull set it.
        v1::Ack third = ackOf({ batch->at(2).op_id() });
        third.set_start_cursor("e2:0");
        QVERIFY(replica().acknowledge(third).ok());
        QCOMPARE(replica().cursor().value(), "e1:0");
        QVERIFY(replica().applyChanges(remoteCreation(testUuid(0x552), "Elsa", "e1:5", { startMs - 4000, 0 }), "e1:0")
                    .ok());
        QCOMPARE(replica().cursor().value(), "e1:5");
        QVERIFY(replica().acknowledge(second).ok());
        QVERIFY(replica().acknowledge(third).ok());
        QCOMPARE(replica().cursor().value(), "e1:5");
        QCOMPARE(outboxSize(replica()), 0u);
    }

    void rejectionsGoToTheReviewList()
    {
        const std::string anna = create("Anna", "Rossi");
        Result<std::vector<v1::Operation>> first = replica().pendingBatch(10);
        QVERIFY(first.ok());
        QVERIFY(replica().acknowledge(ackOf({ first->front().op_id() })).ok());

        // Two pending changes on Anna and a new citizen; the server refuses the rename
        // and the creation, accepts the family name.
        const v1::Operation renamed = rename(anna, "Annalisa");
        Result<v1::Operation> refamilied
            = replica().recordChange(v1::ENTITY_TYPE_CITIZEN, named({}, "Bianchi", anna), { familyName });
        QVERIFY(refamilied.ok());
        const std::string bea = create("Bea");
        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok());
        QCOMPARE(batch->size(), 3u);
        const std::string beaOp = (*batch)[2].op_id();
        QVERIFY(replica()
                    .acknowledge(ackOf({},
                        { rejectionOf(renamed.op_id(), "forbidden_field", "You may not rename."),
                            rejectionOf(beaOp, "invalid_code", "Unknown citizenship code.") }))
                    .ok());

        QCOMPARE(givenNameOf(replica(), anna), "Anna");
        Result<std::optional<EntityState>> annaNow = replica().entity(v1::ENTITY_TYPE_CITIZEN, anna);
        QVERIFY(annaNow.ok() && annaNow->has_value());
        QCOMPARE(static_cast<const v1::Citizen &>(*(*annaNow)->message).family_name(), "Bianchi");
        QCOMPARE(givenNameOf(replica(), bea), "absent");
        QCOMPARE(outboxSize(replica()), 1u);

        Result<std::vector<ReviewItem>> review = replica().reviewList();
        QVERIFY(review.ok());
        QCOMPARE(review->size(), 2u);
        QCOMPARE((*review)[0].operation.op_id(), renamed.op_id());
        QCOMPARE((*review)[0].rejection.code(), "forbidden_field");
        QCOMPARE((*review)[0].rejection.reason(), "You may not rename.");
        QCOMPARE((*review)[1].operation.entity_id(), bea);
        QCOMPARE((*review)[1].rejection.code(), "invalid_code");

        QVERIFY(replica().discard(beaOp).ok());
        Status missing = replica().discard(beaOp);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, ErrorCode::NotFound);

        m_device->clock().advance(1000);
        Result<v1::Operation> fixed = replica().fix(renamed.op_id(), named("Anna Maria"), { givenName });
        QVERIFY(fixed.ok());
        QVERIFY(fixed->op_id() != renamed.op_id());
        QCOMPARE(fixed->entity_id(), anna);
        QVERIFY(fixed->hlc().wall_ms() > renamed.hlc().wall_ms());
        QCOMPARE(givenNameOf(replica(), anna), "Anna Maria");
        QCOMPARE(outboxSize(replica()), 2u);
        review = replica().reviewList();
        QVERIFY(review.ok() && review->empty());
        QCOMPARE(replica().fix(renamed.op_id(), named("x"), { givenName }).error().code, ErrorCode::NotFound);
    }

    void changesAndCursorAreAtomic()
    {
        const std::string citizen = testUuid(0x501);
        injectFailure("CREATE TRIGGER injected BEFORE INSERT ON sync_cursor "
                      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
        Status failed = replica().applyChanges(remoteCreation(citizen, "Carla", "c1"), "");
        QVERIFY(!failed.ok());
        QCOMPARE(givenNameOf(replica(), citizen), "absent");
        QCOMPARE(replica().cursor().value(), "");

        removeFailure();
        QVERIFY(replica().applyChanges(remoteCreation(citizen, "Carla", "c1"), "").ok());
        QCOMPARE(givenNameOf(replica(), citizen), "Carla");
        QCOMPARE(replica().cursor().value(), "c1");

        // A Changes frame holding an operation that does not decode applies nothing.
        v1::Changes broken = remoteCreation(testUuid(0x502), "Dora", "c2", { startMs - 4000, 0 });
        *broken.add_ops() = broken.ops(0);
        broken.mutable_ops(1)->set_op_id(testUuid(0x503));
        broken.mutable_ops(1)->set_patch("\xff");
        QVERIFY(!replica().applyChanges(broken, "c1").ok());
        QCOMPARE(givenNameOf(replica(), testUuid(0x502)), "absent");
        QCOMPARE(replica().cursor().value(), "c1");
    }

    void evictedEntitiesLeaveWithTheCursorMove()
    {
        const std::string kept = testUuid(0x701);
        const std::string gone = testUuid(0x702);
        QVERIFY(replica().applyChanges(remoteCreation(kept, "Carla", "c1"), "").ok());
        QVERIFY(replica().applyChanges(remoteCreation(gone, "Dora", "c2", { startMs - 4321, 0 }), "c1").ok());
        QCOMPARE(givenNameOf(replica(), gone), "Dora");

        v1::Changes eviction;
        eviction.set_next_cursor("c3");
        v1::EntityRef &evicted = *eviction.add_evicted();
        evicted.set_type(v1::ENTITY_TYPE_CITIZEN);
        evicted.set_id(gone);
        // The entity leaves only with the cursor's move: a failed move keeps it.
        injectFailure("CREATE TRIGGER injected BEFORE INSERT ON sync_cursor "
                      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
        QVERIFY(!replica().applyChanges(eviction, "c2").ok());
        QCOMPARE(givenNameOf(replica(), gone), "Dora");
        QCOMPARE(replica().cursor().value(), "c2");
        removeFailure();
        QVERIFY(replica().applyChanges(eviction, "c2").ok());
        QCOMPARE(givenNameOf(replica(), gone), "absent");
        QCOMPARE(givenNameOf(replica(), kept), "Carla");
        QCOMPARE(replica().cursor().value(), "c3");
    }

    // The server's store was restored from a backup: a reset frame replaces everything
    // the replica held from the server, and the device's own work survives it.
    void resetKeepsTheOutboxAndTheReviewList()
    {
        const std::string carla = testUuid(0x901);
        const std::string dora = testUuid(0x902);
        const v1::Changes first = remoteCreation(carla, "Carla", "e1:1");
        QVERIFY(replica().applyChanges(first, "").ok());
        QVERIFY(replica().applyChanges(remoteCreation(dora, "Dora", "e1:2", { startMs - 4321, 0 }), "e1:1").ok());
        // Fabio is refused into the review list; Elena's creation and Carla's rename wait
        // for their Ack.
        const std::string fabio = create("Fabio");
        Result<std::vector<v1::Operation>> refused = replica().pendingBatch(10);
        QVERIFY(refused.ok() && refused->size() == 1);
        QVERIFY(replica()
                    .acknowledge(ackOf({}, { rejectionOf(refused->front().op_id(), "invalid_code", "Unknown code.") }))
                    .ok());
        const std::string elena = create("Elena");
        const v1::Operation renamed = rename(carla, "Carolina");

        // The restored server holds Carla's creation and a citizen of its own, not Dora.
        v1::Changes reset = remoteCreation(testUuid(0x903), "Gina", "e2:2", { startMs - 3333, 0 });
        *reset.add_ops() = first.ops(0);
        reset.set_reset(true);
        QVERIFY(replica().applyChanges(reset, "e1:2").ok());

        QCOMPARE(givenNameOf(replica(), dora), "absent");
        QCOMPARE(givenNameOf(replica(), testUuid(0x903)), "Gina");
        QCOMPARE(givenNameOf(replica(), carla), "Carolina");
        QCOMPARE(givenNameOf(replica(), elena), "Elena");
        QCOMPARE(givenNameOf(replica(), fabio), "absent");
        QCOMPARE(replica().cursor().value(), "e2:2");
        Result<std::vector<ReviewItem>> review = replica().reviewList();
        QVERIFY(review.ok());
        QCOMPARE(review->size(), 1u);
        QCOMPARE(review->front().operation.entity_id(), fabio);
        QVERIFY(replica().resendUnacknowledged().ok());
        Result<std::vector<v1::Operation>> pending = replica().pendingBatch(10);
        QVERIFY(pending.ok());
        QCOMPARE(pending->size(), 2u);
        QCOMPARE(pending->at(0).entity_id(), elena);
        QCOMPARE(pending->at(1).op_id(), renamed.op_id());

        // A late copy of the reset answered a Pull the replica has moved on from: it drops
        // nothing.
        const std::string settled = snapshot(replica());
        QVERIFY(replica().applyChanges(reset, "e1:2").ok());
        QCOMPARE(snapshot(replica()), settled);

        // Carla's confirmed state is the restored server's: the refused rename leaves it;
        // Elena, accepted, stays as she is.
        QVERIFY(replica()
                    .acknowledge(ackOf({ pending->at(0).op_id() },
                        { rejectionOf(renamed.op_id(), "forbidden_field", "No renames.") }))
                    .ok());
        QCOMPARE(givenNameOf(replica(), carla), "Carla");
        QCOMPARE(givenNameOf(replica(), elena), "Elena");
        QCOMPARE(outboxSize(replica()), 0u);
    }

    void resetIsAtomic_data()
    {
        QTest::addColumn<QString>("table");
        // Failing as the entities are written again, as their applied ids are, and as
        // the cursor moves: the last step of all.
        for (const char *table : { "sync_entity", "sync_applied", "sync_cursor" })
            QTest::newRow(table) << QString(table);
    }
    void resetIsAtomic()
    {
        QFETCH(QString, table);
        const std::string carla = testUuid(0xA01);
        QVERIFY(replica().applyChanges(remoteCreation(carla, "Carla", "e1:1"), "").ok());
        rename(carla, "Carolina");
        create("Elena");
        const std::string fabio = create("Fabio");
        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok() && batch->size() == 3);
        QVERIFY(replica().acknowledge(ackOf({}, { rejectionOf(batch->at(2).op_id(), "invalid_code", "No."), })).ok());
        const std::string before = snapshot(replica());

        v1::Changes reset = remoteCreation(testUuid(0xA02), "Gina", "e2:1", { startMs - 3333, 0 });
        reset.set_reset(true);
        injectFailure(("CREATE TRIGGER injected BEFORE INSERT ON " + table.toStdString()
            + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END;")
                          .c_str());
        QVERIFY(!replica().applyChanges(reset, "e1:1").ok());
        QCOMPARE(snapshot(replica()), before);
        QCOMPARE(outboxSize(replica()), 2u);
        Result<std::vector<ReviewItem>> review = replica().reviewList();
        QVERIFY(review.ok() && review->size() == 1);
        QCOMPARE(review->front().operation.entity_id(), fabio);

        // The same frame, once nothing fails, resets.
        removeFailure();
        QVERIFY(replica().applyChanges(reset, "e1:1").ok());
        QCOMPARE(givenNameOf(replica(), testUuid(0xA02)), "Gina");
        // The restored server does not hold Carla (yet): the device shows its queued
        // rename alone until the server says what it makes of it.
        QCOMPARE(givenNameOf(replica(), carla), "Carolina");
        QCOMPARE(replica().cursor().value(), "e2:1");
    }

    void replayedChangesChangeNothing()
    {
        const std::string citizen = testUuid(0x601);
        const v1::Changes changes = remoteCreation(citizen, "Carla", "c1");
        QVERIFY(replica().applyChanges(changes, "").ok());
        v1::Changes later;
        *later.add_ops() = makeOperation(testUuid(0x602), otherDevice, { startMs - 1000, 0 },
            v1::OP_KIND_UPDATE, citizen, named("Carlotta"), { givenName });
        later.set_next_cursor("c2");
        QVERIFY(replica().applyChanges(later, "c1").ok());
        const std::string settled = snapshot(replica());

        // A late duplicate of the first frame and an exact replay of the second.
        QVERIFY(replica().applyChanges(changes, "").ok());
        QCOMPARE(snapshot(replica()), settled);
        QVERIFY(replica().applyChanges(later, "c1").ok());
        QCOMPARE(snapshot(replica()), settled);
        QCOMPARE(givenNameOf(replica(), citizen), "Carlotta");
    }

    void downloadedEntityKeepsItsConfirmedStateUnderLocalChanges()
    {
        // One frame creating a citizen, updating it and repeating the update: stored once
        // as shown and confirmed alike, the repeat skipped.
        const std::string citizen = testUuid(0x801);
        v1::Changes download = remoteCreation(citizen, "Carla", "c1");
        *download.add_ops() = makeOperation(testUuid(0x802), otherDevice, { startMs - 4000, 0 },
            v1::OP_KIND_UPDATE, citizen, named({}, "Rossi"), { familyName });
        *download.add_ops() = download.ops(1);
        QVERIFY(replica().applyChanges(download, "").ok());
        const std::string downloaded = snapshot(replica());

        // A local rename, then a remote change arriving while it is queued: the shown
        // state has both, the confirmed one only the server's.
        const v1::Operation renamed = rename(citizen, "Carolina");
        v1::Changes remote;
        *remote.add_ops() = makeOperation(testUuid(0x803), otherDevice, { startMs - 3000, 0 },
            v1::OP_KIND_UPDATE, citizen, named({}, "Bianchi"), { familyName });
        remote.set_next_cursor("c2");
        QVERIFY(replica().applyChanges(remote, "c1").ok());
        Result<std::optional<EntityState>> shown = replica().entity(v1::ENTITY_TYPE_CITIZEN, citizen);
        QVERIFY(shown.ok() && shown->has_value());
        QCOMPARE(static_cast<const v1::Citizen &>(*(*shown)->message).given_name(), "Carolina");
        QCOMPARE(static_cast<const v1::Citizen &>(*(*shown)->message).family_name(), "Bianchi");

        // Refused, the rename leaves the entity as the server has it.
        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok() && batch->size() == 1);
        QVERIFY(replica()
                    .acknowledge(ackOf({}, { rejectionOf(renamed.op_id(), "forbidden_field", "No renames.") }))
                    .ok());
        shown = replica().entity(v1::ENTITY_TYPE_CITIZEN, citizen);
        QVERIFY(shown.ok() && shown->has_value());
        QCOMPARE(static_cast<const v1::Citizen &>(*(*shown)->message).given_name(), "Carla");
        QCOMPARE(static_cast<const v1::Citizen &>(*(*shown)->message).family_name(), "Bianchi");

        // Replaying the first frame changes nothing.
        const std::string settled = snapshot(replica());
        QVERIFY(replica().applyChanges(download, "").ok());
        QCOMPARE(snapshot(replica()), settled);
        QVERIFY(settled != downloaded);
    }

    void frameDecodedOnAnotherThreadAppliesAsTheFrame()
    {
        // Two devices with the same history, one citizen renamed locally (queued) on
        // each: one applies the next frame whole, the other the frame's operations
        // decoded on another thread, as the sync driver does on its I/O thread.
        QTemporaryDir otherDir;
        TestDevice other(otherDir.path(), testUuid(0xD1), startMs);
        QVERIFY(other.open());
        const std::string queuedCitizen = testUuid(0x901);
        const std::string quietCitizen = testUuid(0x902);
        v1::Changes first = remoteCreation(queuedCitizen, "Carla", "c1");
        *first.add_ops() = makeOperation(testUuid(0x903), otherDevice, { startMs - 4500, 0 },
            v1::OP_KIND_CREATE, quietCitizen, named("Dora"), { givenName });
        for (Replica *device : { &replica(), &other.replica() }) {
            QVERIFY(device->applyChanges(first, "").ok());
            QVERIFY(device
                        ->recordChange(
                            v1::ENTITY_TYPE_CITIZEN, named("Carolina", {}, queuedCitizen), { givenName })
                        .ok());
        }

        // Both citizens changed remotely, a new one, and a note (an entity of another
        // type) in one frame.
        v1::Changes next;
        *next.add_ops() = makeOperation(testUuid(0x904), otherDevice, { startMs - 4000, 0 },
            v1::OP_KIND_UPDATE, queuedCitizen, named({}, "Rossi"), { familyName });
        *next.add_ops() = makeOperation(testUuid(0x905), otherDevice, { startMs - 4000, 1 },
            v1::OP_KIND_UPDATE, quietCitizen, named("Dorotea"), { givenName });
        *next.add_ops() = makeOperation(testUuid(0x906), otherDevice, { startMs - 4000, 2 },
            v1::OP_KIND_CREATE, testUuid(0x907), named("Elena"), { givenName });
        v1::Note note;
        note.set_text("Visita domiciliare");
        *next.add_ops() = makeOperation(testUuid(0x908), otherDevice, { startMs - 4000, 3 },
            v1::OP_KIND_APPEND, testUuid(0x909), note, { v1::Note::kTextFieldNumber });
        next.set_next_cursor("c2");

        QVERIFY(replica().applyChanges(next, "c1").ok());
        Result<std::vector<DecodedOperation>> decoded = makeError(ErrorCode::Internal, "not decoded");
        std::thread([&] {
            decoded = Replica::decodeChanges(next, other.replica().operationLimits());
        }).join();
        QVERIFY(decoded.ok());
        QCOMPARE(decoded->size(), std::size_t(4));
        QVERIFY(other.replica().applyChanges(next, *decoded, "c1").ok());

        QCOMPARE(snapshot(other.replica()), snapshot(replica()));
        QCOMPARE(givenNameOf(other.replica(), queuedCitizen), "Carolina");
        QCOMPARE(givenNameOf(other.replica(), quietCitizen), "Dorotea");
        QCOMPARE(givenNameOf(other.replica(), testUuid(0x907)), "Elena");
        for (Replica *device : { &replica(), &other.replica() }) {
            Result<std::optional<EntityState>> stored = device->entity(v1::ENTITY_TYPE_NOTE, testUuid(0x909));
            QVERIFY(stored.ok() && stored->has_value());
            QCOMPARE(static_cast<const v1::Note &>(*(*stored)->message).text(), "Visita domiciliare");
        }

        // A frame with an operation that does not decode is refused before the store is
        // touched, naming what is wrong.
        v1::Changes broken = next;
        broken.mutable_ops(2)->set_entity_id("not-a-uuid");
        Result<std::vector<DecodedOperation>> refused = Replica::decodeChanges(broken, {});
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Invalid);
        QVERIFY(refused.error().message.find("entity id") != std::string::npos);
    }

    void commitsLeaveTheWalToCheckpoint()
    {
        // 8,000 citizens of 4 KiB each, a page and a bit apiece: more than the 8,900
        // pages the frames of a 5,000-case download write to the WAL, and far more than
        // SQLite's own automatic checkpoint (1,000 pages) would let a commit leave there.
        constexpr int citizenCount = 8000;
        v1::Changes download;
        for (int i = 0; i < citizenCount; ++i) {
            *download.add_ops()
                = makeOperation(testUuid(0xA0000 + i), otherDevice, { startMs - 4000, 0 }, v1::OP_KIND_CREATE,
                    testUuid(0xB0000 + i), named("Carla", std::string(4096, 'r')), { givenName, familyName });
        }
        download.set_next_cursor("c1");
        QVERIFY(replica().applyChanges(download, "").ok());

        const std::string path = m_dir->path().toStdString() + "/" + testUuid(0xD1) + ".db";
        const std::string wal = path + "-wal";
        const std::uintmax_t mainBefore = std::filesystem::file_size(path);
        QVERIFY2(mainBefore < 1024 * 1024, std::to_string(mainBefore).c_str());
        const std::uintmax_t walBytes = std::filesystem::file_size(wal);
        QVERIFY2(walBytes > 8192u * 4096u, std::to_string(walBytes).c_str());

        // The files as a process killed now leaves them hold every committed citizen.
        const std::string crashed = m_dir->path().toStdString() + "/crashed";
        std::filesystem::create_directory(crashed);
        std::filesystem::copy_file(path, crashed + "/store.db");
        std::filesystem::copy_file(wal, crashed + "/store.db-wal");

        QVERIFY(replica().checkpoint().ok());
        QVERIFY(std::filesystem::file_size(path) > 8192u * 4096u);

        m_device->close();
        for (const char *suffix : { "", "-wal", "-shm" })
            std::filesystem::remove(path + suffix);
        std::filesystem::copy_file(crashed + "/store.db", path);
        std::filesystem::copy_file(crashed + "/store.db-wal", wal);
        QVERIFY(m_device->open());
        Result<std::vector<EntityState>> citizens = replica().entities(v1::ENTITY_TYPE_CITIZEN);
        QVERIFY(citizens.ok());
        QCOMPARE(citizens->size(), std::size_t(citizenCount));
        QCOMPARE(replica().cursor().value(), "c1");
    }

    void appliedOpIdsMigrateToBytes()
    {
        const std::string citizen = testUuid(0xC01);
        const v1::Changes changes = remoteCreation(citizen, "Carla", "c1");
        QVERIFY(replica().applyChanges(changes, "").ok());
        const std::string opId = changes.ops(0).op_id();

        // The store as schema version 2 left it: applied op ids as text.
        {
            Result<store::Database> other = m_device->connect();
            QVERIFY(other.ok());
            QVERIFY(other
                        ->exec("DROP TABLE sync_applied; "
                               "CREATE TABLE sync_applied (op_id TEXT PRIMARY KEY) WITHOUT ROWID; "
                               "INSERT INTO sync_applied VALUES ('"
                            + opId
                            + "'); "
                              "DELETE FROM schema_version WHERE version = 3;")
                        .ok());
        }
        m_device->close();
        QVERIFY(m_device->open());

        std::string hexDigits;
        for (const char c : opId) {
            if (c != '-')
                hexDigits += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        const auto appliedRows = [this] {
            Result<store::Database> other = m_device->connect();
            std::vector<std::string> rows;
            Result<store::Statement> select = other->prepare(
                "SELECT typeof(op_id) || ' ' || hex(op_id) FROM sync_applied ORDER BY op_id");
            static_cast<void>(select->forEachRow([&rows](const store::Statement &row) -> Status {
                rows.emplace_back(row.columnText(0));
                return {};
            }));
            return rows;
        };
        QCOMPARE(appliedRows(), std::vector<std::string> { "blob " + hexDigits });

        // The migrated id is still known: the frame replays as a no-op (a second row of
        // the same id would break the key), and a new operation is remembered beside it.
        const std::string settled = snapshot(replica());
        QVERIFY(replica().applyChanges(changes, "").ok());
        QCOMPARE(snapshot(replica()), settled);
        QVERIFY(replica()
                    .applyChanges(remoteCreation(testUuid(0xC02), "Dora", "c2", { startMs - 4321, 0 }), "c1")
                    .ok());
        QCOMPARE(appliedRows().size(), std::size_t(2));
        QCOMPARE(givenNameOf(replica(), testUuid(0xC02)), "Dora");
    }

    void receivedStampsOrderLaterLocalWrites()
    {
        // The server's copy was written by a device whose clock runs a minute ahead; an
        // edit made here afterwards must still win.
        const std::string citizen = testUuid(0x701);
        QVERIFY(
            replica().applyChanges(remoteCreation(citizen, "Carla", "c1", { startMs + 60'000, 0 }), "").ok());
        const v1::Operation local = rename(citizen, "Carolina");
        QVERIFY(local.hlc().wall_ms() >= startMs + 60'000);
        QCOMPARE(givenNameOf(replica(), citizen), "Carolina");
    }

    void reopensAndContinues()
    {
        const std::string anna = create("Anna");
        const std::string bea = create("Bea");
        Result<std::vector<v1::Operation>> batch = replica().pendingBatch(10);
        QVERIFY(batch.ok());
        QVERIFY(replica()
                    .acknowledge(
                        ackOf({ (*batch)[0].op_id() }, { rejectionOf((*batch)[1].op_id(), "c", "Refused.") }))
                    .ok());
        const v1::Operation pending = rename(anna, "Annalisa");
        QVERIFY(replica().pendingBatch(10).ok()); // handed out, then the app dies
        QVERIFY(replica().applyChanges(remoteCreation(testUuid(0x801), "Carla", "c1"), "").ok());
        const std::string before = snapshot(replica());

        m_device->close();
        // Restarted with its wall clock set back by a minute.
        m_device->clock().set(startMs - 60'000);
        QVERIFY(m_device->open());
        QCOMPARE(snapshot(replica()), before);
        QCOMPARE(outboxSize(replica()), 1u);
        Result<std::vector<ReviewItem>> review = replica().reviewList();
        QVERIFY(review.ok());
        QCOMPARE(review->size(), 1u);
        QCOMPARE(review->front().operation.entity_id(), bea);

        Result<std::vector<v1::Operation>> none = replica().pendingBatch(10);
        QVERIFY(none.ok() && none->empty());
        QVERIFY(replica().resendUnacknowledged().ok());
        Result<std::vector<v1::Operation>> resent = replica().pendingBatch(10);
        QVERIFY(resent.ok());
        QCOMPARE(resent->size(), 1u);
        QCOMPARE(resent->front().op_id(), pending.op_id());

        const v1::Operation after = rename(anna, "Anna Lisa");
        QVERIFY(stampOf(after) > stampOf(pending));
        QCOMPARE(givenNameOf(replica(), anna), "Anna Lisa");
    }

    void purgesAcknowledgedIntakes()
    {
        const auto intake = [&](const std::string &name) {
            v1::Intake patch;
            patch.set_given_name(name);
            patch.set_phone("+39 333 000");
            patch.add_needs("NEED-HOUSING");
            Result<v1::Operation> operation = replica().recordChange(v1::ENTITY_TYPE_INTAKE, patch,
                { v1::Intake::kGivenNameFieldNumber, v1::Intake::kPhoneFieldNumber,
                    v1::Intake::kNeedsFieldNumber });
            if (!operation.ok())
                qFatal("%s", operation.error().describe().c_str());
            return *operation;
        };
        const v1::Operation acknowledged = intake("Anna");
        const v1::Operation refused = intake("Bea");
        QVERIFY(replica().pendingBatch(10).ok());
        QVERIFY(
            replica()
                .acknowledge(ackOf({ acknowledged.op_id() }, { rejectionOf(refused.op_id(), "c", "No.") }))
                .ok());
        // Refused creations leave nothing to purge; make the second intake exist again.
        QVERIFY(replica()
                    .fix(refused.op_id(),
                        [] {
                            v1::Intake patch;
                            patch.set_given_name("Bea");
                            return patch;
                        }(),
                        { v1::Intake::kGivenNameFieldNumber })
                    .ok());
        const v1::Operation waiting = intake("Carla");

        const std::vector<int> personal
            = { v1::Intake::kCodiceFiscaleFieldNumber, v1::Intake::kGivenNameFieldNumber,
                  v1::Intake::kPhoneFieldNumber, v1::Intake::kDetailFieldNumber };
        Result<std::size_t> purged = replica().purgeAcknowledged(v1::ENTITY_TYPE_INTAKE, personal);
        QVERIFY(purged.ok());
        QCOMPARE(*purged, 1u);
        const auto intakeOf = [&](const std::string &id) {
            Result<std::optional<EntityState>> entity = replica().entity(v1::ENTITY_TYPE_INTAKE, id);
            return entity.ok() && entity->has_value() ? static_cast<const v1::Intake &>(*(*entity)->message)
                                                      : v1::Intake();
        };
        QCOMPARE(intakeOf(acknowledged.entity_id()).given_name(), "");
        QCOMPARE(intakeOf(acknowledged.entity_id()).phone(), "");
        QCOMPARE(intakeOf(acknowledged.entity_id()).needs_size(), 1);
        QCOMPARE(intakeOf(waiting.entity_id()).given_name(), "Carla");
        QCOMPARE(intakeOf(refused.entity_id()).given_name(), "Bea");

        purged = replica().purgeAcknowledged(v1::ENTITY_TYPE_INTAKE, personal);
        QVERIFY(purged.ok());
        QCOMPARE(*purged, 0u);
        QCOMPARE(replica().purgeAcknowledged(v1::ENTITY_TYPE_INTAKE, { 1 }).error().code, ErrorCode::Invalid);
    }
};

QTEST_GUILESS_MAIN(TestReplica)
#include "tst_replica.moc"
