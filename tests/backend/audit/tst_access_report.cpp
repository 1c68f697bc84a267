// Audit events built from policy decisions (break-the-glass flagged with its reason,
// denials recorded) and the citizen access report over them.
#include "audit/access_event.h"
#include "audit/access_report.h"
#include "audit/chain.h"
#include "policy/break_glass.h"

#include <QTest>

using namespace sigess;

namespace {

constexpr std::uint64_t kNow = 1'741'083'300'000;  // 2025-03-04T10:15:00Z

policy::Principal supervisor()
{
    policy::Principal principal;
    principal.role = v1::ROLE_SUPERVISOR;
    principal.operatorId = "op-super";
    principal.deviceId = "dev-console";
    principal.presidio = "P-M01-01";
    principal.municipio = "M01";
    return principal;
}

policy::Target caseOf(std::string citizen)
{
    policy::Target target;
    target.id = "case-1";
    target.caseId = "case-1";
    target.citizen = std::move(citizen);
    target.presidio = "P-M07-02";
    target.municipio = "M07";
    target.assignedOperators = {"op-7"};
    return target;
}

} // namespace

class TestAccessReport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void breakGlassAccessIsFlagged();
    void deniedAccessIsRecorded();
    void ordinaryAccessCarriesTheRule();
    void kioskAccessNamesTheDevice();
    void grantEvent();
    void reportListsOneCitizen();
    void eventCoveringSeveralRecordsListsEach();
};

void TestAccessReport::breakGlassAccessIsFlagged()
{
    const core::ManualClock clock(kNow);
    policy::Principal principal = supervisor();
    const auto grant = policy::grantBreakGlass(principal, policy::GrantScope::Citizen, "citizen-1",
                                               "Police request about a missing minor", clock);
    QVERIFY(grant.ok());
    principal.grants.push_back(*grant);
    const auto decision =
        policy::authorize(principal, policy::Resource::Case, policy::Action::Read, caseOf("citizen-1"), clock);
    QVERIFY(decision.breakGlassUsed);

    const v1::AuditEvent event = audit::accessEvent("event-1", principal, decision, policy::Action::Read,
                                                    {v1::ENTITY_TYPE_CASE, "case-1", "citizen-1", "P-M07-02"}, kNow);
    QCOMPARE(event.meta().id(), std::string("event-1"));
    QCOMPARE(event.meta().presidio(), std::string("P-M07-02"));
    QCOMPARE(event.actor(), std::string("op-super"));
    QCOMPARE(event.role(), v1::ROLE_SUPERVISOR);
    QCOMPARE(event.device(), std::string("dev-console"));
    QCOMPARE(event.record_type(), v1::ENTITY_TYPE_CASE);
    QCOMPARE(event.record_id(), std::string("case-1"));
    QCOMPARE(event.citizen(), std::string("citizen-1"));
    QCOMPARE(event.action(), std::string("read"));
    QCOMPARE(event.reason(), std::string("Police request about a missing minor"));
    QVERIFY(event.break_glass());
    QCOMPARE(event.at_ms(), kNow);
    QVERIFY(event.hash().empty());  // linking into the chain is a separate step
}

void TestAccessReport::deniedAccessIsRecorded()
{
    const core::ManualClock clock(kNow);
    const auto decision =
        policy::authorize(supervisor(), policy::Resource::Citizen, policy::Action::Read, caseOf("citizen-1"), clock);
    QVERIFY(!decision.allowed);
    const v1::AuditEvent event = audit::accessEvent("event-2", supervisor(), decision, policy::Action::Read,
                                                    {v1::ENTITY_TYPE_CITIZEN, "citizen-1", "citizen-1", ""}, kNow);
    QCOMPARE(event.action(), std::string("read_denied"));
    QCOMPARE(event.reason(), decision.reason);
    QVERIFY(!event.break_glass());
}

