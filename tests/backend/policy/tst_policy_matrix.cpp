// Walks the whole role × resource × action matrix against every kind of target, in and
// out of scope along each axis (assignment, presidio, municipio, identity, break-the-glass
// grants), and compares each decision with the expectation written below by hand. The
// expectation is NOT derived from the policy table: it is the specification the table
// must meet, in a form a reviewer can read row by row.
#include "policy/policy.h"

#include <QTest>

#include <array>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace sigess;
using policy::Action;
using policy::Resource;

namespace {

// Cells: "-" denied; "self" own record; "mine" assigned to me; "queue" assigned to me or
// unassigned in my presidio; "presidio", "municipio", "city"; "glass" only by breaking the
// glass; a "+glass" suffix: beyond the scope by breaking the glass. Resources left out of a
// role are denied for every action.
constexpr std::string_view kExpected = R"(
role        resource   read            list            create    update    assign    close     enroll  revoke    verify
kiosk       intake     -               -               presidio  -         -         -         -       -         -
kiosk       ticket     -               presidio        presidio  -         -         -         -       -         -
kiosk       device     self            -               -         -         -         -         -       -         -
kiosk       catalog    city            -               -         -         -         -         -       -         -
operator    citizen    queue+glass     presidio        presidio  queue     -         -         -       -         -
operator    intake     queue+glass     presidio        presidio  queue     -         -         -       -         -
operator    ticket     presidio        presidio        presidio  presidio  -         -         -       -         -
operator    case       queue+glass     presidio        presidio  mine      queue     mine      -       -         -
operator    case_file  mine+glass      mine+glass      mine      mine      -         -         -       -         -
operator    operator   self            presidio        -         -         -         -         -       -         -
operator    presidio   city            city            -         -         -         -         -       -         -
operator    catalog    city            -               -         -         -         -         -       -         -
operator    stats      presidio        -               -         -         -         -         -       -         -
coordinator citizen    presidio+glass  presidio        presidio  presidio  -         -         -       -         -
coordinator intake     presidio+glass  presidio        presidio  presidio  -         -         -       -         -
coordinator ticket     presidio        presidio        presidio  presidio  -         -         -       -         -
coordinator case       presidio+glass  presidio        presidio  presidio  presidio  presidio  -       -         -
coordinator case_file  presidio+glass  presidio+glass  presidio  presidio  -         -         -       -         -
coordinator operator   presidio        presidio        -         -         -         -         -       -         -
coordinator device     presidio        presidio        -         -         -         -         -       presidio  -
coordinator presidio   city            city            -         -         -         -         -       -         -
coordinator catalog    city            -               -         -         -         -         -       -         -
coordinator stats      municipio       -               -         -         -         -         -       -         -
supervisor  citizen    glass           glass           -         -         -         -         -       -         -
supervisor  intake     glass           glass           -         -         -         -         -       -         -
supervisor  ticket     city            city            -         -         -         -         -       -         -
supervisor  case       glass           glass           -         -         -         -         -       -         -
supervisor  case_file  glass           glass           -         -         -         -         -       -         -
supervisor  operator   city            city            -         -         -         -         -       -         -
supervisor  device     city            city            -         -         -         -         -       -         -
supervisor  presidio   city            city            -         -         -         -         -       -         -
supervisor  catalog    city            -               -         -         -         -         -       -         -
supervisor  stats      city            -               -         -         -         -         -       -         -
admin       operator   city            city            city      city      -         -         -       -         -
admin       device     city            city            -         -         -         -         city    city      -
admin       presidio   city            city            city      city      -         -         -       -         -
admin       catalog    city            -               -         city      -         -         -       -         -
auditor     operator   self            -               -         -         -         -         -       -         -
auditor     audit      city            city            -         -         -         -         -       -         city
auditor     catalog    city            -               -         -         -         -         -       -         -
)";

// The targets, each differing from the last along one axis. "Elsewhere" targets sit in
// another municipio; the glass targets are elsewhere too, so only a grant can open them.
enum class Where { Mine, Queue, Colleague, Neighbour, Elsewhere, FarQueue, Self,
                   GlassCitizen, GlassCase, GlassPresidio, GlassExpired, GlassOtherHolder, GlassOtherSubject };

