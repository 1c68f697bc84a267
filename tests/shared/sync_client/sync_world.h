// Test fixture: a real sync server on 127.0.0.1 (the backend's SyncService behind the
// Beast server, on a fresh embedded or PostgreSQL store with two presidi) and the means
// to enroll kiosks and sign in tablets on it, plus a store thread for the device side
// (a Replica is used by one thread, which SyncDriver reaches through `post`).
// Thread safety: use from the test's main thread; StoreThread::post from any thread.
#pragma once

#include "backend/net/net_test_support.h"
#include "backend/storage/store_fixture.h"
#include "identity/identity_service.h"
#include "storage/presidio_repository.h"
#include "sync/change_feed.h"
#include "sync/sync_service.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QTest>

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace sigess::sync::testing {

inline constexpr char ourPresidio[] = "P-M01-01";
inline constexpr char otherPresidio[] = "P-M02-01";

struct EnrolledDevice {
    std::string id;
    std::string credential;
    std::string session;  // tablets: the operator's session token

    v1::Hello hello() const
    {
        v1::Hello hello;
        hello.set_device_id(id);
        hello.set_device_credential(credential);
        hello.set_operator_session(session);
        hello.set_protocol_version(1);
        return hello;
    }
};

class SyncWorld {
public:
    static constexpr std::uint64_t startMs = 1'760'000'000'000;
    static constexpr char password[] = "correct horse battery";

    // Null, with the reason in `error`, when the store cannot be opened.
    static std::unique_ptr<SyncWorld> open(test::StoreKind kind, test::TestPostgresServer &postgres,
                                           syncserver::SyncOptions syncOptions, net::ServerOptions serverOptions,
                                           std::string &error)
    {
        auto world = std::unique_ptr<SyncWorld>(new SyncWorld);
        Result<std::unique_ptr<test::TestStore>> store = test::TestStore::open(kind, postgres);
        if (!store.ok()) {
            error = store.error().describe();
            return nullptr;
        }
        world->m_store = std::move(store).value();
        storage::PresidioRepository presidi(world->m_store->database());
        for (const auto &[code, municipio] : {std::pair{ourPresidio, "M01"}, std::pair{otherPresidio, "M02"}}) {
            v1::Presidio presidio;
            presidio.set_code(code);
            presidio.set_municipio(municipio);
            presidio.set_name(code);
            if (Status added = presidi.upsert(presidio); !added.ok()) {
                error = added.error().describe();
                return nullptr;
            }
        }
        world->m_hlc = std::make_unique<core::HybridLogicalClock>(world->m_clock);
        world->m_ids = std::make_unique<core::UuidV7Generator>(world->m_clock);
        identity::IdentityOptions identityOptions;
        identityOptions.passwordCost = identity::PasswordCost::minimum();
        world->m_identity = std::make_unique<identity::IdentityService>(world->m_store->database(), world->m_clock,
                                                                        *world->m_hlc, *world->m_ids, identityOptions);
        v1::Operator admin;
        admin.set_username("admin");
        admin.set_display_name("admin");
        admin.set_role(v1::ROLE_ADMIN);
        Result<v1::Operator> created = world->m_identity->createOperator(admin, password);
        if (!created.ok()) {
            error = created.error().describe();
            return nullptr;
        }
        world->m_adminId = created->meta().id();
        world->m_service = std::make_unique<syncserver::SyncService>(
            world->m_store->database(), *world->m_identity, *world->m_hlc, world->m_feed,
            sync::ServerRules(sync::standardCaseTransitions()), syncOptions);
        world->m_sessions = world->m_service->sessionFactory();
        net::Handlers handlers;
        handlers.sync = [raw = world.get()](net::SyncLink link, const net::PeerInfo &peer) {
            return raw->m_wrapSession ? raw->m_wrapSession(raw->m_sessions, std::move(link), peer)
                                      : raw->m_sessions(std::move(link), peer);
        };
        world->m_server = std::make_unique<net::testing::TestServer>(std::move(serverOptions), handlers);
        return world;
    }

    ~SyncWorld()
    {
        m_server.reset();
        m_service.reset();
        m_identity.reset();
        m_store.reset();
    }

    std::uint16_t port() const { return m_server->port(); }
    std::string url() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/v1/sync"; }
    identity::IdentityService &identity() { return *m_identity; }
    storage::SqlDatabase &database() { return m_store->database(); }
    net::testing::TestServer &server() { return *m_server; }

    // Lets a test put a session of its own around the service's (a connection that
    // fails at a chosen moment). Set before the connection it should apply to.
    using SessionWrapper = std::function<std::unique_ptr<net::SyncSession>(
        const net::SyncSessionFactory &inner, net::SyncLink link, const net::PeerInfo &peer)>;
    void wrapSessions(SessionWrapper wrapper) { m_wrapSession = std::move(wrapper); }

    EnrolledDevice enroll(v1::DeviceKind kind, const std::string &presidio)
    {
        auto code = m_identity->issueEnrollmentCode(presidio, kind, m_adminId);
        if (!code.ok())
            qFatal("cannot issue a code: %s", code.error().describe().c_str());
        auto enrolled = m_identity->enrollDevice(code->code, "test device");
        if (!enrolled.ok())
            qFatal("cannot enroll: %s", enrolled.error().describe().c_str());
        return EnrolledDevice{enrolled->device.meta().id(), enrolled->credential, {}};
    }

    EnrolledDevice tablet(const std::string &username, v1::Role role, const std::string &presidio)
    {
        v1::Operator profile;
        profile.set_username(username);
        profile.set_display_name(username);
        profile.set_role(role);
        profile.mutable_meta()->set_presidio(presidio);
        if (auto created = m_identity->createOperator(profile, password); !created.ok())
            qFatal("cannot create operator: %s", created.error().describe().c_str());
        EnrolledDevice device = enroll(v1::DEVICE_KIND_TABLET, presidio);
        auto session = m_identity->login(username, password, device.credential);
        if (!session.ok())
            qFatal("cannot log in: %s", session.error().describe().c_str());
        device.session = session->token;
        return device;
    }

    std::int64_t count(const std::string &sql)
    {
        std::int64_t value = -1;
        static_cast<void>(m_store->database().query(sql, {}, [&](const storage::SqlRow &row) -> Status {
            value = row.int64(0);
            return {};
        }));
        return value;
    }

private:
    SyncWorld() = default;

    core::ManualClock m_clock{startMs};
    std::unique_ptr<test::TestStore> m_store;
    std::unique_ptr<core::HybridLogicalClock> m_hlc;
    std::unique_ptr<core::UuidV7Generator> m_ids;
    std::unique_ptr<identity::IdentityService> m_identity;
    syncserver::LocalChangeFeed m_feed;
    std::unique_ptr<syncserver::SyncService> m_service;
    net::SyncSessionFactory m_sessions;
    SessionWrapper m_wrapSession;
    std::unique_ptr<net::testing::TestServer> m_server;
    std::string m_adminId;
};

// The thread that owns a device's store, as the app's store thread would.
class StoreThread {
public:
    StoreThread() : m_work(m_io.get_executor()), m_thread([this] { m_io.run(); }) {}
    ~StoreThread()
    {
        m_work.reset();
        m_thread.join();
    }

    void post(std::function<void()> work) { boost::asio::post(m_io, std::move(work)); }

    // Runs `work` on the store thread and waits for its result.
    template <typename Work>
    auto call(Work work) -> decltype(work())
    {
        std::packaged_task<decltype(work())()> task(std::move(work));
        auto result = task.get_future();
        boost::asio::post(m_io, [&task] { task(); });
        return result.get();
    }

private:
    boost::asio::io_context m_io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_work;
    std::thread m_thread;
};

} // namespace sigess::sync::testing
