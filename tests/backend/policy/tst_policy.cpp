// Break-the-glass grants, the kiosk's intake allow-list, the entity-to-resource mapping,
// and docs/policy.md staying equal to the policy table.
#include "policy/break_glass.h"
#include "policy/kiosk_intake.h"
#include "policy/policy.h"

#include <QFile>
#include <QTest>

#include <google/protobuf/descriptor.h>

using namespace sigess;
using policy::Action;
using policy::GrantScope;
using policy::Resource;

namespace {

constexpr std::uint64_t kStart = 1'750'000'000'000;
constexpr std::uint64_t kFourHours = 4ULL * 3600 * 1000;

policy::Principal principal(v1::Role role, std::string operatorId = "op-1")
{
    policy::Principal p;
    p.role = role;
    p.operatorId = std::move(operatorId);
    p.deviceId = "dev-1";
    p.presidio = "P-M01-01";
    p.municipio = "M01";
    return p;
}

policy::Target citizenElsewhere()
{
    policy::Target target;
    target.id = "citizen-9";
    target.citizen = "citizen-9";
    target.presidio = "P-M09-01";
    target.municipio = "M09";
    target.assignedOperators = {"op-2"};
    return target;
}

// Sets one field of an intake to a non-default value, whatever its type.
void setSomething(v1::Intake &intake, const google::protobuf::FieldDescriptor *field)
{
    using FD = google::protobuf::FieldDescriptor;
    const google::protobuf::Reflection *reflection = intake.GetReflection();
    if (field->is_repeated()) {
        QCOMPARE(field->cpp_type(), FD::CPPTYPE_STRING);
        reflection->AddString(&intake, field, "HOUSING");
        return;
    }
    switch (field->cpp_type()) {
    case FD::CPPTYPE_STRING: reflection->SetString(&intake, field, "value"); break;
    case FD::CPPTYPE_BOOL: reflection->SetBool(&intake, field, true); break;
    case FD::CPPTYPE_MESSAGE: intake.mutable_meta()->set_id("0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b"); break;
    default: QFAIL(qPrintable(QStringLiteral("intake field of unexpected type: %1")
                                  .arg(QString::fromStdString(field->name()))));
    }
}

} // namespace

class TestPolicy : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void grantNeedsAReasonLongEnough_data();
    void grantNeedsAReasonLongEnough();
    void grantRefusedToRolesThatMayNotBreakTheGlass_data();
    void grantRefusedToRolesThatMayNotBreakTheGlass();
    void grantNeedsASubject();
    void grantLastsTheConfiguredTime();
    void grantExpiresWithTheClock();
    void grantIsPerHolderAndPerSubject();
    void supervisorSeesRecordsOnlyByBreakingTheGlass();

    void kioskAllowList();
    void kioskIntakeFields_data();
    void kioskIntakeFields();
    void kioskIntakeWithEveryAllowedField();
    void kioskIntakeWithUnknownFieldsIsRejected();

    void everyEntityTypeHasAResource();
    void personalRecords();
    void docsMatchTheTable();
};

void TestPolicy::grantNeedsAReasonLongEnough_data()
{
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << "" << false << "at least 15 characters, got 0";
    QTest::newRow("white space only") << "   \t\n " << false << "at least 15 characters, got 0";
    QTest::newRow("14 characters") << "urgent welfare" << false << "at least 15 characters, got 14";
    QTest::newRow("14 padded with spaces") << "   urgent welfare    " << false << "at least 15 characters, got 14";
    QTest::newRow("15 characters") << "urgent welfare!" << true << "";
    // 15 characters but 19 bytes: counted as the reader sees them.
    QTest::newRow("accents count once") << QStringLiteral("perché è già là") << true << "";
    QTest::newRow("accented, too short") << QStringLiteral("città è là sì") << false << "got 13";
    QTest::newRow("a real reason") << "Ambulance called, citizen unconscious at home, need allergies" << true << "";
}

void TestPolicy::grantNeedsAReasonLongEnough()
{
    QFETCH(QString, reason);
    QFETCH(bool, accepted);
    QFETCH(QString, message);
    const core::ManualClock clock(kStart);
    const auto grant = policy::grantBreakGlass(principal(v1::ROLE_SUPERVISOR), GrantScope::Citizen, "citizen-9",
                                               reason.toStdString(), clock);
    QCOMPARE(grant.ok(), accepted);
    if (accepted) {
        QCOMPARE(QString::fromStdString(grant->reason), reason.trimmed());
    } else {
        QCOMPARE(grant.error().code, ErrorCode::Invalid);
        QVERIFY2(QString::fromStdString(grant.error().message).contains(message), grant.error().message.c_str());
    }
}

