// The audit hash chain: linking, canonical bytes, and detection of each kind of tampering
// at the first place it shows, plus a long chain and a chain verified page by page.
#include "audit/chain.h"

#include <QCryptographicHash>
#include <QTest>

#include <functional>
#include <vector>

using namespace sigess;
using audit::ChainHead;
using audit::Tampering;

namespace {

v1::AuditEvent rawEvent(int i)
{
    v1::AuditEvent event;
    event.mutable_meta()->set_id("event-" + std::to_string(i));
    event.mutable_meta()->set_presidio("P-M01-01");
    event.set_actor("op-" + std::to_string(i % 7));
    event.set_role(v1::ROLE_OPERATOR);
    event.set_device("dev-" + std::to_string(i % 3));
    event.set_record_type(v1::ENTITY_TYPE_CASE);
    event.set_record_id("case-" + std::to_string(i % 11));
    event.set_citizen("citizen-" + std::to_string(i % 5));
    event.set_action(i % 2 ? "read" : "update");
    event.set_reason("operator may read case within scope assigned");
    event.set_at_ms(1'750'000'000'000ULL + static_cast<std::uint64_t>(i) * 1000);
    return event;
}

std::vector<v1::AuditEvent> makeChain(int count, ChainHead head = {})
{
    std::vector<v1::AuditEvent> events;
    events.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        events.push_back(audit::chainEvent(head, rawEvent(static_cast<int>(head.sequence) + 1)));
        head = audit::headOf(events.back());
    }
    return events;
}

using Tamper = std::function<void(std::vector<v1::AuditEvent> &)>;

} // namespace

Q_DECLARE_METATYPE(Tamper)

class TestAuditChain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void chainLinksEvents();
    void canonicalBytesCoverEverythingButTheHash();
    void intactChainVerifies();
    void emptyChainVerifies();
    void tampering_data();
    void tampering();
    void truncationNeedsTheRecordedHead();
    void rewrittenTailNeedsTheRecordedHead();
    void verifiesPageByPage();
    void longChainVerifies();
};

void TestAuditChain::chainLinksEvents()
{
    const auto events = makeChain(3);
    QCOMPARE(events[0].sequence(), 1u);
    QVERIFY(events[0].previous_hash().empty());
    QCOMPARE(events[0].hash().size(), audit::kHashSize);
    QCOMPARE(events[0].hash(), audit::eventHash("", events[0]));
    QCOMPARE(events[1].sequence(), 2u);
    QCOMPARE(events[1].previous_hash(), events[0].hash());
    QCOMPARE(events[2].previous_hash(), events[1].hash());
    QVERIFY(events[1].hash() != events[2].hash());
    QCOMPARE(audit::headOf(events[2]), (ChainHead{3, events[2].hash()}));

    // SHA-256 of previous || canonical, computed independently of eventHash's code path.
    QCOMPARE(QByteArray::fromStdString(events[1].hash()),
             QCryptographicHash::hash(QByteArray::fromStdString(events[0].hash() + audit::canonicalBytes(events[1])),
                                      QCryptographicHash::Sha256));
}

void TestAuditChain::canonicalBytesCoverEverythingButTheHash()
{
    const v1::AuditEvent event = makeChain(1).front();
    v1::AuditEvent rehashed = event;
    rehashed.set_hash("something else");
    QCOMPARE(audit::canonicalBytes(rehashed), audit::canonicalBytes(event));

    // Every other field, set or changed, changes the canonical bytes.
    const google::protobuf::Descriptor *descriptor = v1::AuditEvent::descriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const google::protobuf::FieldDescriptor *field = descriptor->field(i);
        if (field->name() == "hash")
            continue;
        v1::AuditEvent changed = event;
        const google::protobuf::Reflection *reflection = changed.GetReflection();
        using FD = google::protobuf::FieldDescriptor;
        switch (field->cpp_type()) {
        case FD::CPPTYPE_STRING: reflection->SetString(&changed, field, reflection->GetString(event, field) + "x"); break;
        case FD::CPPTYPE_UINT64: reflection->SetUInt64(&changed, field, reflection->GetUInt64(event, field) + 1); break;
        case FD::CPPTYPE_BOOL: reflection->SetBool(&changed, field, !reflection->GetBool(event, field)); break;
        case FD::CPPTYPE_ENUM: reflection->SetEnumValue(&changed, field, reflection->GetEnumValue(event, field) + 1); break;
        case FD::CPPTYPE_MESSAGE: changed.mutable_meta()->set_origin_device("forged"); break;
        default: QFAIL(field->name().c_str());
        }
        QVERIFY2(audit::canonicalBytes(changed) != audit::canonicalBytes(event), field->name().c_str());
    }
}

