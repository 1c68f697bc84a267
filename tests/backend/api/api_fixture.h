// Test fixture of the API: a fresh store of either kind (storage/store_fixture.h), the
// project's catalog built from deploy/catalog, the identity service and the Api, with a
// manual clock. Requests go straight to Api::handle (no sockets); responses are read as
// JSON with Qt. Seeds a small city: an admin, an auditor, a supervisor, a coordinator and
// two operators in P-M01-01, an operator and a coordinator in P-M02-01 (another
// municipio), and a kiosk in each of those presidi.
// Thread safety: the test's main thread only.
#pragma once

#include "api/api.h"
#include "backend/storage/store_fixture.h"
#include "catalog/builder.h"
#include "core/catalog.h"
#include "identity/identity_service.h"
#include "storage/audit_repository.h"
#include "storage/presidio_repository.h"
#include "support/result_checks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <map>
#include <memory>
#include <string>

namespace sigess::test {

inline constexpr std::uint64_t apiStartMs = 1'760'000'000'000;  // 2025-10-09
inline constexpr char kPassword[] = "correct horse battery";
inline constexpr char kHome[] = "P-M01-01";       // municipio M01
inline constexpr char kNeighbour[] = "P-M01-02";  // municipio M01
inline constexpr char kAway[] = "P-M02-01";       // municipio M02

struct HttpResult {
    int status = 0;
    QJsonObject json;
    std::string body;
    std::string retryAfter;  // the Retry-After header, empty when absent

    std::string errorCode() const { return json["error"].toObject()["code"].toString().toStdString(); }
    std::string errorMessage() const { return json["error"].toObject()["message"].toString().toStdString(); }
};

// Who calls: a session token or a device credential (or nobody).
struct Client {
    std::string scheme;  // "Bearer", "Device" or empty
    std::string secret;
    std::string id;      // operator or device id
    v1::Role role = v1::ROLE_UNSPECIFIED;
    std::string presidio;
};

// The answer has this HTTP status; otherwise the test fails with the status and the body.
#define EXPECT_STATUS(result, expected)                                                      \
    do {                                                                                     \
        const ::sigess::test::HttpResult &expectStatus_ = (result);                          \
        QVERIFY2(expectStatus_.status == (expected),                                         \
                 (std::to_string(expectStatus_.status) + " " + expectStatus_.body).c_str()); \
    } while (false)

inline std::string str(const QJsonValue &value)
{
    return value.toString().toStdString();
}

// The id of the record an answer carries (meta.id).
inline std::string idOf(const HttpResult &result)
{
    return str(result.json["meta"].toObject()["id"]);
}

// The id of the record an answer says was created (201); any other answer ends the run,
// since the test cannot go on without the record.
inline std::string createdId(const HttpResult &result, const char *what)
{
    if (result.status != 201)
        qFatal("%s not created: %d %s", what, result.status, result.body.c_str());
    return idOf(result);
}

inline const core::Catalog &projectCatalog()
{
    static const core::Catalog catalog = [] {
        const auto built = catalog::buildCatalog(std::filesystem::path(SIGESS_SOURCE_DIR) / "deploy" / "catalog");
        if (!built.ok())
            qFatal("deploy/catalog does not build: %s", built.errors.front().describe().c_str());
        auto loaded = core::Catalog::fromRelease(built.release);
        if (!loaded)
            qFatal("catalog does not load: %s", loaded.error().describe().c_str());
        return std::move(loaded).value();
    }();
    return catalog;
}

class ApiFixture {
public:
    static Result<std::unique_ptr<ApiFixture>> open(StoreKind kind, TestPostgresServer &server)
    {
        auto store = TestStore::open(kind, server);
        if (!store)
            return store.takeError();
        auto fixture = std::unique_ptr<ApiFixture>(new ApiFixture(std::move(store).value()));
        SIGESS_TRY(fixture->seed());
        return fixture;
    }

    // The fixture of the data row running (currentStoreKind()) into `fixture`; none for a
    // test function without rows.
    static Status openForCurrentRow(std::unique_ptr<ApiFixture> &fixture, TestPostgresServer &server)
    {
        fixture.reset();
        if (QByteArray(QTest::currentDataTag()).isEmpty())
            return {};
        Result<std::unique_ptr<ApiFixture>> opened = open(currentStoreKind(), server);
        if (!opened.ok())
            return opened.takeError();
        fixture = std::move(opened).value();
        return {};
    }

    HttpResult request(boost::beast::http::verb method, const std::string &target, const Client &client = {},
                       const std::string &body = {}, const std::string &contentType = "application/json")
    {
        net::Request request {method, target, 11};
        if (!client.scheme.empty())
            request.set(boost::beast::http::field::authorization, client.scheme + " " + client.secret);
        if (!body.empty())
            request.set(boost::beast::http::field::content_type, contentType);
        request.body() = body;
        request.prepare_payload();
        const net::Response response = m_api->handle(request, net::PeerInfo {"127.0.0.1", 40000, false});
        HttpResult result;
        result.status = static_cast<int>(response.result_int());
        result.body = response.body();
        if (const auto retry = response.find(boost::beast::http::field::retry_after); retry != response.end())
            result.retryAfter = std::string(retry->value());
        result.json = QJsonDocument::fromJson(QByteArray::fromStdString(response.body())).object();
        return result;
    }

    HttpResult get(const std::string &target, const Client &client = {})
    {
        return request(boost::beast::http::verb::get, target, client);
    }
    HttpResult post(const std::string &target, const Client &client, const std::string &body)
    {
        return request(boost::beast::http::verb::post, target, client, body);
    }
    HttpResult put(const std::string &target, const Client &client, const std::string &body)
    {
        return request(boost::beast::http::verb::put, target, client, body);
    }

