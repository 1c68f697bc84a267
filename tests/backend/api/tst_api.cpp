// The JSON API, called as a plain function on both stores: each endpoint with good and
// bad input (malformed JSON, wrong types, oversized bodies, unknown codes, SQL
// metacharacters, invalid UTF-8), authentication failures, expired and revoked tokens,
// tampered ids and cursors, break-the-glass, and the audit trail of every personal access.
#include "api_fixture.h"

#include "api/cursor.h"
#include "api/json_body.h"
#include "sync/server_writes.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace sigess;
using namespace sigess::test;
using Verb = boost::beast::http::verb;

namespace {

// A valid codice fiscale (Mario Rossi, born 10 Dec 1985 in Rome).
constexpr char kGoodCf[] = "RSSMRA85T10H501O";

Client credentials(std::string scheme, std::string secret)
{
    Client client;
    client.scheme = std::move(scheme);
    client.secret = std::move(secret);
    return client;
}

} // namespace

class TestApi : public QObject {
    Q_OBJECT

private:
    TestPostgresServer m_postgres;
    std::unique_ptr<ApiFixture> m_api;

    ApiFixture &api() { return *m_api; }

    std::string createCitizen(const Client &client, const std::string &family, const std::string &cf = {},
                              const std::string &presidio = {})
    {
        std::string body = "{\"family_name\":\"" + family + "\",\"given_name\":\"Mario\"";
        if (!cf.empty())
            body += ",\"codice_fiscale\":\"" + cf + "\"";
        if (!presidio.empty())
            body += ",\"meta\":{\"presidio\":\"" + presidio + "\"}";
        body += "}";
        return createdId(api().post("/api/v1/citizens", client, body), "citizen");
    }

    std::string openCase(const Client &client, const std::string &citizen, const std::string &responsible = {})
    {
        std::string body = "{\"citizen\":\"" + citizen + "\"";
        if (!responsible.empty())
            body += ",\"responsible_operator\":\"" + responsible + "\"";
        body += "}";
        return createdId(api().post("/api/v1/cases", client, body), "case");
    }

private Q_SLOTS:
    void init()
    {
        EXPECT_OK(ApiFixture::openForCurrentRow(m_api, m_postgres));
    }

    void cleanup() { m_api.reset(); }

    void utf8Validation()
    {
        QVERIFY(api::isValidUtf8("plain ascii"));
        QVERIFY(api::isValidUtf8("Niccolò, 北京, مرحبا, 😀"));
        QVERIFY(!api::isValidUtf8("\xff"));
        QVERIFY(!api::isValidUtf8("\xc0\xaf"));          // overlong '/'
        QVERIFY(!api::isValidUtf8("\xed\xa0\x80"));      // a surrogate
        QVERIFY(!api::isValidUtf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
        QVERIFY(!api::isValidUtf8("\xe2\x82"));          // truncated
    }

    void cursorsAreSealed()
    {
        const api::CursorSigner signer(std::string(32, 'k'));
        const std::string token = signer.seal("list-a", "inner cursor");
        QCOMPARE(signer.open("list-a", token).value(), std::string("inner cursor"));
        QVERIFY(signer.seal("list-a", "").empty());
        QCOMPARE(signer.open("list-a", "").value(), std::string());
        QVERIFY(!signer.open("list-b", token).ok());
        std::string flipped = token;
        flipped[2] = flipped[2] == 'A' ? 'B' : 'A';
        QVERIFY(!signer.open("list-a", flipped).ok());
        QVERIFY(!signer.open("list-a", "garbage").ok());
        QVERIFY(!signer.open("list-a", "a.b.c").ok());
        QVERIFY(!api::CursorSigner(std::string(32, 'x')).open("list-a", token).ok());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, api::CursorSigner("short"));
    }