void TestPolicy::grantRefusedToRolesThatMayNotBreakTheGlass_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("standing");
    QTest::addColumn<bool>("accepted");
    const int active = static_cast<int>(policy::Standing::Active);
    QTest::newRow("operator") << int(v1::ROLE_OPERATOR) << active << true;
    QTest::newRow("coordinator") << int(v1::ROLE_COORDINATOR) << active << true;
    QTest::newRow("supervisor") << int(v1::ROLE_SUPERVISOR) << active << true;
    QTest::newRow("admin") << int(v1::ROLE_ADMIN) << active << false;
    QTest::newRow("auditor") << int(v1::ROLE_AUDITOR) << active << false;
    QTest::newRow("kiosk") << int(v1::ROLE_KIOSK) << active << false;
    QTest::newRow("unspecified") << int(v1::ROLE_UNSPECIFIED) << active << false;
    QTest::newRow("disabled supervisor") << int(v1::ROLE_SUPERVISOR)
                                         << static_cast<int>(policy::Standing::OperatorDisabled) << false;
    QTest::newRow("supervisor on a revoked device") << int(v1::ROLE_SUPERVISOR)
                                                    << static_cast<int>(policy::Standing::DeviceRevoked) << false;
}

void TestPolicy::grantRefusedToRolesThatMayNotBreakTheGlass()
{
    QFETCH(int, role);
    QFETCH(int, standing);
    QFETCH(bool, accepted);
    policy::Principal who = principal(static_cast<v1::Role>(role));
    who.standing = static_cast<policy::Standing>(standing);
    const core::ManualClock clock(kStart);
    const auto grant = policy::grantBreakGlass(who, GrantScope::Case, "case-1", "a long enough written reason", clock);
    QCOMPARE(grant.ok(), accepted);
    QCOMPARE(policy::mayBreakGlass(static_cast<v1::Role>(role)),
             role == v1::ROLE_OPERATOR || role == v1::ROLE_COORDINATOR || role == v1::ROLE_SUPERVISOR);
    if (!accepted)
        QCOMPARE(grant.error().code, ErrorCode::Forbidden);
}

void TestPolicy::grantNeedsASubject()
{
    const core::ManualClock clock(kStart);
    const auto grant = policy::grantBreakGlass(principal(v1::ROLE_OPERATOR), GrantScope::Presidio, "",
                                               "a long enough written reason", clock);
    QVERIFY(!grant.ok());
    QCOMPARE(grant.error().code, ErrorCode::Invalid);
    QCOMPARE(grant.error().message, std::string("breaking the glass needs the presidio it is for"));
}

void TestPolicy::grantLastsTheConfiguredTime()
{
    const core::ManualClock clock(kStart);
    const auto byDefault = policy::grantBreakGlass(principal(v1::ROLE_OPERATOR), GrantScope::Citizen, "citizen-9",
                                                   "a long enough written reason", clock);
    QVERIFY(byDefault.ok());
    QCOMPARE(byDefault->holder, std::string("op-1"));
    QCOMPARE(byDefault->grantedAtMs, kStart);
    QCOMPARE(byDefault->expiresAtMs, kStart + kFourHours);

    policy::BreakGlassSettings settings;
    settings.durationMs = 30 * 60 * 1000;
    settings.minReasonChars = 40;
    const auto shortReason = policy::grantBreakGlass(principal(v1::ROLE_OPERATOR), GrantScope::Citizen, "citizen-9",
                                                     "a long enough written reason", clock, settings);
    QVERIFY(!shortReason.ok());
    const auto custom = policy::grantBreakGlass(principal(v1::ROLE_OPERATOR), GrantScope::Citizen, "citizen-9",
                                                "a reason that is long enough for forty chars", clock, settings);
    QVERIFY(custom.ok());
    QCOMPARE(custom->expiresAtMs, kStart + settings.durationMs);
}