void TestAuditChain::intactChainVerifies()
{
    const auto events = makeChain(50);
    const auto report = audit::verifyChain(events, {}, audit::headOf(events.back()));
    QVERIFY(report.intact());
    QVERIFY(report.status().ok());
    QCOMPARE(report.eventsChecked, 50u);
    QCOMPARE(report.head, audit::headOf(events.back()));
}

void TestAuditChain::emptyChainVerifies()
{
    const auto report = audit::verifyChain({}, {}, ChainHead{});
    QVERIFY(report.intact());
    QCOMPARE(report.head, ChainHead{});
}

void TestAuditChain::tampering_data()
{
    QTest::addColumn<Tamper>("tamper");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("reason");

    const auto kind = [](Tampering t) { return static_cast<int>(t); };
    QTest::newRow("actor changed") << Tamper([](auto &e) { e[5].set_actor("op-innocent"); })
                                   << kind(Tampering::ContentChanged) << 5
                                   << "event at position 5 (sequence 6, id event-6): its content does not match its hash";
    QTest::newRow("reason changed") << Tamper([](auto &e) { e[9].set_reason("routine"); })
                                    << kind(Tampering::ContentChanged) << 9 << "its content does not match its hash";
    QTest::newRow("time changed") << Tamper([](auto &e) { e[0].set_at_ms(e[0].at_ms() - 3600000); })
                                  << kind(Tampering::ContentChanged) << 0 << "its content does not match its hash";
    QTest::newRow("break-glass flag set") << Tamper([](auto &e) { e[3].set_break_glass(true); })
                                              << kind(Tampering::ContentChanged) << 3 << "does not match its hash";
    QTest::newRow("citizen changed") << Tamper([](auto &e) { e[19].set_citizen("citizen-x"); })
                                     << kind(Tampering::ContentChanged) << 19 << "does not match its hash";
    QTest::newRow("hash changed") << Tamper([](auto &e) { e[4].mutable_hash()->at(0) ^= 1; })
                                  << kind(Tampering::ContentChanged) << 4 << "does not match its hash";
    QTest::newRow("event deleted") << Tamper([](auto &e) { e.erase(e.begin() + 5); })
                                   << kind(Tampering::EventsMissing) << 5
                                   << "the sequence jumps from 5 to 7: events 6..6 are missing";
    QTest::newRow("three events deleted") << Tamper([](auto &e) { e.erase(e.begin() + 10, e.begin() + 13); })
                                          << kind(Tampering::EventsMissing) << 10 << "events 11..13 are missing";
    QTest::newRow("first event deleted") << Tamper([](auto &e) { e.erase(e.begin()); })
                                         << kind(Tampering::EventsMissing) << 0 << "from 0 to 2";
    QTest::newRow("two events swapped") << Tamper([](auto &e) { std::swap(e[5], e[6]); })
                                        << kind(Tampering::EventsReordered) << 5
                                        << "sequence 6 appears later, at position 6: events were reordered";
    QTest::newRow("event moved to the end") << Tamper([](auto &e) {
        const auto moved = e[3];
        e.erase(e.begin() + 3);
        e.push_back(moved);
    }) << kind(Tampering::EventsReordered) << 3 << "sequence 4 appears later, at position 19";
    QTest::newRow("later event moved earlier") << Tamper([](auto &e) {
        const auto moved = e[12];
        e.erase(e.begin() + 12);
        e.insert(e.begin() + 4, moved);
    }) << kind(Tampering::EventsReordered) << 4 << "events were reordered";
    QTest::newRow("forged event inserted, well hashed") << Tamper([](auto &e) {
        v1::AuditEvent forged = rawEvent(99);
        forged.set_action("read");
        e.insert(e.begin() + 6, audit::chainEvent(audit::headOf(e[5]), forged));
    }) << kind(Tampering::EventInserted) << 7 << "sequence 7 repeats: an event was inserted before this one";
    QTest::newRow("forged event inserted, badly hashed") << Tamper([](auto &e) {
        v1::AuditEvent forged = audit::chainEvent(audit::headOf(e[5]), rawEvent(99));
        forged.set_sequence(100);
        e.insert(e.begin() + 6, forged);
    }) << kind(Tampering::ContentChanged) << 6 << "does not match its hash";
    QTest::newRow("event without a sequence") << Tamper([](auto &e) {
        v1::AuditEvent forged = rawEvent(99);
        forged.set_previous_hash(e[5].hash());
        forged.set_hash(audit::eventHash(forged.previous_hash(), forged));
        e.insert(e.begin() + 6, forged);
    }) << kind(Tampering::EventInserted) << 6 << "carries no sequence number";
    QTest::newRow("event replaced and re-hashed") << Tamper([](auto &e) {
        v1::AuditEvent replaced = e[8];
        replaced.set_reason("nothing to see");
        e[8] = audit::chainEvent(audit::headOf(e[7]), replaced);
    }) << kind(Tampering::BrokenLink) << 9 << "does not match the hash of the event before it";
}

