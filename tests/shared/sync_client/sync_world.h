// Test fixture: a real sync server on 127.0.0.1 (the backend's SyncService behind the
// Beast server, on a fresh embedded or PostgreSQL store with two presidi: the Qt-free
// test::SyncWorld on a TestStore, served by test::SyncWorldServer) and the means to
// enroll kiosks and sign in tablets on it, plus a store thread for the device side
// (a Replica is used by one thread, which SyncDriver reaches through `post`).
// Thread safety: use from the test's main thread; StoreThread::post from any thread.
#pragma once

#include "backend/storage/store_fixture.h"
#include "backend/sync/sync_world.h"
#include "backend/sync/sync_world_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <QTest>

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>

namespace sigess::sync::testing {

using test::otherPresidio;
using test::ourPresidio;
using EnrolledDevice = test::DeviceCredentials;

class SyncWorld {
public:
    static constexpr std::uint64_t startMs = test::SyncWorld::defaultStartMs;

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
        Result<std::unique_ptr<test::SyncWorld>> core
            = test::SyncWorld::open(world->m_store->database(), std::move(syncOptions), startMs);
        if (!core.ok()) {
            error = core.error().describe();
            return nullptr;
        }
        world->m_core = std::move(core).value();
        world->m_server = std::make_unique<test::SyncWorldServer>(*world->m_core, std::move(serverOptions));
        return world;
    }

    ~SyncWorld()
    {
        m_server.reset();
        m_core.reset();
        m_store.reset();
    }

    std::uint16_t port() const { return m_server->port(); }
    std::string url() const { return m_server->url(); }
    test::SyncWorld &core() { return *m_core; }
    test::TestStore &store() { return *m_store; }
    identity::IdentityService &identity() { return m_core->identity(); }
    storage::SqlDatabase &database() { return m_store->database(); }
    net::testing::TestServer &server() { return m_server->server(); }
    void wrapSessions(test::SyncWorldServer::SessionWrapper wrapper) { m_server->wrapSessions(std::move(wrapper)); }
    std::int64_t count(const std::string &sql) { return m_core->count(sql); }

    // The same as the core world's, failing the test run when they fail.
    EnrolledDevice enroll(v1::DeviceKind kind, const std::string &presidio)
    {
        return orFatal(m_core->enrollDevice(kind, presidio));
    }
    EnrolledDevice tablet(const std::string &username, v1::Role role, const std::string &presidio)
    {
        return orFatal(m_core->enrollTablet(username, role, presidio));
    }

private:
    SyncWorld() = default;

    static EnrolledDevice orFatal(Result<EnrolledDevice> device)
    {
        if (!device.ok())
            qFatal("cannot enroll a device: %s", device.error().describe().c_str());
        return std::move(device).value();
    }

    std::unique_ptr<test::TestStore> m_store;
    std::unique_ptr<test::SyncWorld> m_core;
    std::unique_ptr<test::SyncWorldServer> m_server;
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