constexpr std::array kWheres = {Where::Mine, Where::Queue, Where::Colleague, Where::Neighbour, Where::Elsewhere,
                                Where::FarQueue, Where::Self, Where::GlassCitizen, Where::GlassCase,
                                Where::GlassPresidio, Where::GlassExpired, Where::GlassOtherHolder,
                                Where::GlassOtherSubject};

const char *whereName(Where where)
{
    switch (where) {
    case Where::Mine: return "assigned to me";
    case Where::Queue: return "unassigned in my presidio";
    case Where::Colleague: return "a colleague's in my presidio";
    case Where::Neighbour: return "another presidio of my municipio";
    case Where::Elsewhere: return "another municipio";
    case Where::FarQueue: return "unassigned in another municipio";
    case Where::Self: return "my own record";
    case Where::GlassCitizen: return "elsewhere, my grant on its citizen";
    case Where::GlassCase: return "elsewhere, my grant on its case";
    case Where::GlassPresidio: return "elsewhere, my grant on its presidio";
    case Where::GlassExpired: return "elsewhere, my expired grant";
    case Where::GlassOtherHolder: return "elsewhere, someone else's grant";
    case Where::GlassOtherSubject: return "elsewhere, my grant on another citizen";
    }
    return "?";
}

// Which targets each scope word opens without breaking the glass.
//                     mine  queue colleague neighbour elsewhere farQueue self
const std::map<std::string, std::set<Where>> kScopeOpens = {
    {"-",         {}},
    {"glass",     {}},
    {"self",      {Where::Self}},
    {"mine",      {Where::Mine}},
    {"queue",     {Where::Mine, Where::Queue}},
    {"presidio",  {Where::Mine, Where::Queue, Where::Colleague}},
    {"municipio", {Where::Mine, Where::Queue, Where::Colleague, Where::Neighbour}},
    {"city",      {Where::Mine, Where::Queue, Where::Colleague, Where::Neighbour, Where::Elsewhere,
                   Where::FarQueue, Where::Self, Where::GlassCitizen, Where::GlassCase, Where::GlassPresidio,
                   Where::GlassExpired, Where::GlassOtherHolder, Where::GlassOtherSubject}},
};

// Which targets an active grant of mine opens where a cell allows breaking the glass.
const std::set<Where> kGlassOpens = {Where::GlassCitizen, Where::GlassCase, Where::GlassPresidio};

constexpr std::uint64_t kNow = 1'750'000'000'000;

struct Cell {
    std::string scope;
    bool glass = false;
};

std::map<std::tuple<std::string, std::string, std::string>, Cell> parseExpectation()
{
    std::map<std::tuple<std::string, std::string, std::string>, Cell> cells;
    std::istringstream lines{std::string(kExpected)};
    std::string line;
    std::vector<std::string> actions;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::vector<std::string> fields;
        for (std::string word; words >> word;)
            fields.push_back(word);
        if (fields.empty())
            continue;
        if (fields[0] == "role") {
            actions.assign(fields.begin() + 2, fields.end());
            continue;
        }
        if (fields.size() != actions.size() + 2)
            qFatal("malformed expectation line: %s", line.c_str());
        for (std::size_t i = 0; i < actions.size(); ++i) {
            std::string word = fields[i + 2];
            Cell cell;
            if (word.ends_with("+glass")) {
                cell.glass = true;
                word.resize(word.size() - std::string_view("+glass").size());
            }
            if (word == "glass")
                cell.glass = true;
            if (!kScopeOpens.contains(word))
                qFatal("unknown scope word '%s'", word.c_str());
            cell.scope = word;
            cells[{fields[0], fields[1], actions[i]}] = cell;
        }
    }
    return cells;
}

policy::Principal principalFor(v1::Role role)
{
    policy::Principal principal;
    principal.role = role;
    if (role != v1::ROLE_KIOSK)
        principal.operatorId = "op-me";
    principal.deviceId = "dev-me";
    principal.presidio = "P-M01-01";
    principal.municipio = "M01";
    return principal;
}

policy::BreakGlassGrant grant(std::string holder, policy::GrantScope scope, std::string subject,
                              std::uint64_t expiresAt = kNow + 1000)
{
    return policy::BreakGlassGrant{std::move(holder), scope, std::move(subject), "urgent safeguarding check",
                                   kNow - 1000, expiresAt};
}

