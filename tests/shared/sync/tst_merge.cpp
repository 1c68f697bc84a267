// The entity registry, field clocks and the merge: structural checks of operations,
// field-level last-writer-wins with device tie-breaks, clears, whole repeated fields,
// the engine-owned meta, append-only entities, idempotence and commutativity.
#include "operation_builder.h"
#include "sigess/v1/entities.pb.h"
#include "sync/merge.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <set>

using namespace sigess;
using namespace sigess::sync;
using sigess::sync::testing::latestWrite;
using sigess::sync::testing::makeOperation;
using sigess::sync::testing::onlyField;
using sigess::sync::testing::testUuid;

Q_DECLARE_METATYPE(sigess::v1::Operation)

namespace {

const std::string deviceA = testUuid(0xA);
const std::string deviceB = testUuid(0xB);
const std::string citizenId = testUuid(0x100);

EntityState blankOf(v1::EntityType type)
{
    return EntityState::blank(*findEntityKind(type));
}

v1::Operation citizenOperation(unsigned long long opNumber, const std::string &device, core::HlcStamp stamp,
    v1::OpKind kind, const v1::Citizen &patch, const std::vector<int> &fields)
{
    return makeOperation(testUuid(opNumber), device, stamp, kind, citizenId, patch, fields);
}

v1::Citizen named(const std::string &given, const std::string &family = {})
{
    v1::Citizen citizen;
    citizen.set_given_name(given);
    citizen.set_family_name(family);
    return citizen;
}

const v1::Citizen &asCitizen(const EntityState &entity)
{
    return static_cast<const v1::Citizen &>(*entity.message);
}

constexpr int givenName = v1::Citizen::kGivenNameFieldNumber;
constexpr int familyName = v1::Citizen::kFamilyNameFieldNumber;
constexpr int phone = v1::Citizen::kPhoneFieldNumber;

} // namespace