void TestAccessReport::ordinaryAccessCarriesTheRule()
{
    const core::ManualClock clock(kNow);
    policy::Principal principal = supervisor();
    principal.role = v1::ROLE_OPERATOR;
    principal.operatorId = "op-7";
    const auto decision =
        policy::authorize(principal, policy::Resource::Case, policy::Action::Update, caseOf("citizen-1"), clock);
    QVERIFY(decision.allowed);
    const v1::AuditEvent event = audit::accessEvent("event-3", principal, decision, policy::Action::Update,
                                                    {v1::ENTITY_TYPE_CASE, "case-1", "citizen-1", "P-M07-02"}, kNow);
    QCOMPARE(event.action(), std::string("update"));
    QCOMPARE(event.reason(), std::string("operator may update case within scope assigned"));
    QVERIFY(!event.break_glass());
}

void TestAccessReport::kioskAccessNamesTheDevice()
{
    policy::Principal kiosk;
    kiosk.role = v1::ROLE_KIOSK;
    kiosk.deviceId = "dev-kiosk-3";
    kiosk.presidio = "P-M07-02";
    const policy::Decision decision{true, false, "kiosk may create intake within scope presidio", {}};
    const v1::AuditEvent event = audit::accessEvent("event-4", kiosk, decision, policy::Action::Create,
                                                    {v1::ENTITY_TYPE_INTAKE, "intake-1", "", "P-M07-02"}, kNow);
    QCOMPARE(event.actor(), std::string("dev-kiosk-3"));
    QCOMPARE(event.device(), std::string("dev-kiosk-3"));
    QCOMPARE(event.meta().origin_device(), std::string("dev-kiosk-3"));
}

void TestAccessReport::grantEvent()
{
    const core::ManualClock clock(kNow);
    const auto grant = policy::grantBreakGlass(supervisor(), policy::GrantScope::Presidio, "P-M07-02",
                                               "Checking a complaint about the Ostia queue", clock);
    QVERIFY(grant.ok());
    const v1::AuditEvent event = audit::breakGlassEvent("event-5", supervisor(), *grant, kNow);
    QCOMPARE(event.action(), std::string("break_glass"));
    QCOMPARE(event.record_type(), v1::ENTITY_TYPE_PRESIDIO);
    QCOMPARE(event.record_id(), std::string("P-M07-02"));
    QCOMPARE(event.meta().presidio(), std::string("P-M07-02"));
    QVERIFY(event.citizen().empty());
    QCOMPARE(event.reason(), std::string("Checking a complaint about the Ostia queue"));
    QVERIFY(event.break_glass());

    const auto citizenGrant = policy::grantBreakGlass(supervisor(), policy::GrantScope::Citizen, "citizen-1",
                                                      "Police request about a missing minor", clock);
    QCOMPARE(audit::breakGlassEvent("event-6", supervisor(), *citizenGrant, kNow).citizen(), std::string("citizen-1"));
}

