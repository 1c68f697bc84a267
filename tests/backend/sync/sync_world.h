// Test fixture without Qt: a whole sync server side (identity, the SyncService and an
// in-process change feed) on an embedded encrypted store of its own in a directory of
// the caller's, or on a store the caller holds (either kind, see
// tests/shared/sync_client/sync_world.h), with the devices a test needs enrolled on it.
// The fuzz target, the sync server and client tests, the kill -9 rounds and the
// bad-network test all start from it, so each builds the same server the same way.
// Two presidi exist: ourPresidio (municipio M01) and otherPresidio (M02).
// SyncWorldServer (sync_world_server.h) puts it behind a real server on loopback.
// Thread safety: build and enroll from one thread; the service it holds is then safe
// from any thread (sync/sync_service.h).
#pragma once

#include "backend/sync/device_credentials.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "storage/embedded_database.h"
#include "storage/presidio_repository.h"
#include "storage/schema.h"
#include "storage/sql.h"
#include "store/raw_key.h"
#include "sync/change_feed.h"
#include "sync/server_rules.h"
#include "sync/sync_service.h"

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sigess::test {

inline constexpr char ourPresidio[] = "P-M01-01";
inline constexpr char otherPresidio[] = "P-M02-01";

class SyncWorld {
public:
    static constexpr std::uint64_t defaultStartMs = 1'760'000'000'000;
    // Every operator the world creates has this password.
    static constexpr char password[] = "correct horse battery";

    // The store lives in `directory` (created beforehand, removed by the caller).
    static Result<std::unique_ptr<SyncWorld>> open(const std::string &directory, syncserver::SyncOptions options = {},
                                                   std::uint64_t startMs = defaultStartMs);
    // On `database`, migrated and empty, which the caller keeps open while the world lives.
    static Result<std::unique_ptr<SyncWorld>> open(storage::SqlDatabase &database,
                                                   syncserver::SyncOptions options = {},
                                                   std::uint64_t startMs = defaultStartMs);
    ~SyncWorld();
    SyncWorld(const SyncWorld &) = delete;
    SyncWorld &operator=(const SyncWorld &) = delete;

    Result<DeviceCredentials> enrollDevice(v1::DeviceKind kind, const std::string &presidio);
    Result<DeviceCredentials> enrollKiosk(const std::string &presidio)
    {
        return enrollDevice(v1::DEVICE_KIND_KIOSK, presidio);
    }
    // A tablet with an operator of `role` created under `username` and signed in on it.
    Result<DeviceCredentials> enrollTablet(const std::string &username, v1::Role role, const std::string &presidio);

    // Every entity of a type the server holds, by id, as its stored message bytes.
    Result<std::map<std::string, std::string>> entities(v1::EntityType type);
    // The server's log, oldest first.
    Result<std::vector<v1::Operation>> loggedOperations();
    // The one number a query such as "SELECT COUNT(*) FROM sync_ops" answers; -1 when it fails.
    std::int64_t count(const std::string &sql);

    storage::SqlDatabase &database() { return *m_database; }
    identity::IdentityService &identity() { return *m_identity; }
    syncserver::SyncService &service() { return *m_service; }
    syncserver::ChangeFeed &feed() { return m_feed; }
    core::ManualClock &clock() { return m_clock; }
    core::HybridLogicalClock &hlc() { return m_hlc; }
    core::UuidV7Generator &ids() { return m_ids; }

private:
    explicit SyncWorld(std::uint64_t startMs);
    // The presidi, the admin who issues enrollment codes and the service, on m_database.
    Status populate(syncserver::SyncOptions options);

    core::ManualClock m_clock;
    core::HybridLogicalClock m_hlc;
    core::UuidV7Generator m_ids;
    syncserver::LocalChangeFeed m_feed;
    std::unique_ptr<storage::SqlDatabase> m_ownDatabase;  // when the world opened its store
    storage::SqlDatabase *m_database = nullptr;
    std::unique_ptr<identity::IdentityService> m_identity;
    std::unique_ptr<syncserver::SyncService> m_service;
    std::string m_adminId;
};

inline SyncWorld::SyncWorld(std::uint64_t startMs) : m_clock(startMs), m_hlc(m_clock), m_ids(m_clock) {}

inline SyncWorld::~SyncWorld()
{
    // The service borrows the identity and the store: it goes first.
    m_service.reset();
    m_identity.reset();
    m_ownDatabase.reset();
}

inline Result<std::unique_ptr<SyncWorld>> SyncWorld::open(const std::string &directory,
                                                          syncserver::SyncOptions options, std::uint64_t startMs)
{
    auto world = std::unique_ptr<SyncWorld>(new SyncWorld(startMs));
    storage::EmbeddedStoreConfig config;
    config.path = directory + "/store.db";
    config.keyFile = directory + "/store.key";
    config.readers = 2;
    Result<std::unique_ptr<storage::SqlDatabase>> database
        = storage::openEmbeddedDatabase(config, store::RawKey::random());
    if (!database.ok())
        return database.takeError();
    world->m_ownDatabase = std::move(database).value();
    world->m_database = world->m_ownDatabase.get();
    SIGESS_TRY(storage::migrateSchema(*world->m_database));
    SIGESS_TRY(world->populate(options));
    return world;
}

inline Result<std::unique_ptr<SyncWorld>> SyncWorld::open(storage::SqlDatabase &database,
                                                          syncserver::SyncOptions options, std::uint64_t startMs)
{
    auto world = std::unique_ptr<SyncWorld>(new SyncWorld(startMs));
    world->m_database = &database;
    SIGESS_TRY(world->populate(options));
    return world;
}

inline Status SyncWorld::populate(syncserver::SyncOptions options)
{
    storage::PresidioRepository presidi(*m_database);
    for (const auto &[code, municipio] : {std::pair{ourPresidio, "M01"}, std::pair{otherPresidio, "M02"}}) {
        v1::Presidio presidio;
        presidio.set_code(code);
        presidio.set_municipio(municipio);
        presidio.set_name(code);
        SIGESS_TRY(presidi.upsert(presidio));
    }
    identity::IdentityOptions identityOptions;
    identityOptions.passwordCost = identity::PasswordCost::minimum();
    m_identity = std::make_unique<identity::IdentityService>(*m_database, m_clock, m_hlc, m_ids, identityOptions);
    v1::Operator admin;
    admin.set_username("admin");
    admin.set_display_name("admin");
    admin.set_role(v1::ROLE_ADMIN);
    Result<v1::Operator> created = m_identity->createOperator(admin, password);
    if (!created.ok())
        return created.takeError();
    m_adminId = created->meta().id();
    m_service = std::make_unique<syncserver::SyncService>(*m_database, *m_identity, m_hlc, m_feed,
                                                          sync::ServerRules(sync::standardCaseTransitions()), options);
    return {};
}

inline Result<DeviceCredentials> SyncWorld::enrollDevice(v1::DeviceKind kind, const std::string &presidio)
{
    Result<identity::IssuedEnrollmentCode> code = m_identity->issueEnrollmentCode(presidio, kind, m_adminId);
    if (!code.ok())
        return code.takeError();
    Result<identity::EnrolledDevice> enrolled = m_identity->enrollDevice(code->code, "test device of " + presidio);
    if (!enrolled.ok())
        return enrolled.takeError();
    return DeviceCredentials{enrolled->device.meta().id(), enrolled->credential, {}};
}

inline Result<DeviceCredentials> SyncWorld::enrollTablet(const std::string &username, v1::Role role,
                                                         const std::string &presidio)
{
    v1::Operator profile;
    profile.set_username(username);
    profile.set_display_name(username);
    profile.set_role(role);
    profile.mutable_meta()->set_presidio(presidio);
    if (Result<v1::Operator> created = m_identity->createOperator(profile, password); !created.ok())
        return created.takeError();
    Result<DeviceCredentials> enrolled = enrollDevice(v1::DEVICE_KIND_TABLET, presidio);
    if (!enrolled.ok())
        return enrolled.takeError();
    Result<identity::Session> session = m_identity->login(username, password, enrolled->credential);
    if (!session.ok())
        return session.takeError();
    enrolled->session = session->token;
    return enrolled;
}

inline Result<std::map<std::string, std::string>> SyncWorld::entities(v1::EntityType type)
{
    std::map<std::string, std::string> found;
    SIGESS_TRY(m_database->query("SELECT id, data FROM sync_entities WHERE entity_type = $1",
                                 {static_cast<std::int64_t>(type)}, [&](const storage::SqlRow &row) -> Status {
                                     found.emplace(std::string(row.text(0)), row.bytes(1));
                                     return {};
                                 }));
    return found;
}

inline Result<std::vector<v1::Operation>> SyncWorld::loggedOperations()
{
    std::vector<v1::Operation> logged;
    SIGESS_TRY(m_database->query("SELECT operation FROM sync_ops ORDER BY sequence", {},
                                 [&](const storage::SqlRow &row) -> Status {
                                     if (!logged.emplace_back().ParseFromString(row.bytes(0)))
                                         return makeError(ErrorCode::Corrupt, "a logged operation does not parse");
                                     return {};
                                 }));
    return logged;
}

inline std::int64_t SyncWorld::count(const std::string &sql)
{
    std::int64_t value = -1;
    static_cast<void>(m_database->query(sql, {}, [&](const storage::SqlRow &row) -> Status {
        value = row.int64(0);
        return {};
    }));
    return value;
}

} // namespace sigess::test
