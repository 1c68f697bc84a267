// The role matrix, walked through the API: for every endpoint (Api::endpoints()), every
// role, and a target in the caller's own scope (theirs, or assigned to them), in their
// presidio's shared queue, and in another municipio, the request is sent and the answer
// compared with what the policy table's row says: 2xx where it allows, 403 where it
// denies, 401 where the role cannot even present that kind of credential. Every allowed or
// denied access to a personal record leaves an audit event, and the chain verifies.
// Rows of the table that no endpoint serves are listed, so a new row or endpoint that
// breaks the correspondence is noticed.
#include "api_fixture.h"

#include <QTest>

#include <optional>
#include <set>
#include <tuple>

using namespace sigess;
using policy::Action;
using policy::Resource;
using namespace sigess::test;
using Verb = boost::beast::http::verb;

namespace {

enum class Situation { Own, Queue, Away, Any };

const char *situationName(Situation situation)
{
    switch (situation) {
    case Situation::Own: return "own";
    case Situation::Queue: return "queue";
    case Situation::Away: return "away";
    case Situation::Any: return "any";
    }
    return "?";
}

// What the target is to the caller, in the policy's terms.
struct Flags {
    bool self = false;
    bool samePresidio = false;
    bool sameMunicipio = false;
    bool assigned = false;
    bool unassigned = false;
};

bool expectedAllowed(const std::optional<policy::PolicyRule> &rule, const Flags &flags)
{
    if (!rule)
        return false;
    switch (rule->scope) {
    case policy::Scope::None: return false;
    case policy::Scope::Self: return flags.self;
    case policy::Scope::Assigned: return flags.assigned;
    case policy::Scope::AssignedOrQueue: return flags.assigned || (flags.unassigned && flags.samePresidio);
    case policy::Scope::Presidio: return flags.samePresidio;
    case policy::Scope::Municipio: return flags.sameMunicipio;
    case policy::Scope::City: return true;
    }
    return false;
}

struct Probe {
    Verb method;
    std::string target;
    std::string body;
    Flags flags;
    bool personalRecord = false;  // an existing personal record is the target
};

bool worksInPresidio(const Client &client)
{
    return client.role == v1::ROLE_OPERATOR || client.role == v1::ROLE_COORDINATOR;
}

} // namespace

class TestApiMatrix : public QObject {
    Q_OBJECT

private:
    TestPostgresServer m_postgres;
    std::unique_ptr<ApiFixture> m_api;
    int m_counter = 0;

    ApiFixture &api() { return *m_api; }

    std::string unique(const std::string &stem) { return stem + std::to_string(++m_counter); }

    const Client &ownerOf(const std::string &presidio) { return presidio == kHome ? api().coordinator : api().awayCoordinator; }

    std::string citizenIn(const std::string &presidio)
    {
        return createdId(api().post("/api/v1/citizens", ownerOf(presidio),
                                     "{\"family_name\":\"" + unique("Family") + "\",\"given_name\":\"Anna\","
                                     "\"meta\":{\"presidio\":\"" + presidio + "\"}}"),
                          "citizen");
    }

    std::string caseIn(const std::string &presidio, const std::string &citizen, const std::string &responsible,
                       const std::string &intake = {})
    {
        std::string body = "{\"citizen\":\"" + citizen + "\",\"presidio\":\"" + presidio + "\"";
        if (!responsible.empty())
            body += ",\"responsible_operator\":\"" + responsible + "\"";
        if (!intake.empty())
            body += ",\"intake\":\"" + intake + "\"";
        return createdId(api().post("/api/v1/cases", ownerOf(presidio), body + "}"), "case");
    }

    std::string intakeIn(const std::string &presidio, const std::string &citizen)
    {
        const std::string body = citizen.empty() ? std::string("{\"given_name\":\"Ana\"}")
                                                 : "{\"citizen\":\"" + citizen + "\"}";
        return createdId(api().post("/api/v1/presidi/" + presidio + "/intakes", ownerOf(presidio), body), "intake");
    }