    // Creates an operator through the identity service and logs them in through the API.
    Client addOperator(const std::string &username, v1::Role role, const std::string &presidio)
    {
        v1::Operator profile;
        profile.set_username(username);
        profile.set_display_name(username);
        profile.set_role(role);
        profile.mutable_meta()->set_presidio(presidio);
        auto created = m_identity->createOperator(profile, kPassword);
        if (!created)
            qFatal("cannot create %s: %s", username.c_str(), created.error().describe().c_str());
        return login(username, created->meta().id(), role, presidio);
    }

    Client login(const std::string &username, const std::string &id, v1::Role role, const std::string &presidio)
    {
        const HttpResult result = post("/api/v1/login", {},
                                       "{\"username\":\"" + username + "\",\"password\":\"" + kPassword + "\"}");
        if (result.status != 200)
            qFatal("login of %s failed: %d %s", username.c_str(), result.status, result.body.c_str());
        return Client {"Bearer", result.json["token"].toString().toStdString(), id, role, presidio};
    }

    // Enrolls a kiosk through the API (admin issues, the device exchanges).
    Client addKiosk(const std::string &presidio)
    {
        const HttpResult issued = post("/api/v1/devices/enrollments", admin,
                                       "{\"presidio\":\"" + presidio + "\",\"kind\":\"DEVICE_KIND_KIOSK\"}");
        if (issued.status != 201)
            qFatal("enrollment failed: %d %s", issued.status, issued.body.c_str());
        const HttpResult exchanged =
            post("/api/v1/devices/exchange", {},
                 "{\"code\":\"" + issued.json["code"].toString().toStdString() + "\",\"label\":\"kiosk\"}");
        if (exchanged.status != 201)
            qFatal("exchange failed: %d %s", exchanged.status, exchanged.body.c_str());
        return Client {"Device", exchanged.json["credential"].toString().toStdString(),
                       exchanged.json["device"].toObject()["meta"].toObject()["id"].toString().toStdString(),
                       v1::ROLE_KIOSK, presidio};
    }

    std::int64_t auditLength()
    {
        auto head = storage::AuditRepository(m_store->database()).head();
        return head ? head->sequence : -1;
    }

    std::vector<v1::AuditEvent> auditEventsAfter(std::int64_t sequence)
    {
        std::vector<v1::AuditEvent> events;
        auto entries = storage::AuditRepository(m_store->database()).scan(sequence, storage::PageRequest::maxLimit);
        if (entries) {
            for (auto &entry : *entries)
                events.push_back(entry.event);
        }
        return events;
    }

    storage::SqlDatabase &database() { return m_store->database(); }
    core::ManualClock &clock() { return m_clock; }
    identity::IdentityService &identityService() { return *m_identity; }
    core::HybridLogicalClock &hlc() { return m_hlc; }
    core::UuidV7Generator &ids() { return m_ids; }
    syncserver::ChangeFeed &feed() { return m_feed; }

    Client admin, auditor, supervisor, coordinator, operatorA, operatorB, awayOperator, awayCoordinator, kiosk,
        awayKiosk;

private:
    explicit ApiFixture(std::unique_ptr<TestStore> store)
        : m_store(std::move(store))
        , m_clock(apiStartMs)
        , m_hlc(m_clock)
        , m_ids(m_clock)
    {
        identity::IdentityOptions options;
        options.passwordCost = identity::PasswordCost::minimum();
        options.sessionLifetimeMs = 8ULL * 60 * 60 * 1000;
        m_identity = std::make_unique<identity::IdentityService>(m_store->database(), m_clock, m_hlc, m_ids, options);
        api::ApiOptions apiOptions;
        apiOptions.maxBodyBytes = 16 * 1024;
        apiOptions.cursorKey = std::string(32, 'k');
        m_api = std::make_unique<api::Api>(
            api::ApiServices {m_store->database(), *m_identity, projectCatalog(), m_clock, m_hlc, m_ids, m_feed}, apiOptions);
    }

    Status seed()
    {
        storage::PresidioRepository presidi(m_store->database());
        for (const v1::PresidioInfo &info : projectCatalog().release().presidi()) {
            v1::Presidio presidio;
            presidio.set_code(info.code());
            presidio.set_name(info.name());
            presidio.set_municipio(info.municipio());
            SIGESS_TRY(presidi.upsert(presidio));
        }
        admin = addOperator("admin", v1::ROLE_ADMIN, "");
        auditor = addOperator("auditor", v1::ROLE_AUDITOR, "");
        supervisor = addOperator("supervisor", v1::ROLE_SUPERVISOR, "");
        coordinator = addOperator("coordinator", v1::ROLE_COORDINATOR, kHome);
        operatorA = addOperator("operator.a", v1::ROLE_OPERATOR, kHome);
        operatorB = addOperator("operator.b", v1::ROLE_OPERATOR, kHome);
        awayOperator = addOperator("away.operator", v1::ROLE_OPERATOR, kAway);
        awayCoordinator = addOperator("away.coordinator", v1::ROLE_COORDINATOR, kAway);
        kiosk = addKiosk(kHome);
        awayKiosk = addKiosk(kAway);
        return {};
    }

    std::unique_ptr<TestStore> m_store;
    core::ManualClock m_clock;
    core::HybridLogicalClock m_hlc;
    core::UuidV7Generator m_ids;
    syncserver::LocalChangeFeed m_feed;
    std::unique_ptr<identity::IdentityService> m_identity;
    std::unique_ptr<api::Api> m_api;
};

} // namespace sigess::test