class TestMerge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registryCoversEveryEntityType()
    {
        const auto *types = v1::EntityType_descriptor();
        const std::set<v1::EntityType> appendOnly = { v1::ENTITY_TYPE_NOTE, v1::ENTITY_TYPE_VISIT,
            v1::ENTITY_TYPE_ASSESSMENT, v1::ENTITY_TYPE_AUDIT_EVENT };
        int registered = 0;
        for (int i = 0; i < types->value_count(); ++i) {
            const auto type = static_cast<v1::EntityType>(types->value(i)->number());
            const EntityKind *kind = findEntityKind(type);
            if (type == v1::ENTITY_TYPE_UNSPECIFIED) {
                QVERIFY(kind == nullptr);
                continue;
            }
            QVERIFY2(kind != nullptr, types->value(i)->name().c_str());
            ++registered;
            QCOMPARE(findEntityKind(kind->descriptor()), kind);
            QCOMPARE(kind->writeRule == WriteRule::AppendOnly, appendOnly.contains(type));
            QCOMPARE(kind->descriptor()->FindFieldByNumber(metaFieldNumber)->message_type(),
                v1::EntityMeta::descriptor());
            QCOMPARE(kind->newMessage()->GetDescriptor(), kind->descriptor());
        }
        QCOMPARE(registered, int(entityKinds().size()));
        QCOMPARE(findEntityKind(v1::Operation::descriptor()), nullptr);
        QCOMPARE(findEntityKind(v1::EntityType(99)), nullptr);
    }

    void fieldClockRoundTrip()
    {
        FieldClock clock;
        clock.record(4, { 1'700'000'000'000, 3 }, deviceA);
        clock.record(300, { core::HlcStamp::maxWallMs, core::HlcStamp::maxCounter }, deviceB);
        Result<FieldClock> parsed = FieldClock::parse(clock.serialize());
        QVERIFY(parsed.ok());
        QVERIFY(*parsed == clock);
        QVERIFY(parsed->isSupersededBy(4, { 1'700'000'000'000, 4 }, deviceA));
        QVERIFY(!parsed->isSupersededBy(4, { 1'700'000'000'000, 3 }, deviceA));
        QVERIFY(parsed->isSupersededBy(4, { 1'700'000'000'000, 3 }, deviceB));
        QVERIFY(parsed->isSupersededBy(5, { 0, 0 }, deviceA));

        const std::string bytes = clock.serialize();
        Result<FieldClock> truncated = FieldClock::parse(std::string_view(bytes).substr(0, bytes.size() - 3));
        QVERIFY(!truncated.ok());
        QCOMPARE(truncated.error().code, ErrorCode::Corrupt);
        QVERIFY(FieldClock::parse("").ok());
        QVERIFY(FieldClock::parse("")->empty());
    }

    // A record written by one operation names its device and stamp once, and the bytes
    // depend on the writes alone, not on the order they were recorded in.
    void fieldClockIsCompact()
    {
        FieldClock forward;
        FieldClock backward;
        for (int field = 2; field <= 11; ++field)
            forward.record(field, { 1'700'000'000'000, 7 }, deviceA);
        for (int field = 11; field >= 2; --field)
            backward.record(field, { 1'700'000'000'000, 7 }, deviceA);
        QCOMPARE(forward.serialize(), backward.serialize());
        QVERIFY(forward.serialize().size() < deviceA.size() + 3 * 10 + 16);

        // A field overwritten by another device drops the first device only where no
        // field still names it.
        forward.record(5, { 1'700'000'000'001, 0 }, deviceB);
        for (int field = 2; field <= 11; ++field)
            backward.record(field, { 1'700'000'000'001, 0 }, deviceB);
        backward.record(5, { 1'700'000'000'001, 0 }, deviceB);
        Result<FieldClock> parsed = FieldClock::parse(forward.serialize());
        QVERIFY(parsed.ok());
        QVERIFY(*parsed == forward);
        QCOMPARE(std::string(parsed->find(5)->device), deviceB);
        QCOMPARE(std::string(parsed->find(6)->device), deviceA);
        QVERIFY(FieldClock::parse(backward.serialize())->serialize().find(deviceA) == std::string::npos);
    }

    // Stores written before the indexed form hold a device id and a stamp per field.
    void fieldClockReadsThePerFieldForm()
    {
        std::string bytes;
        const auto varint = [&](std::uint64_t value) {
            for (; value >= 0x80; value >>= 7)
                bytes += static_cast<char>((value & 0x7F) | 0x80);
            bytes += static_cast<char>(value);
        };
        const core::HlcStamp first { 1'700'000'000'000, 3 };
        const core::HlcStamp second { 1'700'000'000'500, 0 };
        varint(4);
        varint(first.pack());
        varint(deviceA.size());
        bytes += deviceA;
        varint(300);
        varint(second.pack());
        varint(deviceB.size());
        bytes += deviceB;
        Result<FieldClock> parsed = FieldClock::parse(bytes);
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->size(), std::size_t(2));
        QCOMPARE(parsed->find(4)->stamp, first);
        QCOMPARE(std::string(parsed->find(4)->device), deviceA);
        QCOMPARE(parsed->find(300)->stamp, second);
        QCOMPARE(std::string(parsed->find(300)->device), deviceB);
        Result<FieldClock> again = FieldClock::parse(parsed->serialize());
        QVERIFY(again.ok());
        QVERIFY(*again == *parsed);

        Result<FieldClock> truncated = FieldClock::parse(std::string_view(bytes).substr(0, bytes.size() - 3));
        QVERIFY(!truncated.ok());
        QCOMPARE(truncated.error().code, ErrorCode::Corrupt);
    }

    void decodeRejects_data()
    {
        QTest::addColumn<v1::Operation>("operation");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("phrase");

        const v1::Operation good
            = citizenOperation(1, deviceA, { 1000, 0 }, v1::OP_KIND_CREATE, named("Anna"), { givenName });
        QVERIFY(decodeOperation(good).ok());
        const auto row = [&](const char *name, auto change, ErrorCode code, const char *phrase) {
            v1::Operation operation = good;
            change(operation);
            QTest::newRow(name) << operation << int(code) << QString(phrase);
        };
        using Op = v1::Operation;
        const int invalid = int(ErrorCode::Invalid);
        row(
            "unknown type", [](Op &o) { o.set_entity_type(v1::EntityType(99)); }, ErrorCode::Invalid,
            "entity type 99 is unknown");
        row(
            "upper-case op id", [](Op &o) { o.set_op_id("0190A8E0-0000-7000-8000-000000000001"); },
            ErrorCode::Invalid, "operation id");
        row(
            "bad entity id", [](Op &o) { o.set_entity_id("citizen-7"); }, ErrorCode::Invalid,
            "entity id 'citizen-7'");
        row(
            "no device", [](Op &o) { o.clear_device(); }, ErrorCode::Invalid, "device id");
        row(
            "no stamp", [](Op &o) { o.clear_hlc(); }, ErrorCode::Invalid, "no HLC stamp");
        row(
            "stamp beyond range", [](Op &o) { o.mutable_hlc()->set_counter(1u << 20); }, ErrorCode::Invalid,
            "counter");
        row(
            "append on mutable", [](Op &o) { o.set_kind(v1::OP_KIND_APPEND); }, ErrorCode::Invalid,
            "Citizen is not an append-only collection");
        row(
            "no kind", [](Op &o) { o.set_kind(v1::OP_KIND_UNSPECIFIED); }, ErrorCode::Invalid,
            "operation kind");
        row(
            "no fields", [](Op &o) { o.clear_fields(); }, ErrorCode::Invalid, "lists no field");
        row(
            "unknown field", [](Op &o) { o.add_fields(77); }, ErrorCode::Invalid, "Citizen has no field 77");
        row(
            "huge field number", [](Op &o) { o.add_fields(1u << 30); }, ErrorCode::Invalid, "has no field");
        row(
            "meta field", [](Op &o) { o.add_fields(1); }, ErrorCode::Invalid, "only the sync engine writes");
        row(
            "repeated field", [](Op &o) { o.add_fields(givenName); }, ErrorCode::Invalid, "twice");
        row(
            "garbage patch", [](Op &o) { o.set_patch("\xff\xff\xff"); }, ErrorCode::Invalid,
            "do not parse as a Citizen");
        row(
            "unknown field in patch", [](Op &o) { o.mutable_patch()->append("\xa8\x06\x01", 3); },
            ErrorCode::Invalid, "unknown to Citizen");
        row(
            "unlisted field in patch", [](Op &o) { o.set_patch(named("Anna", "Rossi").SerializeAsString()); },
            ErrorCode::Invalid, "field 5 (family_name) of Citizen, which the operation does not list");
        row(
            "meta id in patch",
            [](Op &o) {
                v1::Citizen patch = named("Anna");
                patch.mutable_meta()->set_id(citizenId);
                o.set_patch(patch.SerializeAsString());
            },
            ErrorCode::Invalid, "meta fields");
        row(
            "presidio on update",
            [](Op &o) {
                v1::Citizen patch = named("Anna");
                patch.mutable_meta()->set_presidio("P-M01-01");
                o.set_patch(patch.SerializeAsString());
                o.set_kind(v1::OP_KIND_UPDATE);
            },
            ErrorCode::Invalid, "meta fields");
        row(
            "oversized patch",
            [](Op &o) { o.set_patch(named(std::string(300 * 1024, 'a')).SerializeAsString()); },
            ErrorCode::TooLarge, "over the limit");

        v1::Note note;
        note.set_text("seen at home");
        const v1::Operation noteUpdate = makeOperation(testUuid(2), deviceA, { 1000, 0 }, v1::OP_KIND_UPDATE,
            testUuid(0x200), note, { v1::Note::kTextFieldNumber });
        QTest::newRow("update of append-only") << noteUpdate << invalid << "Note is append-only";
    }

    void decodeRejects()
    {
        QFETCH(v1::Operation, operation);
        QFETCH(int, code);
        QFETCH(QString, phrase);
        Result<DecodedOperation> decoded = decodeOperation(operation);
        QVERIFY(!decoded.ok());
        QCOMPARE(int(decoded.error().code), code);
        QVERIFY2(QString::fromStdString(decoded.error().message).contains(phrase),
            decoded.error().message.c_str());
    }

    void latestWriteWinsPerField()
    {
        EntityState entity = blankOf(v1::ENTITY_TYPE_CITIZEN);
        QVERIFY(applyOperation(citizenOperation(1, deviceA, { 1000, 0 }, v1::OP_KIND_CREATE,
                                   named("Anna", "Rossi"), { givenName, familyName }),
            entity)
                    .ok());
        // B renames later; A's older edit of the same field arrives afterwards and loses,
        // while its other field, untouched since, is taken.
        QVERIFY(applyOperation(
            citizenOperation(2, deviceB, { 3000, 0 }, v1::OP_KIND_UPDATE, named("Bea"), { givenName }),
            entity)
                    .ok());
        v1::Citizen older = named("Annette", "Bianchi");
        QVERIFY(applyOperation(
            citizenOperation(3, deviceA, { 2000, 0 }, v1::OP_KIND_UPDATE, older, { givenName, familyName }),
            entity)
                    .ok());
        QCOMPARE(asCitizen(entity).given_name(), "Bea");
        QCOMPARE(asCitizen(entity).family_name(), "Bianchi");
        QCOMPARE(std::string(entity.clock.find(givenName)->device), deviceB);
        QCOMPARE(entity.clock.find(familyName)->stamp, (core::HlcStamp { 2000, 0 }));
        QCOMPARE(entity.meta().updated().wall_ms(), 3000u);
        QCOMPARE(entity.meta().created().wall_ms(), 1000u);
        QCOMPARE(entity.meta().origin_device(), deviceA);
        QCOMPARE(entity.meta().id(), citizenId);
    }

    void tieGoesToGreaterDevice_data()
    {
        QTest::addColumn<bool>("greaterFirst");
        QTest::newRow("greater device first") << true;
        QTest::newRow("greater device last") << false;
    }

    void tieGoesToGreaterDevice()
    {
        QFETCH(bool, greaterFirst);
        const v1::Operation fromA
            = citizenOperation(1, deviceA, { 5000, 2 }, v1::OP_KIND_UPDATE, named("from A"), { givenName });
        const v1::Operation fromB
            = citizenOperation(2, deviceB, { 5000, 2 }, v1::OP_KIND_UPDATE, named("from B"), { givenName });
        EntityState entity = blankOf(v1::ENTITY_TYPE_CITIZEN);
        QVERIFY(applyOperation(greaterFirst ? fromB : fromA, entity).ok());
        QVERIFY(applyOperation(greaterFirst ? fromA : fromB, entity).ok());
        QCOMPARE(asCitizen(entity).given_name(), "from B");
        QCOMPARE(std::string(entity.clock.find(givenName)->device), deviceB);
    }

    void listedButAbsentFieldIsCleared()
    {
        EntityState entity = blankOf(v1::ENTITY_TYPE_CITIZEN);
        v1::Citizen created = named("Anna", "Rossi");
        created.set_phone("+39 06 1234");
        QVERIFY(applyOperation(citizenOperation(1, deviceA, { 1000, 0 }, v1::OP_KIND_CREATE, created,
                                   { givenName, familyName, phone }),
            entity)
                    .ok());
        QVERIFY(applyOperation(
            citizenOperation(2, deviceB, { 2000, 0 }, v1::OP_KIND_UPDATE, v1::Citizen(), { phone }), entity)
                    .ok());
        QCOMPARE(asCitizen(entity).phone(), "");
        QCOMPARE(asCitizen(entity).given_name(), "Anna");
        QCOMPARE(entity.clock.find(phone)->stamp, (core::HlcStamp { 2000, 0 }));
        // A clear is a write like any other: an older value arriving late stays out.
        v1::Citizen oldPhone;
        oldPhone.set_phone("+39 06 9999");
        QVERIFY(applyOperation(
            citizenOperation(3, deviceA, { 1500, 0 }, v1::OP_KIND_UPDATE, oldPhone, { phone }), entity)
                    .ok());
        QCOMPARE(asCitizen(entity).phone(), "");
    }

    void repeatedAndMessageFieldsAreReplacedWhole()
    {
        const std::string caseId = testUuid(0x300);
        v1::Case first;
        first.add_target_groups("ANZIANI");
        first.add_target_groups("DISABILI");
        first.set_state("OPEN");
        v1::Case second;
        second.add_target_groups("POVERTA");
        EntityState entity = blankOf(v1::ENTITY_TYPE_CASE);
        QVERIFY(
            applyOperation(makeOperation(testUuid(1), deviceA, { 1000, 0 }, v1::OP_KIND_CREATE, caseId, first,
                               { v1::Case::kTargetGroupsFieldNumber, v1::Case::kStateFieldNumber }),
                entity)
                .ok());
        QVERIFY(applyOperation(makeOperation(testUuid(2), deviceB, { 2000, 0 }, v1::OP_KIND_UPDATE, caseId,
                                   second, { v1::Case::kTargetGroupsFieldNumber }),
            entity)
                    .ok());
        const auto &merged = static_cast<const v1::Case &>(*entity.message);
        QCOMPARE(merged.target_groups_size(), 1);
        QCOMPARE(merged.target_groups(0), "POVERTA");
        QCOMPARE(merged.state(), "OPEN");

        const std::string ticketId = testUuid(0x301);
        v1::Ticket called;
        called.mutable_called()->set_wall_ms(77);
        v1::Ticket recalled;
        recalled.mutable_called()->set_counter(5);
        EntityState ticket = blankOf(v1::ENTITY_TYPE_TICKET);
        QVERIFY(applyOperation(makeOperation(testUuid(3), deviceA, { 1000, 0 }, v1::OP_KIND_CREATE, ticketId,
                                   called, { v1::Ticket::kCalledFieldNumber }),
            ticket)
                    .ok());
        QVERIFY(applyOperation(makeOperation(testUuid(4), deviceA, { 1001, 0 }, v1::OP_KIND_UPDATE, ticketId,
                                   recalled, { v1::Ticket::kCalledFieldNumber }),
            ticket)
                    .ok());
        const auto &mergedTicket = static_cast<const v1::Ticket &>(*ticket.message);
        QCOMPARE(mergedTicket.called().wall_ms(), 0u);
        QCOMPARE(mergedTicket.called().counter(), 5u);
    }

    void metaBelongsToTheEngine()
    {
        v1::Citizen created = named("Anna");
        created.mutable_meta()->set_presidio("P-M01-01");
        EntityState entity = blankOf(v1::ENTITY_TYPE_CITIZEN);
        // An update seen before its creation: the creation still sets meta when it comes.
        QVERIFY(applyOperation(
            citizenOperation(2, deviceB, { 2000, 0 }, v1::OP_KIND_UPDATE, named("Bea"), { givenName }),
            entity)
                    .ok());
        QVERIFY(!entity.created());
        QVERIFY(applyOperation(
            citizenOperation(1, deviceA, { 1000, 0 }, v1::OP_KIND_CREATE, created, { givenName }), entity)
                    .ok());
        QVERIFY(entity.created());
        QCOMPARE(entity.meta().presidio(), "P-M01-01");
        QCOMPARE(entity.meta().origin_device(), deviceA);
        QCOMPARE(entity.meta().created().wall_ms(), 1000u);
        QCOMPARE(entity.meta().updated().wall_ms(), 2000u);
        QCOMPARE(asCitizen(entity).given_name(), "Bea");

        EntityState other = blankOf(v1::ENTITY_TYPE_CITIZEN);
        v1::Operation elsewhere
            = citizenOperation(3, deviceA, { 3000, 0 }, v1::OP_KIND_UPDATE, named("C"), { givenName });
        elsewhere.set_entity_id(testUuid(0x999));
        QVERIFY(applyOperation(elsewhere, other).ok());
        Status mismatch = applyOperation(elsewhere, entity);
        QVERIFY(!mismatch.ok());
        QCOMPARE(mismatch.error().code, ErrorCode::Invalid);
        EntityState note = blankOf(v1::ENTITY_TYPE_NOTE);
        Status wrongType = applyOperation(elsewhere, note);
        QVERIFY(!wrongType.ok());
    }

    void appendOnlyIsWrittenOnce()
    {
        const std::string noteId = testUuid(0x400);
        v1::Note note;
        note.set_text("home visit: heating broken");
        note.set_case_id(testUuid(0x300));
        const std::vector<int> fields = { v1::Note::kTextFieldNumber, v1::Note::kCaseIdFieldNumber };
        const v1::Operation append
            = makeOperation(testUuid(1), deviceA, { 1000, 0 }, v1::OP_KIND_APPEND, noteId, note, fields);
        EntityState entity = blankOf(v1::ENTITY_TYPE_NOTE);
        QVERIFY(applyOperation(append, entity).ok());
        const EntityState once = entity.clone();
        QVERIFY(applyOperation(append, entity).ok());
        QVERIFY(entity == once);

        note.set_text("rewritten");
        Status again = applyOperation(
            makeOperation(testUuid(2), deviceB, { 2000, 0 }, v1::OP_KIND_APPEND, noteId, note, fields),
            entity);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY2(again.error().message.find("append-only and already exists") != std::string::npos,
            again.error().message.c_str());
        QVERIFY(entity == once);
    }

    void idempotentAndCommutative()
    {
        // One case, written by four devices with clashing stamps: every order of the
        // same operations, each possibly delivered twice, ends in the same entity.
        const std::string caseId = testUuid(0x500);
        const std::vector<std::string> devices = { testUuid(1), testUuid(2), testUuid(3), testUuid(4) };
        const std::vector<int> caseFields = { v1::Case::kCitizenFieldNumber, v1::Case::kStateFieldNumber,
            v1::Case::kResponsibleOperatorFieldNumber, v1::Case::kTargetGroupsFieldNumber,
            v1::Case::kPrevalentTargetGroupFieldNumber, v1::Case::kOpenedOnFieldNumber,
            v1::Case::kClosedOnFieldNumber, v1::Case::kClosureReasonFieldNumber,
            v1::Case::kIntakeFieldNumber };
        std::mt19937 random(20240611);
        std::vector<v1::Operation> operations;
        std::set<std::pair<std::uint64_t, std::string>> usedStamps;
        for (int i = 0; i < 24; ++i) {
            const std::string &device = devices[random() % devices.size()];
            core::HlcStamp stamp { 1000 + random() % 6, static_cast<std::uint32_t>(random() % 2) };
            if (!usedStamps.insert({ stamp.pack(), device }).second)
                continue; // a device's clock never issues the same stamp twice
            v1::Case patch;
            std::vector<int> fields;
            for (const int field : caseFields) {
                if (random() % 3 != 0)
                    continue;
                fields.push_back(field);
                if (random() % 4 == 0)
                    continue; // listed but absent: a clear
                const std::string value = "v" + std::to_string(i);
                const auto *descriptor = patch.GetDescriptor()->FindFieldByNumber(field);
                if (descriptor->is_repeated()) {
                    for (unsigned n = 0; n <= random() % 3; ++n)
                        patch.GetReflection()->AddString(&patch, descriptor, value + "-" + std::to_string(n));
                } else {
                    patch.GetReflection()->SetString(&patch, descriptor, value);
                }
            }
            if (fields.empty())
                fields.push_back(v1::Case::kStateFieldNumber);
            const v1::OpKind kind = operations.empty() ? v1::OP_KIND_CREATE : v1::OP_KIND_UPDATE;
            operations.push_back(
                makeOperation(testUuid(0x1000 + unsigned(i)), device, stamp, kind, caseId, patch, fields));
        }
        QVERIFY(operations.size() > 15);

        EntityState reference = blankOf(v1::ENTITY_TYPE_CASE);
        for (const v1::Operation &operation : operations)
            QVERIFY(applyOperation(operation, reference).ok());
        QVERIFY(reference.created());

        for (int round = 0; round < 200; ++round) {
            std::vector<const v1::Operation *> delivery;
            for (const v1::Operation &operation : operations) {
                delivery.push_back(&operation);
                if (random() % 4 == 0)
                    delivery.push_back(&operation);
            }
            std::shuffle(delivery.begin(), delivery.end(), random);
            EntityState entity = blankOf(v1::ENTITY_TYPE_CASE);
            for (const v1::Operation *operation : delivery)
                QVERIFY(applyOperation(*operation, entity).ok());
            QVERIFY2(entity == reference,
                qPrintable(QString("round %1: %2 vs %3")
                               .arg(round)
                               .arg(QString::fromStdString(entity.message->ShortDebugString()))
                               .arg(QString::fromStdString(reference.message->ShortDebugString()))));
        }

        // Each field holds the value of its latest write.
        for (const int field : caseFields) {
            const v1::Operation *latest = latestWrite(operations, caseId, field);
            if (latest == nullptr) {
                QVERIFY(!reference.clock.find(field));
                continue;
            }
            v1::Case patch;
            QVERIFY(patch.ParseFromString(latest->patch()));
            QCOMPARE(onlyField(*reference.message, field)->SerializeAsString(),
                onlyField(patch, field)->SerializeAsString());
            QCOMPARE(std::string(reference.clock.find(field)->device), latest->device());
        }
    }
};

QTEST_GUILESS_MAIN(TestMerge)
#include "tst_merge.moc"