    void waitingTicketIn(const std::string &presidio)
    {
        createdId(api().post("/api/v1/presidi/" + presidio + "/tickets", ownerOf(presidio),
                              "{\"number\":\"" + unique("W-") + "\"}"),
                   "ticket");
    }

    // A ticket a desk of the presidio has called (the desk moves only called tickets).
    std::string calledTicketIn(const std::string &presidio)
    {
        waitingTicketIn(presidio);
        const HttpResult called = api().post("/api/v1/presidi/" + presidio + "/desks/1/call-next", ownerOf(presidio), "");
        if (called.status != 200)
            qFatal("no ticket called: %d %s", called.status, called.body.c_str());
        return str(called.json["meta"].toObject()["id"]);
    }

    std::string operatorIn(const std::string &presidio)
    {
        v1::Operator profile;
        profile.set_username(unique("colleague"));
        profile.set_role(v1::ROLE_OPERATOR);
        profile.mutable_meta()->set_presidio(presidio);
        auto created = api().identityService().createOperator(profile, kPassword);
        if (!created)
            qFatal("operator not created: %s", created.error().describe().c_str());
        return created->meta().id();
    }

    std::string kioskIn(const std::string &presidio)
    {
        auto code = api().identityService().issueEnrollmentCode(presidio, v1::DEVICE_KIND_KIOSK, api().admin.id);
        auto device = api().identityService().enrollDevice(code->code, "spare");
        if (!device)
            qFatal("kiosk not enrolled: %s", device.error().describe().c_str());
        return device->device.meta().id();
    }

    // Who a record in the caller's own scope is assigned to: the caller where they take
    // cases, else an operator of the home presidio.
    std::string ownResponsible(const Client &client)
    {
        return worksInPresidio(client) && client.presidio == kHome ? client.id : api().operatorA.id;
    }

    Flags recordFlags(const Client &client, Situation situation)
    {
        Flags flags;
        if (situation == Situation::Away)
            return flags;
        flags.samePresidio = client.presidio == kHome;
        flags.sameMunicipio = client.presidio == kHome || client.presidio == kNeighbour;
        if (situation == Situation::Own)
            flags.assigned = worksInPresidio(client) && client.presidio == kHome;
        else
            flags.unassigned = true;
        return flags;
    }

    // A collection (a list, or where a new record goes) in the home or away presidio.
    Flags collectionFlags(const Client &client, Situation situation)
    {
        Flags flags;
        flags.unassigned = true;
        if (situation == Situation::Own) {
            flags.samePresidio = client.presidio == kHome;
            flags.sameMunicipio = flags.samePresidio;
        }
        return flags;
    }

    // A record of the kind (citizen, intake, case) for the situation; returns its id.
    std::string citizenFor(const Client &client, Situation situation)
    {
        if (situation == Situation::Away) {
            const std::string citizen = citizenIn(kAway);
            caseIn(kAway, citizen, api().awayOperator.id);
            return citizen;
        }
        const std::string citizen = citizenIn(kHome);
        if (situation == Situation::Own)
            caseIn(kHome, citizen, ownResponsible(client));
        return citizen;
    }

    std::string intakeFor(const Client &client, Situation situation)
    {
        const std::string presidio = situation == Situation::Away ? kAway : kHome;
        if (situation == Situation::Queue)
            return intakeIn(kHome, {});
        const std::string citizen = citizenIn(presidio);
        const std::string intake = intakeIn(presidio, citizen);
        caseIn(presidio, citizen, situation == Situation::Away ? api().awayOperator.id : ownResponsible(client), intake);
        return intake;
    }

    std::string caseFor(const Client &client, Situation situation)
    {
        const std::string presidio = situation == Situation::Away ? kAway : kHome;
        const std::string citizen = citizenIn(presidio);
        if (situation == Situation::Away)
            return caseIn(kAway, citizen, api().awayOperator.id);
        return caseIn(kHome, citizen, situation == Situation::Own ? ownResponsible(client) : std::string());
    }

