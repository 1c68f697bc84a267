// Test fixture: sigess-backend inside the test's process. Its real services
// (server/backend_services.h: store, identity, JSON API, sync on one change feed) sit
// behind the real network server on 127.0.0.1 at a free port, in plaintext (loopback
// only), over a fresh embedded store in a temporary folder and the catalog built from
// deploy/catalog. The clock is the test's, so kiosks and desks share one day. Operators
// are created as `sigessctl user create` would (the identity service on the same store);
// everything else goes through HTTP like a desk's browser or a kiosk's --enroll.
// Thread safety: the test's main thread only.
#pragma once

#include "kiosk_fixture.h"

#include "backend/net/net_test_support.h"
#include "config/config.h"
#include "identity/identity_service.h"
#include "server/backend.h"
#include "server/backend_services.h"

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>
#include <string>

namespace sigess::kiosk::testing {

class KioskBackend {
public:
    static constexpr char password[] = "correct horse battery";

    struct Reply {
        int status = 0;
        QJsonObject json;
        std::string body;
    };

    // Null, with the reason in `error`, when the backend cannot start.
    static std::unique_ptr<KioskBackend> open(const core::Clock &clock, std::string &error)
    {
        auto backend = std::unique_ptr<KioskBackend>(new KioskBackend(clock));
        if (Status started = backend->start(); !started.ok()) {
            error = started.error().describe();
            return nullptr;
        }
        return backend;
    }

    std::string syncUrl() const { return "ws://127.0.0.1:" + std::to_string(m_server->port()) + "/v1/sync"; }

    Reply post(const std::string &target, const std::string &token, const std::string &body = {})
    {
        net::Request request = net::testing::makeRequest(boost::beast::http::verb::post, target, body);
        if (!token.empty())
            request.set(boost::beast::http::field::authorization, "Bearer " + token);
        if (!body.empty())
            request.set(boost::beast::http::field::content_type, "application/json");
        request.prepare_payload();
        const net::testing::Exchange exchange = net::testing::fetch(m_server->port(), std::move(request));
        Reply reply;
        if (exchange.error)
            return reply;
        reply.status = static_cast<int>(exchange.response.result_int());
        reply.body = exchange.response.body();
        reply.json = QJsonDocument::fromJson(QByteArray::fromStdString(reply.body)).object();
        return reply;
    }

    // Creates the operator and signs them in through the API: their session token, or
    // empty when either step fails.
    std::string signIn(const std::string &username, v1::Role role, const std::string &presidio)
    {
        v1::Operator profile;
        profile.set_username(username);
        profile.set_display_name(username);
        profile.set_role(role);
        profile.mutable_meta()->set_presidio(presidio);
        if (!m_identity->createOperator(profile, password).ok())
            return {};
        const Reply login = post("/api/v1/login", {},
            R"({"username":")" + username + R"(","password":")" + std::string(password) + R"("})");
        return login.json[QStringLiteral("token")].toString().toStdString();
    }

    // A one-time kiosk enrollment code for the presidio, issued by an admin through the
    // API (what `sigessctl device enroll` prints); empty when refused.
    std::string kioskEnrollmentCode(const std::string &adminToken, const std::string &presidio)
    {
        const Reply issued = post("/api/v1/devices/enrollments", adminToken,
            R"({"presidio":")" + presidio + R"(","kind":"DEVICE_KIND_KIOSK"})");
        return issued.json[QStringLiteral("code")].toString().toStdString();
    }

private:
    explicit KioskBackend(const core::Clock &clock) : m_clock(clock), m_hlc(clock), m_ids(clock) {}

    Status start()
    {
        if (!m_dir.isValid())
            return makeError(ErrorCode::Unavailable, "no temporary folder");
        const std::string release = deployCatalog().release().SerializeAsString();
        SIGESS_TRY(write("catalog.pb", QByteArray::fromStdString(release)));
        SIGESS_TRY(write("store.key", QByteArray(64, 'a') + '\n'));
        SIGESS_TRY(write("cursor.key", QByteArray(64, 'c') + '\n'));
        const std::string folder = m_dir.path().toStdString();
        Result<config::BackendConfig> config = config::parseConfig(
            "[listen]\naddress = 127.0.0.1\nport = 0\nplaintext = true\n"
            "[storage]\npath = " + folder + "/backend.db\nkey_file = " + folder + "/store.key\n"
            "[catalog]\nrelease = " + folder + "/catalog.pb\n"
            "[api]\ncursor_key_file = " + folder + "/cursor.key\n",
            "kiosk-backend.conf");
        if (!config.ok())
            return config.takeError();
        Result<std::unique_ptr<server::BackendServices>> services = server::BackendServices::open(*config, m_clock, m_logger);
        if (!services.ok())
            return services.takeError();
        m_services = std::move(services).value();
        identity::IdentityOptions identityOptions;
        identityOptions.passwordCost = identity::PasswordCost::minimum();
        m_identity = std::make_unique<identity::IdentityService>(m_services->database(), m_clock, m_hlc, m_ids,
                                                                 identityOptions);
        m_server = std::make_unique<net::testing::TestServer>(net::testing::fastOptions(),
                                                              server::makeHandlers(m_services->services()));
        return {};
    }

    Status write(const char *name, const QByteArray &bytes)
    {
        QFile file(m_dir.filePath(QString::fromLatin1(name)));
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            return makeError(ErrorCode::Unavailable, std::string("cannot write ") + name);
        return {};
    }

    QTemporaryDir m_dir;
    const core::Clock &m_clock;
    core::HybridLogicalClock m_hlc;
    core::UuidV7Generator m_ids;
    // The backend's log lines concern no test here.
    net::Logger m_logger{m_clock, net::LogLevel::Error, [](std::string_view) {}};
    std::unique_ptr<server::BackendServices> m_services;
    std::unique_ptr<identity::IdentityService> m_identity;
    std::unique_ptr<net::testing::TestServer> m_server; // goes first: it calls the services
};

} // namespace sigess::kiosk::testing