void TestAccessReport::reportListsOneCitizen()
{
    const core::ManualClock clock(kNow);
    policy::Principal op;
    op.role = v1::ROLE_OPERATOR;
    op.operatorId = "op-7";
    op.deviceId = "dev-tablet-7";
    op.presidio = "P-M07-02";
    op.municipio = "M07";
    const policy::Decision readCase =
        policy::authorize(op, policy::Resource::Case, policy::Action::Read, caseOf("citizen-1"), clock);

    policy::Principal super = supervisor();
    const auto grant = policy::grantBreakGlass(super, policy::GrantScope::Citizen, "citizen-1",
                                               "Police request about a missing minor", clock);
    super.grants.push_back(*grant);
    const policy::Decision glassRead =
        policy::authorize(super, policy::Resource::Case, policy::Action::Read, caseOf("citizen-1"), clock);

    const audit::AccessedRecord case1{v1::ENTITY_TYPE_CASE, "case-1", "citizen-1", "P-M07-02"};
    const audit::AccessedRecord otherCase{v1::ENTITY_TYPE_CASE, "case-2", "citizen-2", "P-M07-02"};
    std::vector<v1::AuditEvent> events;
    audit::ChainHead head;
    const auto append = [&](v1::AuditEvent event) {
        events.push_back(audit::chainEvent(head, std::move(event)));
        head = audit::headOf(events.back());
    };
    append(audit::accessEvent("e1", op, readCase, policy::Action::Read, case1, kNow + 60'000));
    append(audit::accessEvent("e2", op, readCase, policy::Action::Read, otherCase, kNow + 61'000));
    append(audit::breakGlassEvent("e3", super, *grant, kNow + 120'000));
    append(audit::accessEvent("e4", super, glassRead, policy::Action::Read, case1, kNow + 121'000));
    // Stored out of time order (a tablet that synced late): the report sorts by time.
    append(audit::accessEvent("e5", op, readCase, policy::Action::Update, case1, kNow));

    const auto records = audit::citizenAccessReport(events, "citizen-1");
    QCOMPARE(records.size(), 4u);
    QCOMPARE(records[0].sequence, 5u);
    QCOMPARE(records[1].sequence, 1u);
    QCOMPARE(records[2].action, std::string("break_glass"));
    QVERIFY(records[3].breakGlass);
    QVERIFY(audit::citizenAccessReport(events, "").empty());
    QVERIFY(audit::citizenAccessReport(events, "citizen-3").empty());

    QCOMPARE(audit::formatAccessReport(records),
             std::string("2025-03-04T10:15:00Z  operator  op-7  update case case-1  device dev-tablet-7  reason: "
                         "operator may read case within scope assigned_or_queue\n"
                         "2025-03-04T10:16:00Z  operator  op-7  read case case-1  device dev-tablet-7  reason: "
                         "operator may read case within scope assigned_or_queue\n"
                         "2025-03-04T10:17:00Z  supervisor  op-super  break_glass citizen citizen-1  device "
                         "dev-console  reason: Police request about a missing minor  [BREAK THE GLASS]\n"
                         "2025-03-04T10:17:01Z  supervisor  op-super  read case case-1  device dev-console  reason: "
                         "Police request about a missing minor  [BREAK THE GLASS]\n"));
}

void TestAccessReport::eventCoveringSeveralRecordsListsEach()
{
    policy::Principal op;
    op.role = v1::ROLE_OPERATOR;
    op.operatorId = "op-7";
    op.deviceId = "dev-tablet-7";
    policy::Decision pushed;
    pushed.allowed = true;
    pushed.reason = "pushed by the device";
    const std::vector<audit::AccessedRecord> written{{v1::ENTITY_TYPE_CASE, "case-1", "citizen-1", "P-M07-02"},
                                                     {v1::ENTITY_TYPE_VISIT, "visit-1", "citizen-1", "P-M07-02"},
                                                     {v1::ENTITY_TYPE_NOTE, "note-1", "citizen-1", "P-M07-02"}};
    const v1::AuditEvent event
        = audit::chainEvent({}, audit::accessEvent("e1", op, pushed, policy::Action::Create, written, kNow));
    QCOMPARE(event.record_type(), v1::ENTITY_TYPE_CASE);
    QCOMPARE(event.record_id(), std::string("case-1"));
    QCOMPARE(event.citizen(), std::string("citizen-1"));
    QCOMPARE(event.meta().presidio(), std::string("P-M07-02"));
    QCOMPARE(event.also_records_size(), 2);
    // The records are hashed with the event: dropping one breaks the chain.
    v1::AuditEvent tampered = event;
    tampered.mutable_also_records()->RemoveLast();
    QVERIFY(audit::eventHash({}, tampered) != event.hash());

    const std::vector<v1::AuditEvent> events{event};
    const auto records = audit::citizenAccessReport(events, "citizen-1");
    QCOMPARE(records.size(), 3u);
    QCOMPARE(records[1].recordType, v1::ENTITY_TYPE_VISIT);
    QCOMPARE(records[2].recordId, std::string("note-1"));
    for (const audit::AccessRecord &record : records) {
        QCOMPARE(record.sequence, 1u);
        QCOMPARE(record.actor, std::string("op-7"));
        QCOMPARE(record.action, std::string("create"));
    }
    QCOMPARE(audit::formatAccessReport(records),
             std::string("2025-03-04T10:15:00Z  operator  op-7  create case case-1  device dev-tablet-7  reason: "
                         "pushed by the device\n"
                         "2025-03-04T10:15:00Z  operator  op-7  create visit visit-1  device dev-tablet-7  reason: "
                         "pushed by the device\n"
                         "2025-03-04T10:15:00Z  operator  op-7  create note note-1  device dev-tablet-7  reason: "
                         "pushed by the device\n"));
}

QTEST_GUILESS_MAIN(TestAccessReport)
#include "tst_access_report.moc"