    void loginLogoutMe_data() { addStoreRows(); }
    void loginLogoutMe()
    {
        HttpResult me = api().get("/api/v1/me", api().operatorA);
        EXPECT_STATUS(me, 200);
        QCOMPARE(str(me.json["role"]), std::string("ROLE_OPERATOR"));
        QCOMPARE(str(me.json["presidio"]), std::string(kHome));
        QCOMPARE(str(me.json["municipio"]), std::string("M01"));
        QCOMPARE(str(me.json["operator"].toObject()["username"]), std::string("operator.a"));
        QVERIFY(me.body.find("password") == std::string::npos);

        const HttpResult wrong = api().post("/api/v1/login", {}, R"({"username":"operator.a","password":"nope nope nope"})");
        EXPECT_STATUS(wrong, 401);
        QCOMPARE(wrong.errorCode(), std::string("unauthorized"));
        const HttpResult unknown = api().post("/api/v1/login", {}, R"({"username":"ghost","password":"nope nope nope"})");
        EXPECT_STATUS(unknown, 401);
        QCOMPARE(unknown.errorMessage(), wrong.errorMessage());

        EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":"operator.a"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":5,"password":"x"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":"a","password":"b","admin":true})"), 400);
        EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":"a","password":)"), 400);
        EXPECT_STATUS(api().post("/api/v1/login", {}, ""), 400);

        EXPECT_STATUS(api().post("/api/v1/logout", api().operatorA, ""), 200);
        EXPECT_STATUS(api().get("/api/v1/me", api().operatorA), 401);
        // Logging out twice is harmless; the token stays dead.
        EXPECT_STATUS(api().post("/api/v1/logout", api().operatorA, ""), 401);
    }

    void tabletLoginAndThrottling_data() { addStoreRows(); }
    void tabletLoginAndThrottling()
    {
        const HttpResult issued = api().post("/api/v1/devices/enrollments", api().admin,
                                             R"({"presidio":"P-M01-01","kind":"DEVICE_KIND_TABLET"})");
        const HttpResult tablet = api().post("/api/v1/devices/exchange", {},
                                             "{\"code\":\"" + str(issued.json["code"]) + "\",\"label\":\"T\"}");
        EXPECT_STATUS(tablet, 201);
        const Client device = credentials("Device", str(tablet.json["credential"]));
        const HttpResult onTablet = api().post("/api/v1/login", device, R"({"username":"operator.a","password":"correct horse battery"})");
        EXPECT_STATUS(onTablet, 200);
        QCOMPARE(str(onTablet.json["me"].toObject()["device"].toObject()["meta"].toObject()["id"]),
                 str(tablet.json["device"].toObject()["meta"].toObject()["id"]));
        const Client session = credentials("Bearer", str(onTablet.json["token"]));
        EXPECT_STATUS(api().get("/api/v1/me", session), 200);
        // Revoking the tablet ends the session it carries.
        EXPECT_STATUS(api().post("/api/v1/devices/" + str(tablet.json["device"].toObject()["meta"].toObject()["id"]) + "/revoke",
                                 api().admin, ""),
                      200);
        EXPECT_STATUS(api().get("/api/v1/me", session), 401);
        EXPECT_STATUS(api().post("/api/v1/login", api().operatorA, R"({"username":"operator.a","password":"correct horse battery"})"), 400);

        for (int i = 0; i < 6; ++i)
            EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":"operator.b","password":"guess guess guess"})"), 401);
        const HttpResult locked = api().post("/api/v1/login", {}, R"({"username":"operator.b","password":"correct horse battery"})");
        // A locked username is told to come back later, not that its password is wrong.
        EXPECT_STATUS(locked, 429);
        QCOMPARE(locked.errorCode(), std::string("too_many_requests"));
        QCOMPARE(locked.retryAfter, std::string("30"));
        QVERIFY2(locked.errorMessage().find("try again") != std::string::npos, locked.errorMessage().c_str());
        api().clock().advance(29'500);
        QCOMPARE(api().post("/api/v1/login", {}, R"({"username":"operator.b","password":"correct horse battery"})").retryAfter,
                 std::string("1"));
        api().clock().advance(500);
        EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":"operator.b","password":"correct horse battery"})"), 200);
    }

    void authenticationFailures_data() { addStoreRows(); }
    void authenticationFailures()
    {
        const HttpResult none = api().get("/api/v1/me");
        EXPECT_STATUS(none, 401);
        QCOMPARE(none.errorCode(), std::string("unauthorized"));
        EXPECT_STATUS(api().get("/api/v1/me", credentials("Bearer", "forged-token")), 401);
        EXPECT_STATUS(api().get("/api/v1/me", credentials("Basic", "dXNlcjpwYXNz")), 401);
        EXPECT_STATUS(api().get("/api/v1/me", credentials("Bearer", "")), 401);
        EXPECT_STATUS(api().get("/api/v1/me", credentials("Bearer", std::string(5000, 'a'))), 401);
        // A session where a device credential belongs, and the other way round.
        EXPECT_STATUS(api().get("/api/v1/devices/self", api().operatorA), 401);
        EXPECT_STATUS(api().get("/api/v1/me", api().kiosk), 401);
        EXPECT_STATUS(api().get("/api/v1/devices/self", api().kiosk), 200);
    }

    void expiredAndRevokedTokens_data() { addStoreRows(); }
    void expiredAndRevokedTokens()
    {
        EXPECT_STATUS(api().get("/api/v1/me", api().operatorB), 200);
        // Disabling an operator ends their sessions at once.
        EXPECT_STATUS(api().post("/api/v1/operators/" + api().operatorB.id + "/disable", api().admin, ""), 200);
        EXPECT_STATUS(api().get("/api/v1/me", api().operatorB), 401);
        EXPECT_STATUS(api().post("/api/v1/login", {}, R"({"username":"operator.b","password":"correct horse battery"})"),
                      401);

        // Revoking a kiosk shuts it out at once.
        EXPECT_STATUS(api().get("/api/v1/presidi/P-M01-01/tickets", api().kiosk), 200);
        EXPECT_STATUS(api().post("/api/v1/devices/" + api().kiosk.id + "/revoke", api().coordinator, ""), 200);
        const HttpResult revoked = api().get("/api/v1/presidi/P-M01-01/tickets", api().kiosk);
        EXPECT_STATUS(revoked, 401);
        QVERIFY(revoked.errorMessage().find("revoked") != std::string::npos);
        // A coordinator cannot revoke another presidio's kiosk.
        EXPECT_STATUS(api().post("/api/v1/devices/" + api().awayKiosk.id + "/revoke", api().coordinator, ""), 403);

        // Sessions expire by the clock.
        EXPECT_STATUS(api().get("/api/v1/me", api().operatorA), 200);
        api().clock().advance(8ULL * 60 * 60 * 1000);
        EXPECT_STATUS(api().get("/api/v1/me", api().operatorA), 401);
    }

    void routing_data() { addStoreRows(); }
    void routing()
    {
        const HttpResult missing = api().get("/api/v1/nothing", api().admin);
        EXPECT_STATUS(missing, 404);
        QCOMPARE(missing.errorCode(), std::string("not_found"));
        EXPECT_STATUS(api().get("/api/v2/me", api().admin), 404);
        EXPECT_STATUS(api().get("/elsewhere", api().admin), 404);
        EXPECT_STATUS(api().request(Verb::delete_, "/api/v1/me", api().admin), 405);
        EXPECT_STATUS(api().get("/api/v1/operators?bogus=1", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?limit=1&limit=2", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?limit=0", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?limit=501", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?limit=abc", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?presidio=%zz", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?presidio=%ff", api().admin), 400);
        EXPECT_STATUS(api().get("/api/v1/citizens/%ff", api().coordinator), 400);
        EXPECT_STATUS(api().request(Verb::get, "/api/v1/me", api().admin, "{}"), 400);
        EXPECT_STATUS(api().request(Verb::post, "/api/v1/login", {}, "username=a", "application/x-www-form-urlencoded"),
                      415);
        const HttpResult big = api().post("/api/v1/login", {}, std::string(17 * 1024, ' '));
        EXPECT_STATUS(big, 413);
        QCOMPARE(big.errorCode(), std::string("too_large"));
        QVERIFY(big.body.starts_with("{\"error\":{"));
    }

    // Every endpoint that reads a body refuses each kind of bad one the same way, before
    // anything is written; every endpoint that reads none refuses one.
    void badBodiesEverywhere_data() { addStoreRows(); }
    void badBodiesEverywhere()
    {
        const std::string citizen = createCitizen(api().coordinator, "Body");
        const std::string caseId = openCase(api().coordinator, citizen);
        const std::int64_t auditBefore = api().auditLength();
        const std::vector<std::pair<std::string, int>> badBodies = {
            {"{", 400},
            {"[]", 400},
            {"5", 400},
            {"{\"bogus_field\":1}", 400},
            {"{\"meta\":\"not an object\"}", 400},
            {"{\"x\":\"\xff\xfe\"}", 400},
            {std::string(17 * 1024, ' '), 413},
        };
        int checked = 0;
        for (const api::EndpointInfo &endpoint : api::Api::endpoints()) {
            std::string target(endpoint.path);
            for (const auto &[pattern, value] : {std::pair {"/citizens/{}", "/citizens/" + citizen},
                                                 std::pair {"/cases/{}", "/cases/" + caseId},
                                                 std::pair {"/presidi/{}", std::string("/presidi/") + kHome},
                                                 std::pair {"/operators/{}", "/operators/" + api().operatorB.id},
                                                 std::pair {"/devices/{}", "/devices/" + api().awayKiosk.id}}) {
                if (const auto at = target.find(pattern); at != std::string::npos)
                    target.replace(at, std::string(pattern).size(), value);
            }
            Client client = api().coordinator;
            if (target.find("operators") != std::string::npos || target.find("devices") != std::string::npos)
                client = api().admin;
            if (endpoint.caller == api::Caller::Anyone)
                client = Client {};
            if (target.ends_with("break-glass"))
                client = api().supervisor;
            const std::string label = std::string(endpoint.path) + " ";
            if (endpoint.body == api::Body::None) {
                if (endpoint.method == Verb::post)
                    EXPECT_STATUS(api().request(endpoint.method, target, client, "{}"), 400);
                continue;
            }
            for (const auto &[body, status] : badBodies) {
                const HttpResult result = api().request(endpoint.method, target, client, body);
                QVERIFY2(result.status == status, (label + body.substr(0, 20) + ": " + std::to_string(result.status) + " " + result.body).c_str());
                QVERIFY2(!result.errorMessage().empty(), (label + "has no error message").c_str());
            }
            EXPECT_STATUS(api().request(endpoint.method, target, client, "{}", "text/plain"), 415);
            EXPECT_STATUS(api().request(endpoint.method, target, client, ""), 400);
            ++checked;
        }
        QCOMPARE(checked, 12);
        QCOMPARE(api().auditLength(), auditBefore);  // nothing was written
    }

    void presidiOperatorsDevices_data() { addStoreRows(); }
    void presidiOperatorsDevices()
    {
        const HttpResult presidi = api().get("/api/v1/presidi", api().operatorA);
        EXPECT_STATUS(presidi, 200);
        QCOMPARE(presidi.json["presidi"].toArray().size(),
                 static_cast<qsizetype>(projectCatalog().release().presidi_size()));

        const HttpResult created = api().post("/api/v1/operators", api().admin,
                                              R"({"username":"new.one","display_name":"New One","role":"ROLE_OPERATOR",)"
                                              R"("presidio":"P-M01-01","password":"long enough password"})");
        EXPECT_STATUS(created, 201);
        QCOMPARE(str(created.json["username"]), std::string("new.one"));
        EXPECT_STATUS(api().post("/api/v1/operators", api().admin,
                                 R"({"username":"new.one","role":"ROLE_OPERATOR","presidio":"P-M01-01",)"
                                 R"("password":"long enough password"})"),
                      409);
        EXPECT_STATUS(api().post("/api/v1/operators", api().admin,
                                 R"({"username":"x","role":"ROLE_WIZARD","password":"long enough password"})"),
                      400);
        EXPECT_STATUS(api().post("/api/v1/operators", api().admin,
                                 R"({"username":"x2","role":"ROLE_OPERATOR","presidio":"P-NOWHERE","password":"long enough password"})"),
                      400);
        EXPECT_STATUS(api().post("/api/v1/operators", api().admin,
                                 R"({"username":"weak","role":"ROLE_OPERATOR","presidio":"P-M01-01","password":"short"})"),
                      400);
        EXPECT_STATUS(api().post("/api/v1/operators", api().admin,
                                 "{\"username\":\"robert'); DROP TABLE operators;--\",\"role\":\"ROLE_OPERATOR\","
                                 "\"presidio\":\"P-M01-01\",\"password\":\"long enough password\"}"),
                      400);
        EXPECT_STATUS(api().post("/api/v1/operators", api().coordinator,
                                 R"({"username":"sneaky","role":"ROLE_ADMIN","password":"long enough password"})"),
                      403);

        // Paging the operators, two at a time, sees each exactly once.
        std::set<std::string> seen;
        std::string cursor;
        int pages = 0;
        do {
            const HttpResult page = api().get("/api/v1/operators?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor),
                                              api().admin);
            EXPECT_STATUS(page, 200);
            for (const QJsonValue &value : page.json["operators"].toArray())
                QVERIFY(seen.insert(str(value.toObject()["username"])).second);
            cursor = str(page.json["next_cursor"]);
            ++pages;
        } while (!cursor.empty() && pages < 20);
        QCOMPARE(seen.size(), std::size_t {9});

        // Devices: enrollment codes are single-use.
        const HttpResult issued = api().post("/api/v1/devices/enrollments", api().admin,
                                             R"({"presidio":"P-M01-01","kind":"DEVICE_KIND_TABLET"})");
        EXPECT_STATUS(issued, 201);
        const std::string code = str(issued.json["code"]);
        EXPECT_STATUS(api().post("/api/v1/devices/exchange", {}, "{\"code\":\"" + code + "\",\"label\":\"T1\"}"), 201);
        EXPECT_STATUS(api().post("/api/v1/devices/exchange", {}, "{\"code\":\"" + code + "\",\"label\":\"T2\"}"), 401);
        EXPECT_STATUS(api().post("/api/v1/devices/enrollments", api().admin,
                                 R"({"presidio":"P-M01-01","kind":"DEVICE_KIND_TOASTER"})"),
                      400);
        EXPECT_STATUS(api().post("/api/v1/devices/enrollments", api().admin, R"({"presidio":"P-NOWHERE","kind":1})"), 400);
        EXPECT_STATUS(api().post("/api/v1/devices/enrollments", api().coordinator,
                                 R"({"presidio":"P-M01-01","kind":"DEVICE_KIND_KIOSK"})"),
                      403);
        const HttpResult devices = api().get("/api/v1/devices?presidio=P-M01-01", api().coordinator);
        EXPECT_STATUS(devices, 200);
        QCOMPARE(devices.json["devices"].toArray().size(), 2);
        EXPECT_STATUS(api().post("/api/v1/devices/no-such-device/revoke", api().admin, ""), 404);
    }

    void citizens_data() { addStoreRows(); }
    void citizens()
    {
        const std::int64_t before = api().auditLength();
        const std::string id = createCitizen(api().coordinator, "Rossi", kGoodCf);
        const HttpResult read = api().get("/api/v1/citizens/" + id, api().coordinator);
        EXPECT_STATUS(read, 200);
        QCOMPARE(str(read.json["codice_fiscale"]), std::string(kGoodCf));
        QCOMPARE(str(read.json["meta"].toObject()["presidio"]), std::string(kHome));
        // The create and the read are both in the log, by whom and about whom.
        const auto events = api().auditEventsAfter(before);
        QCOMPARE(events.size(), std::size_t {2});
        QCOMPARE(events[0].action(), std::string("create"));
        QCOMPARE(events[1].action(), std::string("read"));
        QCOMPARE(events[1].citizen(), id);
        QCOMPARE(events[1].actor(), api().coordinator.id);

        // A clear 400 with the precise reason for a bad codice fiscale.
        const HttpResult badCf = api().post("/api/v1/citizens", api().coordinator,
                                            R"({"family_name":"Verdi","given_name":"Anna","codice_fiscale":"RSSMRA85T10H501A"})");
        EXPECT_STATUS(badCf, 400);
        QVERIFY2(badCf.errorMessage().starts_with("codice_fiscale: ") && badCf.errorMessage().find("check character") != std::string::npos,
                 badCf.errorMessage().c_str());
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator,
                                 "{\"family_name\":\"Verdi\",\"given_name\":\"Anna\",\"codice_fiscale\":\"" + std::string(kGoodCf) + "\"}"),
                      409);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, R"({"family_name":"Verdi"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, R"({"family_name":"Verdi","given_name":["Anna"]})"), 400);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, R"({"family_name":"Verdi","given_name":"Anna","sex":"SEX_OTHER"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, R"({"family_name":"Verdi","given_name":"Anna","birth_date":"1985-02-30"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, R"({"family_name":"Verdi","given_name":"Anna","meta":{"id":"0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b"}})"), 400);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, "{\"family_name\":\"Verdi\xff\",\"given_name\":\"Anna\"}"), 400);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, R"({"family_name":"Verdi","given_name":"Anna","meta":{"presidio":"P-M02-01"}})"), 403);
        EXPECT_STATUS(api().post("/api/v1/citizens", api().coordinator, "{\"family_name\":\"" + std::string(600, 'x') + "\",\"given_name\":\"Anna\"}"), 400);

        // SQL metacharacters are data: stored, found and returned as written.
        const std::string tricky = createCitizen(api().coordinator, "O'Brien\\\"; DROP TABLE citizens;--");
        const HttpResult found = api().get("/api/v1/citizens?q=o%27brien", api().coordinator);
        EXPECT_STATUS(found, 200);
        QCOMPARE(found.json["citizens"].toArray().size(), 1);
        QCOMPARE(str(found.json["citizens"].toArray()[0].toObject()["meta"].toObject()["id"]), tricky);
        EXPECT_STATUS(api().get("/api/v1/citizens?q=%25%27%20OR%201%3D1--", api().coordinator), 200);
        QCOMPARE(api().get("/api/v1/citizens?q=%25%27%20OR%201%3D1--", api().coordinator).json["citizens"].toArray().size(), 0);
        const HttpResult byCf = api().get("/api/v1/citizens?q=rssmra", api().coordinator);
        QCOMPARE(byCf.json["citizens"].toArray().size(), 1);
        EXPECT_STATUS(api().get("/api/v1/citizens?q=" + std::string(201, 'a'), api().coordinator), 400);

        // Update: the whole record, same presidio, validated like a create.
        const HttpResult updated = api().put("/api/v1/citizens/" + id, api().coordinator,
                                             "{\"family_name\":\"Rossi\",\"given_name\":\"Mario\",\"phone\":\"+39 06 1234\",\"codice_fiscale\":\"" + std::string(kGoodCf) + "\"}");
        EXPECT_STATUS(updated, 200);
        QCOMPARE(str(updated.json["phone"]), std::string("+39 06 1234"));
        QCOMPARE(idOf(updated), id);
        EXPECT_STATUS(api().put("/api/v1/citizens/" + id, api().coordinator, R"({"family_name":"Rossi","given_name":"Mario","meta":{"presidio":"P-M02-01"}})"), 400);
        EXPECT_STATUS(api().put("/api/v1/citizens/" + id, api().coordinator, R"({"family_name":"Rossi","given_name":"Mario","meta":{"id":"0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b"}})"), 400);
        EXPECT_STATUS(api().put("/api/v1/citizens/" + id, api().coordinator, R"({"family_name":"Rossi","given_name":"Mario","merged_into":"x"})"), 400);

        // Tampered ids in paths: unknown, malformed, or someone else's.
        EXPECT_STATUS(api().get("/api/v1/citizens/0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b", api().coordinator), 404);
        EXPECT_STATUS(api().get("/api/v1/citizens/1%27%20OR%20%271%27=%271", api().coordinator), 404);
        EXPECT_STATUS(api().get("/api/v1/citizens/" + id, api().awayCoordinator), 403);
        EXPECT_STATUS(api().put("/api/v1/citizens/" + id, api().awayCoordinator, R"({"family_name":"X","given_name":"Y"})"), 403);
        EXPECT_STATUS(api().get("/api/v1/citizens?presidio=P-M01-01", api().awayCoordinator), 403);
        // A kiosk never reads a citizen.
        EXPECT_STATUS(api().get("/api/v1/citizens/" + id, api().kiosk), 403);
    }

    void cursorsCannotWidenScope_data() { addStoreRows(); }
    void cursorsCannotWidenScope()
    {
        for (int i = 0; i < 5; ++i)
            createCitizen(api().coordinator, "Home" + std::to_string(i));
        for (int i = 0; i < 3; ++i)
            createCitizen(api().awayCoordinator, "Away" + std::to_string(i));
        const HttpResult first = api().get("/api/v1/citizens?limit=2", api().coordinator);
        EXPECT_STATUS(first, 200);
        const std::string cursor = str(first.json["next_cursor"]);
        QVERIFY(!cursor.empty());
        EXPECT_STATUS(api().get("/api/v1/citizens?limit=2&cursor=" + cursor, api().coordinator), 200);
        // The same cursor on another list, by another caller, or altered: refused.
        EXPECT_STATUS(api().get("/api/v1/citizens?limit=2&presidio=P-M02-01&cursor=" + cursor, api().awayCoordinator), 400);
        EXPECT_STATUS(api().get("/api/v1/citizens?limit=2&q=home&cursor=" + cursor, api().coordinator), 400);
        EXPECT_STATUS(api().get("/api/v1/operators?cursor=" + cursor, api().admin), 400);
        std::string altered = cursor;
        altered[1] = altered[1] == 'A' ? 'B' : 'A';
        EXPECT_STATUS(api().get("/api/v1/citizens?limit=2&cursor=" + altered, api().coordinator), 400);
        EXPECT_STATUS(api().get("/api/v1/citizens?cursor=not-a-cursor", api().coordinator), 400);
        // Walking the whole list never shows the other presidio.
        std::string next;
        int total = 0;
        do {
            const HttpResult page = api().get("/api/v1/citizens?limit=2" + (next.empty() ? "" : "&cursor=" + next), api().coordinator);
            EXPECT_STATUS(page, 200);
            for (const QJsonValue &citizen : page.json["citizens"].toArray()) {
                QCOMPARE(str(citizen.toObject()["meta"].toObject()["presidio"]), std::string(kHome));
                ++total;
            }
            next = str(page.json["next_cursor"]);
        } while (!next.empty());
        QCOMPARE(total, 5);
    }

    void intakesAndTickets_data() { addStoreRows(); }
    void intakesAndTickets()
    {
        const std::int64_t before = api().auditLength();
        const HttpResult intake = api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk,
                                             R"({"given_name":"Ana","language":"ro","needs":["HOUSING"],"consent_given":true})");
        EXPECT_STATUS(intake, 201);
        // The server records what the API writes (sync/server_writes.h); the audit
        // event names the kiosk that asked.
        QCOMPARE(str(intake.json["meta"].toObject()["origin_device"]), std::string(syncserver::serverDeviceId));
        const auto events = api().auditEventsAfter(before);
        QCOMPARE(events.size(), std::size_t {1});
        QCOMPARE(events[0].actor(), api().kiosk.id);
        QCOMPARE(events[0].role(), v1::ROLE_KIOSK);

        // Outside the kiosk's allow-list: rejected, not dropped.
        const HttpResult linked = api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk,
                                             R"({"given_name":"Ana","citizen":"0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b"})");
        EXPECT_STATUS(linked, 403);
        QVERIFY(linked.errorMessage().find("citizen") != std::string::npos);
        // Unknown catalog codes, a foreign presidio, a bad id.
        const HttpResult unknownNeed = api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, R"({"needs":["TELEPORT"]})");
        EXPECT_STATUS(unknownNeed, 400);
        QVERIFY(unknownNeed.errorMessage().find("TELEPORT") != std::string::npos);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, R"({"access_channel":"PIGEON"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, R"({"language":"xx"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, R"({"codice_fiscale":"ABC"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M02-01/intakes", api().kiosk, R"({"given_name":"Ana"})"), 403);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-NOWHERE/intakes", api().kiosk, R"({"given_name":"Ana"})"), 404);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, R"({"meta":{"id":"not-a-uuid"}})"), 400);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, R"({"meta":{"presidio":"P-M02-01"}})"), 400);
        // A resent intake (same id) is a conflict, not a copy.
        const std::string resend = R"({"meta":{"id":"0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b"},"given_name":"Ana"})";
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, resend), 201);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/intakes", api().kiosk, resend), 409);

        // A kiosk writes but never reads intakes.
        EXPECT_STATUS(api().get("/api/v1/intakes/" + idOf(intake), api().kiosk), 403);
        EXPECT_STATUS(api().get("/api/v1/presidi/P-M01-01/intakes", api().kiosk), 403);
        const HttpResult listed = api().get("/api/v1/presidi/P-M01-01/intakes", api().coordinator);
        EXPECT_STATUS(listed, 200);
        QCOMPARE(listed.json["intakes"].toArray().size(), 2);
        EXPECT_STATUS(api().get("/api/v1/intakes/" + idOf(intake), api().operatorA), 200);
        EXPECT_STATUS(api().get("/api/v1/intakes/" + idOf(intake), api().awayOperator), 403);

        // Tickets: numbers, never names.
        const HttpResult ticket = api().post("/api/v1/presidi/P-M01-01/tickets", api().kiosk,
                                             "{\"number\":\"A-001\",\"intake\":\"" + idOf(intake) + "\"}");
        EXPECT_STATUS(ticket, 201);
        QCOMPARE(str(ticket.json["state"]), std::string("TICKET_STATE_WAITING"));
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/tickets", api().kiosk, R"({"number":"A-001"})"), 409);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/tickets", api().kiosk, R"({"number":"A-002","state":"TICKET_STATE_SERVED"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/presidi/P-M01-01/tickets", api().kiosk, R"({})"), 400);
        const HttpResult queue = api().get("/api/v1/presidi/P-M01-01/tickets?state=TICKET_STATE_WAITING", api().kiosk);
        EXPECT_STATUS(queue, 200);
        QCOMPARE(queue.json["tickets"].toArray().size(), 1);
        QCOMPARE(str(queue.json["tickets"].toArray()[0].toObject()["intake"]), std::string());
        EXPECT_STATUS(api().get("/api/v1/presidi/P-M01-01/tickets?state=LOST", api().kiosk), 400);
        EXPECT_STATUS(api().get("/api/v1/presidi/P-M02-01/tickets", api().kiosk), 403);
    }

    void cases_data() { addStoreRows(); }
    void cases()
    {
        const std::string citizen = createCitizen(api().coordinator, "Bianchi");
        const HttpResult opened = api().post("/api/v1/cases", api().coordinator,
                                             "{\"citizen\":\"" + citizen + "\",\"target_groups\":[\"POV\"],\"prevalent_target_group\":\"POV\"}");
        EXPECT_STATUS(opened, 201);
        const std::string id = idOf(opened);
        QCOMPARE(str(opened.json["state"]), std::string("OPEN"));
        EXPECT_STATUS(api().post("/api/v1/cases", api().coordinator, "{\"citizen\":\"" + citizen + "\",\"target_groups\":[\"ALIENS\"]}"), 400);
        EXPECT_STATUS(api().post("/api/v1/cases", api().coordinator, "{\"citizen\":\"" + citizen + "\",\"target_groups\":[\"POV\"],\"prevalent_target_group\":\"FAM\"}"), 400);
        EXPECT_STATUS(api().post("/api/v1/cases", api().coordinator, R"({"citizen":"0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/cases", api().coordinator, "{\"citizen\":\"" + citizen + "\",\"responsible_operator\":\"" + api().awayOperator.id + "\"}"), 400);

        // Queue: operator A sees the unassigned case of their presidio; the away operator does not.
        EXPECT_STATUS(api().get("/api/v1/cases/" + id, api().operatorA), 200);
        EXPECT_STATUS(api().get("/api/v1/cases/" + id, api().awayOperator), 403);
        // Assigning is the presa in carico.
        const HttpResult assigned = api().post("/api/v1/cases/" + id + "/assign", api().coordinator,
                                               "{\"responsible_operator\":\"" + api().operatorA.id + "\"}");
        EXPECT_STATUS(assigned, 200);
        QCOMPARE(str(assigned.json["state"]), std::string("TAKEN_IN_CHARGE"));
        // Now it is A's, no longer B's queue.
        EXPECT_STATUS(api().get("/api/v1/cases/" + id, api().operatorB), 403);
        EXPECT_STATUS(api().get("/api/v1/cases/" + id, api().operatorA), 200);
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/assign", api().coordinator, R"({"responsible_operator":"nobody"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/assign", api().coordinator, R"({})"), 400);

        const HttpResult listed = api().get("/api/v1/cases?state=TAKEN_IN_CHARGE", api().operatorA);
        EXPECT_STATUS(listed, 200);
        QCOMPARE(listed.json["cases"].toArray().size(), 1);
        EXPECT_STATUS(api().get("/api/v1/cases?state=HAPPY", api().operatorA), 400);

        // Close and reopen follow the CASE_STATE transitions.
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/close", api().operatorA, R"({})"), 400);
        const HttpResult closed = api().post("/api/v1/cases/" + id + "/close", api().operatorA, R"({"closure_reason":"goals reached"})");
        EXPECT_STATUS(closed, 200);
        QCOMPARE(str(closed.json["state"]), std::string("CLOSED"));
        QCOMPARE(str(closed.json["closed_on"]), std::string("2025-10-09"));
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/close", api().operatorA, R"({"closure_reason":"again"})"), 409);
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/assign", api().coordinator, "{\"responsible_operator\":\"" + api().operatorB.id + "\"}"), 409);
        // Reopening is an update: the responsible operator may, a colleague may not.
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/reopen", api().operatorB, ""), 403);
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/reopen", api().operatorA, "{}"), 400);
        const HttpResult reopened = api().post("/api/v1/cases/" + id + "/reopen", api().operatorA, "");
        EXPECT_STATUS(reopened, 200);
        QCOMPARE(str(reopened.json["state"]), std::string("REOPENED"));
        QCOMPARE(str(reopened.json["closed_on"]), std::string());
        EXPECT_STATUS(api().post("/api/v1/cases/" + id + "/reopen", api().coordinator, ""), 409);
        EXPECT_STATUS(api().get("/api/v1/cases/not-a-case", api().coordinator), 404);
    }

    void breakingTheGlass_data() { addStoreRows(); }
    void breakingTheGlass()
    {
        const std::string citizen = createCitizen(api().awayCoordinator, "Neri");
        EXPECT_STATUS(api().get("/api/v1/citizens/" + citizen, api().supervisor), 403);
        EXPECT_STATUS(api().post("/api/v1/break-glass", api().supervisor,
                                 "{\"scope\":\"citizen\",\"subject\":\"" + citizen + "\",\"reason\":\"short\"}"),
                      400);
        EXPECT_STATUS(api().post("/api/v1/break-glass", api().supervisor,
                                 R"({"scope":"citizen","subject":"0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b","reason":"police report about a child at risk"})"),
                      404);
        EXPECT_STATUS(api().post("/api/v1/break-glass", api().supervisor, R"({"scope":"city","subject":"x","reason":"police report about a child at risk"})"), 400);
        EXPECT_STATUS(api().post("/api/v1/break-glass", api().admin,
                                 "{\"scope\":\"citizen\",\"subject\":\"" + citizen + "\",\"reason\":\"police report about a child at risk\"}"),
                      403);
        const std::int64_t before = api().auditLength();
        const HttpResult granted = api().post("/api/v1/break-glass", api().supervisor,
                                              "{\"scope\":\"citizen\",\"subject\":\"" + citizen + "\",\"reason\":\"police report about a child at risk\"}");
        EXPECT_STATUS(granted, 201);
        EXPECT_STATUS(api().get("/api/v1/citizens/" + citizen, api().supervisor), 200);
        const auto events = api().auditEventsAfter(before);
        QCOMPARE(events.size(), std::size_t {2});
        QCOMPARE(events[0].action(), std::string("break_glass"));
        QVERIFY(events[0].break_glass());
        QCOMPARE(events[1].action(), std::string("read"));
        QVERIFY(events[1].break_glass());
        QCOMPARE(events[1].reason(), std::string("police report about a child at risk"));
        const HttpResult me = api().get("/api/v1/me", api().supervisor);
        QCOMPARE(me.json["grants"].toArray().size(), 1);
        // The grant ends.
        api().clock().advance(4ULL * 60 * 60 * 1000);
        EXPECT_STATUS(api().get("/api/v1/citizens/" + citizen, api().supervisor), 403);
    }

    // Readers on many threads at once (several backend instances look the same to the
    // store): every read succeeds (none gives up as 503 after losing races for the audit
    // head), is logged once, and the chain never forks.
    void concurrentAccessKeepsTheChain_data() { addStoreRows(); }
    void concurrentAccessKeepsTheChain()
    {
        const std::string citizen = createCitizen(api().coordinator, "Concurrent");
        const std::int64_t before = api().auditLength();
        constexpr int threads = 16;
        constexpr int readsEach = 12;
        std::atomic<int> succeeded {0};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&] {
                for (int i = 0; i < readsEach; ++i) {
                    if (api().get("/api/v1/citizens/" + citizen, api().coordinator).status == 200)
                        ++succeeded;
                }
            });
        }
        for (std::thread &worker : workers)
            worker.join();
        QCOMPARE(succeeded.load(), threads * readsEach);
        QCOMPARE(api().auditLength(), before + threads * readsEach);
        const HttpResult verified = api().get("/api/v1/audit/verify", api().auditor);
        QVERIFY2(verified.json["intact"].toBool(), verified.body.c_str());
    }

    void auditEndpoints_data() { addStoreRows(); }
    void auditEndpoints()
    {
        const std::string citizen = createCitizen(api().coordinator, "Gialli");
        EXPECT_STATUS(api().get("/api/v1/citizens/" + citizen, api().coordinator), 200);
        EXPECT_STATUS(api().get("/api/v1/citizens/" + citizen, api().awayCoordinator), 403);

        const HttpResult report = api().get("/api/v1/audit/citizens/" + citizen, api().auditor);
        EXPECT_STATUS(report, 200);
        const QJsonArray accesses = report.json["accesses"].toArray();
        QCOMPARE(accesses.size(), 3);
        QCOMPARE(str(accesses[0].toObject()["action"]), std::string("create"));
        QCOMPARE(str(accesses[1].toObject()["action"]), std::string("read"));
        QCOMPARE(str(accesses[2].toObject()["action"]), std::string("read_denied"));
        QCOMPARE(str(accesses[2].toObject()["actor"]), api().awayCoordinator.id);
        EXPECT_STATUS(api().get("/api/v1/audit/citizens/" + citizen, api().coordinator), 403);

        const HttpResult verified = api().get("/api/v1/audit/verify", api().auditor);
        EXPECT_STATUS(verified, 200);
        QVERIFY(verified.json["intact"].toBool());
        QCOMPARE(str(verified.json["events_checked"]), std::string("3"));  // 64-bit integers are JSON strings
        EXPECT_STATUS(api().get("/api/v1/audit/verify", api().admin), 403);

        const HttpResult page = api().get("/api/v1/audit?limit=2", api().auditor);
        EXPECT_STATUS(page, 200);
        QCOMPARE(page.json["events"].toArray().size(), 2);
        const HttpResult rest = api().get("/api/v1/audit?limit=2&cursor=" + str(page.json["next_cursor"]), api().auditor);
        EXPECT_STATUS(rest, 200);
        QCOMPARE(rest.json["events"].toArray().size(), 1);

        // Changing a stored event, or cutting the last one off, is found.
        auto events = api().auditEventsAfter(1);
        QVERIFY(!events.empty());
        v1::AuditEvent forged = events.front();
        forged.set_reason("nothing to see here");
        EXPECT_OK(api().database().execute("UPDATE audit_events SET data = $1 WHERE sequence = 2",
                                               {storage::SqlBytes {forged.SerializeAsString()}}));
        const HttpResult broken = api().get("/api/v1/audit/verify", api().auditor);
        EXPECT_STATUS(broken, 200);
        QVERIFY(!broken.json["intact"].toBool());
        QCOMPARE(str(broken.json["fault_kind"]), std::string("content changed"));
        EXPECT_OK(api().database().execute("UPDATE audit_events SET data = $1 WHERE sequence = 2",
                                               {storage::SqlBytes {events.front().SerializeAsString()}}));
        QVERIFY(api().get("/api/v1/audit/verify", api().auditor).json["intact"].toBool());
        EXPECT_OK(api().database().execute("DELETE FROM audit_events WHERE sequence = 3", {}));
        QVERIFY(!api().get("/api/v1/audit/verify", api().auditor).json["intact"].toBool());
    }
};

QTEST_GUILESS_MAIN(TestApi)
#include "tst_api.moc"