// The target and, for glass targets, the grants the principal holds.
policy::Target targetFor(Where where, Resource resource, policy::Principal &principal)
{
    policy::Target target;
    target.id = "rec-1";
    target.caseId = "case-1";
    target.citizen = "citizen-1";
    target.presidio = "P-M05-01";
    target.municipio = "M05";
    target.assignedOperators = {"op-other"};
    const bool holder = !principal.operatorId.empty();
    switch (where) {
    case Where::Mine:
        target.presidio = "P-M01-01";
        target.municipio = "M01";
        target.assignedOperators = {"op-third", "op-me"};
        break;
    case Where::Queue:
        target.presidio = "P-M01-01";
        target.municipio = "M01";
        target.assignedOperators.clear();
        break;
    case Where::Colleague:
        target.presidio = "P-M01-01";
        target.municipio = "M01";
        break;
    case Where::Neighbour:
        target.presidio = "P-M01-02";
        target.municipio = "M01";
        break;
    case Where::Elsewhere:
        break;
    case Where::FarQueue:
        target.assignedOperators.clear();
        break;
    case Where::Self:
        target.id = resource == Resource::Device ? "dev-me" : "op-me";
        break;
    case Where::GlassCitizen:
        if (holder)
            principal.grants.push_back(grant(principal.operatorId, policy::GrantScope::Citizen, "citizen-1"));
        break;
    case Where::GlassCase:
        if (holder)
            principal.grants.push_back(grant(principal.operatorId, policy::GrantScope::Case, "case-1"));
        break;
    case Where::GlassPresidio:
        if (holder)
            principal.grants.push_back(grant(principal.operatorId, policy::GrantScope::Presidio, "P-M05-01"));
        break;
    case Where::GlassExpired:
        principal.grants.push_back(grant(principal.operatorId, policy::GrantScope::Citizen, "citizen-1", kNow));
        break;
    case Where::GlassOtherHolder:
        principal.grants.push_back(grant("op-other", policy::GrantScope::Citizen, "citizen-1"));
        break;
    case Where::GlassOtherSubject:
        principal.grants.push_back(grant(principal.operatorId, policy::GrantScope::Citizen, "citizen-2"));
        break;
    }
    return target;
}

std::string name(std::string_view text)
{
    return std::string(text);
}

} // namespace

class TestPolicyMatrix : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void matrix_data();
    void matrix();
    void inactivePrincipalsAreDeniedEverything_data();
    void inactivePrincipalsAreDeniedEverything();
    void unspecifiedRoleIsDeniedEverything();
    void tableHasNoRowOutsideTheExpectation();

private:
    std::map<std::tuple<std::string, std::string, std::string>, Cell> m_expected;
};

void TestPolicyMatrix::initTestCase()
{
    m_expected = parseExpectation();
    // Every role in the expectation is a real role name, every resource and action too.
    std::set<std::string> roles, resources, actions;
    for (const v1::Role role : policy::allRoles())
        roles.insert(name(policy::roleName(role)));
    for (const Resource resource : policy::allResources())
        resources.insert(name(policy::resourceName(resource)));
    for (const Action action : policy::allActions())
        actions.insert(name(policy::actionName(action)));
    QCOMPARE(roles.size(), 6u);
    QCOMPARE(resources.size(), 11u);
    QCOMPARE(actions.size(), 9u);
    for (const auto &[key, cell] : m_expected) {
        QVERIFY2(roles.contains(std::get<0>(key)), std::get<0>(key).c_str());
        QVERIFY2(resources.contains(std::get<1>(key)), std::get<1>(key).c_str());
        QVERIFY2(actions.contains(std::get<2>(key)), std::get<2>(key).c_str());
    }
}

void TestPolicyMatrix::matrix_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<int>("resource");
    QTest::addColumn<int>("action");
    for (const v1::Role role : policy::allRoles()) {
        for (const Resource resource : policy::allResources()) {
            for (const Action action : policy::allActions()) {
                const std::string row = name(policy::roleName(role)) + " " + name(policy::resourceName(resource)) + " "
                                        + name(policy::actionName(action));
                QTest::newRow(row.c_str()) << static_cast<int>(role) << static_cast<int>(resource)
                                           << static_cast<int>(action);
            }
        }
    }
}