void TestPolicy::grantExpiresWithTheClock()
{
    core::ManualClock clock(kStart);
    policy::Principal supervisor = principal(v1::ROLE_SUPERVISOR);
    const auto grant = policy::grantBreakGlass(supervisor, GrantScope::Citizen, "citizen-9",
                                               "Call from the hospital about a missing person", clock);
    QVERIFY(grant.ok());
    supervisor.grants.push_back(*grant);

    const policy::Target target = citizenElsewhere();
    auto decision = policy::authorize(supervisor, Resource::Citizen, Action::Read, target, clock);
    QVERIFY(decision.allowed);
    QVERIFY(decision.breakGlassUsed);
    QCOMPARE(decision.breakGlassReason, std::string("Call from the hospital about a missing person"));
    QVERIFY2(decision.reason.find("breaking the glass on citizen citizen-9") != std::string::npos,
             decision.reason.c_str());

    clock.advance(kFourHours - 1);
    QVERIFY(policy::authorize(supervisor, Resource::Citizen, Action::Read, target, clock).allowed);
    clock.advance(1);
    decision = policy::authorize(supervisor, Resource::Citizen, Action::Read, target, clock);
    QVERIFY(!decision.allowed);
    QVERIFY(!decision.breakGlassUsed);
    QVERIFY2(decision.reason.find("breaking the glass with a written reason would allow it") != std::string::npos,
             decision.reason.c_str());

    // A grant dated in the future (a clock that went back) opens nothing yet.
    clock.set(kStart - 1);
    QVERIFY(!policy::authorize(supervisor, Resource::Citizen, Action::Read, target, clock).allowed);
}

void TestPolicy::grantIsPerHolderAndPerSubject()
{
    const core::ManualClock clock(kStart);
    const auto grant = policy::grantBreakGlass(principal(v1::ROLE_OPERATOR, "op-1"), GrantScope::Case, "case-7",
                                               "parent reported violence tonight", clock);
    QVERIFY(grant.ok());

    policy::Target caseTarget = citizenElsewhere();
    caseTarget.caseId = "case-7";
    policy::Principal holder = principal(v1::ROLE_OPERATOR, "op-1");
    holder.grants.push_back(*grant);
    QVERIFY(policy::authorize(holder, Resource::Case, Action::Read, caseTarget, clock).breakGlassUsed);
    QVERIFY(policy::authorize(holder, Resource::CaseFile, Action::Read, caseTarget, clock).breakGlassUsed);
    // Reading, yes; writing beyond one's scope, never.
    QVERIFY(!policy::authorize(holder, Resource::CaseFile, Action::Create, caseTarget, clock).allowed);
    QVERIFY(!policy::authorize(holder, Resource::Case, Action::Close, caseTarget, clock).allowed);

    policy::Target otherCase = caseTarget;
    otherCase.caseId = "case-8";
    QVERIFY(!policy::authorize(holder, Resource::Case, Action::Read, otherCase, clock).allowed);

    // The same grant copied into another operator's principal opens nothing.
    policy::Principal thief = principal(v1::ROLE_OPERATOR, "op-3");
    thief.grants.push_back(*grant);
    QVERIFY(!policy::authorize(thief, Resource::Case, Action::Read, caseTarget, clock).allowed);
}

void TestPolicy::supervisorSeesRecordsOnlyByBreakingTheGlass()
{
    const core::ManualClock clock(kStart);
    policy::Principal supervisor = principal(v1::ROLE_SUPERVISOR);
    policy::Target own = citizenElsewhere();
    own.presidio = supervisor.presidio;
    own.municipio = supervisor.municipio;
    own.assignedOperators = {supervisor.operatorId};
    for (const Resource resource : {Resource::Citizen, Resource::Intake, Resource::Case, Resource::CaseFile})
        QVERIFY(!policy::authorize(supervisor, resource, Action::Read, own, clock).allowed);
    QVERIFY(policy::authorize(supervisor, Resource::Stats, Action::Read, policy::Target{}, clock).allowed);

    const auto grant = policy::grantBreakGlass(supervisor, GrantScope::Presidio, "P-M09-01",
                                               "ISTAT survey data check ordered by the director", clock);
    QVERIFY(grant.ok());
    supervisor.grants.push_back(*grant);
    const auto decision = policy::authorize(supervisor, Resource::Intake, Action::List, citizenElsewhere(), clock);
    QVERIFY(decision.allowed);
    QVERIFY(decision.breakGlassUsed);
}

void TestPolicy::kioskAllowList()
{
    std::vector<std::string> names;
    for (const std::string_view name : policy::kioskIntakeFieldAllowList())
        names.emplace_back(name);
    const std::vector<std::string> expected = {"meta",   "codice_fiscale", "given_name",     "phone",
                                               "language", "needs",        "detail",         "priority",
                                               "access_channel", "referral_source", "consent_given", "ticket"};
    QCOMPARE(names, expected);
    for (const std::string &name : names)
        QVERIFY2(v1::Intake::descriptor()->FindFieldByName(name) != nullptr, name.c_str());
}