void TestAuditChain::tampering()
{
    QFETCH(Tamper, tamper);
    QFETCH(int, kind);
    QFETCH(int, position);
    QFETCH(QString, reason);

    auto events = makeChain(20);
    const ChainHead recordedHead = audit::headOf(events.back());
    tamper(events);
    const auto report = audit::verifyChain(events, {}, recordedHead);
    QVERIFY(!report.intact());
    QCOMPARE(static_cast<int>(report.fault->kind), kind);
    QCOMPARE(static_cast<int>(report.fault->position), position);
    QVERIFY2(QString::fromStdString(report.fault->reason).contains(reason), report.fault->reason.c_str());
    QCOMPARE(report.status().error().code, ErrorCode::Corrupt);
    QVERIFY(QString::fromStdString(report.status().error().message).startsWith(QStringLiteral("audit chain ")));
}

void TestAuditChain::truncationNeedsTheRecordedHead()
{
    auto events = makeChain(20);
    const ChainHead recordedHead = audit::headOf(events.back());
    events.resize(17);
    // Without the head kept apart, a shortened chain is still a consistent chain.
    QVERIFY(audit::verifyChain(events).intact());
    const auto report = audit::verifyChain(events, {}, recordedHead);
    QVERIFY(!report.intact());
    QCOMPARE(report.fault->kind, Tampering::HeadMismatch);
    QCOMPARE(report.fault->position, 17u);
    QVERIFY2(report.fault->reason.find("ends at sequence 17 but its recorded head is sequence 20")
                 != std::string::npos,
             report.fault->reason.c_str());
}

void TestAuditChain::rewrittenTailNeedsTheRecordedHead()
{
    auto events = makeChain(20);
    const ChainHead recordedHead = audit::headOf(events.back());
    // An attacker who can hash rewrites event 10 and re-chains everything after it.
    events[10].set_actor("op-scapegoat");
    for (std::size_t i = 10; i < events.size(); ++i)
        events[i] = audit::chainEvent(audit::headOf(events[i - 1]), events[i]);
    QVERIFY(audit::verifyChain(events).intact());
    const auto report = audit::verifyChain(events, {}, recordedHead);
    QCOMPARE(report.fault->kind, Tampering::HeadMismatch);
}

void TestAuditChain::verifiesPageByPage()
{
    const auto events = makeChain(95);
    ChainHead head;
    for (std::size_t from = 0; from < events.size(); from += 10) {
        const std::size_t count = std::min<std::size_t>(10, events.size() - from);
        const auto page = std::span(events).subspan(from, count);
        const auto report = audit::verifyChain(page, head);
        QVERIFY2(report.intact(), report.intact() ? "" : report.fault->reason.c_str());
        head = report.head;
    }
    QCOMPARE(head, audit::headOf(events.back()));

    // A page checked against the wrong starting head is caught at its first event.
    const auto report = audit::verifyChain(std::span(events).subspan(30, 10), audit::headOf(events[20]));
    QCOMPARE(report.fault->kind, Tampering::EventsMissing);
    QCOMPARE(report.fault->position, 0u);
}

void TestAuditChain::longChainVerifies()
{
    auto events = makeChain(10'000);
    const ChainHead recordedHead = audit::headOf(events.back());
    QCOMPARE(recordedHead.sequence, 10'000u);
    const auto report = audit::verifyChain(events, {}, recordedHead);
    QVERIFY(report.intact());
    QCOMPARE(report.eventsChecked, 10'000u);

    events[7'777].set_action("read");
    events[7'777].set_record_id("case-0");
    const auto tampered = audit::verifyChain(events, {}, recordedHead);
    QVERIFY(!tampered.intact());
    QCOMPARE(tampered.fault->position, 7'777u);
    QCOMPARE(tampered.fault->sequence, 7'778u);
}

QTEST_GUILESS_MAIN(TestAuditChain)
#include "tst_audit_chain.moc"