    std::string closedCaseFor(const Client &client, Situation situation)
    {
        const std::string id = caseFor(client, situation);
        const std::string presidio = situation == Situation::Away ? kAway : kHome;
        const HttpResult closed = api().post("/api/v1/cases/" + id + "/close", ownerOf(presidio), R"({"closure_reason":"done"})");
        if (closed.status != 200)
            qFatal("case not closed: %d %s", closed.status, closed.body.c_str());
        return id;
    }

    std::optional<Probe> probe(const api::EndpointInfo &endpoint, Situation situation, const Client &client)
    {
        const std::string path(endpoint.path);
        const bool any = situation == Situation::Any;
        const std::string presidio = situation == Situation::Away ? kAway : kHome;
        const std::string home = std::string(kHome);

        if (path == "/api/v1/me" || path == "/api/v1/devices/self") {
            if (situation != Situation::Own)
                return std::nullopt;
            Flags flags;
            flags.self = true;
            flags.samePresidio = client.presidio == kHome;
            flags.sameMunicipio = flags.samePresidio;
            return Probe {endpoint.method, path, {}, flags};
        }
        if (path == "/api/v1/presidi" || path == "/api/v1/audit" || path == "/api/v1/audit/verify") {
            if (!any)
                return std::nullopt;
            return Probe {endpoint.method, path, {}, Flags {}};
        }
        if (path == "/api/v1/audit/citizens/{}") {
            if (!any)
                return std::nullopt;
            return Probe {endpoint.method, "/api/v1/audit/citizens/" + citizenIn(kHome), {}, Flags {}};
        }
        if (any)
            return std::nullopt;

        if (path == "/api/v1/operators" && endpoint.method == Verb::get) {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::get, path + "?presidio=" + presidio, {}, collectionFlags(client, situation)};
        }
        if (path == "/api/v1/operators") {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::post, path,
                          "{\"username\":\"" + unique("hire") + "\",\"role\":\"ROLE_OPERATOR\",\"presidio\":\"" + presidio
                              + "\",\"password\":\"long enough password\"}",
                          collectionFlags(client, situation)};
        }
        if (path == "/api/v1/operators/{}") {
            Flags flags = recordFlags(client, situation);
            flags.assigned = false;
            std::string id;
            if (situation == Situation::Own) {
                id = client.id;
                flags.self = true;
            } else {
                id = operatorIn(presidio);
            }
            return Probe {Verb::get, "/api/v1/operators/" + id, {}, flags};
        }
        if (path == "/api/v1/operators/{}/disable") {
            if (situation == Situation::Own)
                return std::nullopt;  // disabling oneself would end the walk
            Flags flags = recordFlags(client, situation);
            return Probe {Verb::post, "/api/v1/operators/" + operatorIn(presidio) + "/disable", {}, flags};
        }
        if (path == "/api/v1/devices/enrollments") {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::post, path, "{\"presidio\":\"" + presidio + "\",\"kind\":\"DEVICE_KIND_TABLET\"}",
                          collectionFlags(client, situation)};
        }
        if (path == "/api/v1/devices") {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::get, path + "?presidio=" + presidio, {}, collectionFlags(client, situation)};
        }
        if (path == "/api/v1/devices/{}/revoke") {
            if (situation == Situation::Own)
                return std::nullopt;
            return Probe {Verb::post, "/api/v1/devices/" + kioskIn(presidio) + "/revoke", {}, recordFlags(client, situation)};
        }
        if (path == "/api/v1/citizens" && endpoint.method == Verb::get) {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::get, path + "?presidio=" + presidio, {}, collectionFlags(client, situation)};
        }
        if (path == "/api/v1/citizens") {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::post, path,
                          "{\"family_name\":\"New\",\"given_name\":\"Person\",\"meta\":{\"presidio\":\"" + presidio + "\"}}",
                          collectionFlags(client, situation)};
        }
        if (path == "/api/v1/citizens/{}") {
            const std::string id = citizenFor(client, situation);
            const std::string body = endpoint.method == Verb::put ? R"({"family_name":"Edited","given_name":"Anna"})" : "";
            return Probe {endpoint.method, "/api/v1/citizens/" + id, body, recordFlags(client, situation), true};
        }
        if (path == "/api/v1/presidi/{}/intakes" || path == "/api/v1/presidi/{}/tickets") {
            if (situation == Situation::Queue)
                return std::nullopt;
            const std::string target = "/api/v1/presidi/" + presidio + path.substr(path.rfind('/'));
            std::string body;
            if (endpoint.method == Verb::post)
                body = path.ends_with("intakes") ? R"({"given_name":"Ana","needs":["HOUSING"]})"
                                                 : "{\"number\":\"" + unique("T-") + "\"}";
            return Probe {endpoint.method, target, body, collectionFlags(client, situation)};
        }
        if (path == "/api/v1/presidi/{}/desks/{}/call-next") {
            if (situation == Situation::Queue)
                return std::nullopt;
            waitingTicketIn(presidio);
            return Probe {Verb::post, "/api/v1/presidi/" + presidio + "/desks/1/call-next", {},
                          collectionFlags(client, situation)};
        }
        if (path.starts_with("/api/v1/tickets/{}/")) {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::post, "/api/v1/tickets/" + calledTicketIn(presidio) + path.substr(path.rfind('/')), {},
                          collectionFlags(client, situation)};
        }
        if (path == "/api/v1/intakes/{}")
            return Probe {Verb::get, "/api/v1/intakes/" + intakeFor(client, situation), {}, recordFlags(client, situation), true};
        if (path == "/api/v1/cases" && endpoint.method == Verb::get) {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::get, path + "?presidio=" + presidio, {}, collectionFlags(client, situation)};
        }
        if (path == "/api/v1/cases") {
            if (situation == Situation::Queue)
                return std::nullopt;
            return Probe {Verb::post, path, "{\"citizen\":\"" + citizenIn(presidio) + "\",\"presidio\":\"" + presidio + "\"}",
                          collectionFlags(client, situation)};
        }
        if (path == "/api/v1/cases/{}")
            return Probe {Verb::get, "/api/v1/cases/" + caseFor(client, situation), {}, recordFlags(client, situation), true};
        if (path == "/api/v1/cases/{}/assign") {
            const std::string responsible = situation == Situation::Away ? api().awayOperator.id : api().operatorB.id;
            return Probe {Verb::post, "/api/v1/cases/" + caseFor(client, situation) + "/assign",
                          "{\"responsible_operator\":\"" + responsible + "\"}", recordFlags(client, situation), true};
        }
        if (path == "/api/v1/cases/{}/close")
            return Probe {Verb::post, "/api/v1/cases/" + caseFor(client, situation) + "/close",
                          R"({"closure_reason":"goals reached"})", recordFlags(client, situation), true};
        if (path == "/api/v1/cases/{}/reopen")
            return Probe {Verb::post, "/api/v1/cases/" + closedCaseFor(client, situation) + "/reopen", {},
                          recordFlags(client, situation), true};
        qFatal("the matrix test does not know the endpoint %s", path.c_str());
    }

    const Client &clientFor(v1::Role role)
    {
        switch (role) {
        case v1::ROLE_KIOSK: return api().kiosk;
        case v1::ROLE_OPERATOR: return api().operatorA;
        case v1::ROLE_COORDINATOR: return api().coordinator;
        case v1::ROLE_SUPERVISOR: return api().supervisor;
        case v1::ROLE_ADMIN: return api().admin;
        default: return api().auditor;
        }
    }