void TestPolicyMatrix::matrix()
{
    QFETCH(int, role);
    QFETCH(int, resource);
    QFETCH(int, action);
    const auto theRole = static_cast<v1::Role>(role);
    const auto theResource = static_cast<Resource>(resource);
    const auto theAction = static_cast<Action>(action);

    const auto key = std::tuple(name(policy::roleName(theRole)), name(policy::resourceName(theResource)),
                                name(policy::actionName(theAction)));
    const auto found = m_expected.find(key);
    const Cell cell = found == m_expected.end() ? Cell{"-", false} : found->second;
    const std::set<Where> &opens = kScopeOpens.at(cell.scope);

    const core::ManualClock clock(kNow);
    for (const Where where : kWheres) {
        policy::Principal principal = principalFor(theRole);
        const policy::Target target = targetFor(where, theResource, principal);
        const policy::Decision decision = policy::authorize(principal, theResource, theAction, target, clock);

        const bool inScope = opens.contains(where);
        const bool byGlass = !inScope && cell.glass && kGlassOpens.contains(where);
        const std::string context = std::string(whereName(where)) + ": " + decision.reason;
        QVERIFY2(decision.allowed == (inScope || byGlass), context.c_str());
        QVERIFY2(decision.breakGlassUsed == byGlass, context.c_str());
        QVERIFY2(decision.status().ok() == decision.allowed, context.c_str());
        QVERIFY2(!decision.reason.empty(), whereName(where));
        if (byGlass)
            QCOMPARE(decision.breakGlassReason, std::string("urgent safeguarding check"));
        else
            QVERIFY(decision.breakGlassReason.empty());
        if (!decision.allowed)
            QCOMPARE(decision.status().error().code, ErrorCode::Forbidden);
    }
}

void TestPolicyMatrix::inactivePrincipalsAreDeniedEverything_data()
{
    QTest::addColumn<int>("standing");
    QTest::addColumn<QString>("reason");
    QTest::newRow("disabled operator") << static_cast<int>(policy::Standing::OperatorDisabled)
                                       << QStringLiteral("the operator account is disabled");
    QTest::newRow("revoked device") << static_cast<int>(policy::Standing::DeviceRevoked)
                                    << QStringLiteral("the device is revoked");
}

void TestPolicyMatrix::inactivePrincipalsAreDeniedEverything()
{
    QFETCH(int, standing);
    QFETCH(QString, reason);
    const core::ManualClock clock(kNow);
    for (const v1::Role role : policy::allRoles()) {
        for (const Resource resource : policy::allResources()) {
            for (const Action action : policy::allActions()) {
                for (const Where where : {Where::Mine, Where::Self, Where::GlassCitizen}) {
                    policy::Principal principal = principalFor(role);
                    principal.standing = static_cast<policy::Standing>(standing);
                    const policy::Target target = targetFor(where, resource, principal);
                    const policy::Decision decision = policy::authorize(principal, resource, action, target, clock);
                    QVERIFY(!decision.allowed);
                    QVERIFY(!decision.breakGlassUsed);
                    QCOMPARE(QString::fromStdString(decision.reason), reason);
                }
            }
        }
    }
}

void TestPolicyMatrix::unspecifiedRoleIsDeniedEverything()
{
    const core::ManualClock clock(kNow);
    for (const Resource resource : policy::allResources()) {
        for (const Action action : policy::allActions()) {
            policy::Principal principal = principalFor(v1::ROLE_UNSPECIFIED);
            const policy::Target target = targetFor(Where::Mine, resource, principal);
            QVERIFY(!policy::authorize(principal, resource, action, target, clock).allowed);
        }
    }
}

void TestPolicyMatrix::tableHasNoRowOutsideTheExpectation()
{
    std::size_t allowingCells = 0;
    for (const auto &[key, cell] : m_expected)
        allowingCells += cell.scope != "-" ? 1 : 0;
    QCOMPARE(policy::policyTable().size(), allowingCells);
}

QTEST_GUILESS_MAIN(TestPolicyMatrix)
#include "tst_policy_matrix.moc"