void TestPolicy::kioskIntakeFields_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("allowed");
    const auto allowList = policy::kioskIntakeFieldAllowList();
    const google::protobuf::Descriptor *descriptor = v1::Intake::descriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const std::string &name = descriptor->field(i)->name();
        const bool allowed = std::ranges::find(allowList, name) != allowList.end();
        QTest::newRow(name.c_str()) << QString::fromStdString(name) << allowed;
    }
}

void TestPolicy::kioskIntakeFields()
{
    QFETCH(QString, field);
    QFETCH(bool, allowed);
    v1::Intake intake;
    setSomething(intake, v1::Intake::descriptor()->FindFieldByName(field.toStdString()));
    const Status status = policy::checkKioskIntake(intake);
    QCOMPARE(status.ok(), allowed);
    if (!allowed) {
        QCOMPARE(status.error().code, ErrorCode::Forbidden);
        QCOMPARE(QString::fromStdString(status.error().message),
                 QStringLiteral("a kiosk may not set the intake field '%1'").arg(field));
    }
}

void TestPolicy::kioskIntakeWithEveryAllowedField()
{
    v1::Intake intake;
    for (const std::string_view name : policy::kioskIntakeFieldAllowList())
        setSomething(intake, v1::Intake::descriptor()->FindFieldByName(std::string(name)));
    QVERIFY(policy::checkKioskIntake(intake).ok());

    // The same intake plus a link to a citizen record is rejected whole.
    intake.set_citizen("0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b");
    QVERIFY(!policy::checkKioskIntake(intake).ok());
}

void TestPolicy::kioskIntakeWithUnknownFieldsIsRejected()
{
    // Field 99, a varint: what a newer client would send.
    v1::Intake intake;
    intake.set_given_name("Ana");
    std::string bytes = intake.SerializeAsString();
    bytes += std::string("\x98\x06\x01", 3);
    v1::Intake parsed;
    QVERIFY(parsed.ParseFromString(bytes));
    const Status status = policy::checkKioskIntake(parsed);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ErrorCode::Invalid);

    v1::EntityMeta meta;
    meta.set_id("x");
    std::string metaBytes = meta.SerializeAsString() + std::string("\x98\x06\x01", 3);
    v1::Intake withMeta;
    QVERIFY(withMeta.mutable_meta()->ParseFromString(metaBytes));
    QVERIFY(!policy::checkKioskIntake(withMeta).ok());
}

void TestPolicy::everyEntityTypeHasAResource()
{
    const google::protobuf::EnumDescriptor *types = v1::EntityType_descriptor();
    for (int i = 0; i < types->value_count(); ++i) {
        const auto type = static_cast<v1::EntityType>(types->value(i)->number());
        QCOMPARE(policy::resourceFor(type).has_value(), type != v1::ENTITY_TYPE_UNSPECIFIED);
    }
    QCOMPARE(*policy::resourceFor(v1::ENTITY_TYPE_NOTE), Resource::CaseFile);
    QCOMPARE(*policy::resourceFor(v1::ENTITY_TYPE_CONSENT), Resource::Citizen);
}

void TestPolicy::personalRecords()
{
    std::vector<Resource> personal;
    for (const Resource resource : policy::allResources()) {
        if (policy::isPersonalRecord(resource))
            personal.push_back(resource);
    }
    const std::vector<Resource> expected = {Resource::Citizen, Resource::Intake, Resource::Case, Resource::CaseFile};
    QCOMPARE(personal, expected);
}

void TestPolicy::docsMatchTheTable()
{
    const QString path = QStringLiteral(SIGESS_SOURCE_DIR "/docs/policy.md");
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
    const QString text = QString::fromUtf8(file.readAll());
    const QString begin = QStringLiteral("<!-- policy-table:begin -->\n");
    const QString end = QStringLiteral("<!-- policy-table:end -->");
    const qsizetype from = text.indexOf(begin);
    const qsizetype to = text.indexOf(end);
    QVERIFY2(from >= 0 && to > from, "docs/policy.md lacks the policy-table markers");
    const QString documented = text.mid(from + begin.size(), to - from - begin.size());
    const QString generated = QString::fromStdString(policy::policyTableMarkdown());
    if (documented != generated) {
        QFile expected(QStringLiteral(SIGESS_BINARY_DIR "/policy-table.md"));
        QVERIFY(expected.open(QIODevice::WriteOnly));
        expected.write(generated.toUtf8());
        QFAIL("docs/policy.md differs from the policy table; the generated table is in "
              SIGESS_BINARY_DIR "/policy-table.md: paste it between the markers");
    }
}

QTEST_GUILESS_MAIN(TestPolicy)
#include "tst_policy.moc"