private Q_SLOTS:
    void everyRowIsServedOrListed()
    {
        std::set<std::pair<Resource, Action>> served;
        for (const api::EndpointInfo &endpoint : api::Api::endpoints()) {
            if (endpoint.resource)
                served.emplace(*endpoint.resource, endpoint.action);
        }
        // Served by sync or not yet by the JSON API: case-file parts, the catalog,
        // statistics, presidio edits (they come from the catalog), single ticket reads
        // (the queue is listed whole) and intake edits (through sync).
        const std::set<std::pair<Resource, Action>> notServed = {
            {Resource::CaseFile, Action::Read},   {Resource::CaseFile, Action::List},
            {Resource::CaseFile, Action::Create}, {Resource::CaseFile, Action::Update},
            {Resource::Catalog, Action::Read},    {Resource::Catalog, Action::Update},
            {Resource::Stats, Action::Read},      {Resource::Presidio, Action::Read},
            {Resource::Presidio, Action::Create}, {Resource::Presidio, Action::Update},
            {Resource::Ticket, Action::Read},     {Resource::Intake, Action::Update},
        };
        std::set<std::pair<Resource, Action>> unserved;
        for (const policy::PolicyRule &rule : policy::policyTable()) {
            if (!served.contains({rule.resource, rule.action}))
                unserved.emplace(rule.resource, rule.action);
        }
        for (const auto &[resource, action] : unserved) {
            QVERIFY2(notServed.contains({resource, action}),
                     (std::string(policy::resourceName(resource)) + " " + std::string(policy::actionName(action))
                      + " is in the policy table but no endpoint serves it")
                         .c_str());
        }
        QCOMPARE(unserved.size(), notServed.size());
    }

    void matrix_data() { addStoreRows(); }

    void matrix()
    {
        EXPECT_OK(ApiFixture::openForCurrentRow(m_api, m_postgres));

        int allowed = 0;
        int denied = 0;
        int unauthenticated = 0;
        for (const api::EndpointInfo &endpoint : api::Api::endpoints()) {
            if (!endpoint.resource)
                continue;
            for (const v1::Role role : policy::allRoles()) {
                const Client &client = clientFor(role);
                for (const Situation situation : {Situation::Own, Situation::Queue, Situation::Away, Situation::Any}) {
                    const std::optional<Probe> request = probe(endpoint, situation, client);
                    if (!request)
                        continue;
                    const std::string label = std::string(policy::roleName(role)) + " " + std::string(endpoint.path) + " "
                                              + situationName(situation);
                    const std::int64_t auditBefore = api().auditLength();
                    const HttpResult result = api().request(request->method, request->target, client, request->body);

                    const bool isDevice = client.scheme == "Device";
                    const bool credentialFits = endpoint.caller == api::Caller::Either
                                                || (endpoint.caller == api::Caller::Device && isDevice)
                                                || (endpoint.caller == api::Caller::Session && !isDevice);
                    if (!credentialFits) {
                        QVERIFY2(result.status == 401, (label + ": " + std::to_string(result.status) + " " + result.body).c_str());
                        ++unauthenticated;
                        continue;
                    }
                    const bool expected = expectedAllowed(policy::findRule(role, *endpoint.resource, endpoint.action),
                                                          request->flags);
                    if (expected) {
                        QVERIFY2(result.status >= 200 && result.status < 300,
                                 (label + " should be allowed: " + std::to_string(result.status) + " " + result.body).c_str());
                        ++allowed;
                    } else {
                        QVERIFY2(result.status == 403,
                                 (label + " should be denied: " + std::to_string(result.status) + " " + result.body).c_str());
                        QCOMPARE(result.errorCode(), std::string("forbidden"));
                        ++denied;
                    }
                    // Every access to an existing personal record, allowed or denied, is logged.
                    if (request->personalRecord || (expected && policy::isPersonalRecord(*endpoint.resource)
                                                    && endpoint.action != Action::List)) {
                        QVERIFY2(api().auditLength() > auditBefore, (label + ": no audit event").c_str());
                    }
                }
            }
        }
        qInfo("matrix: %d allowed, %d denied, %d refused for the wrong credential", allowed, denied, unauthenticated);
        QVERIFY(allowed > 50);
        QVERIFY(denied > 100);

        const HttpResult verified = api().get("/api/v1/audit/verify", api().auditor);
        QCOMPARE(verified.status, 200);
        QVERIFY2(verified.json["intact"].toBool(), verified.body.c_str());
        m_api.reset();
    }
};

QTEST_GUILESS_MAIN(TestApiMatrix)
#include "tst_api_matrix.moc"
