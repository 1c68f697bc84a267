#include "backend/sync/sync_world.h"

#include "storage/embedded_database.h"
#include "storage/presidio_repository.h"
#include "storage/schema.h"
#include "store/raw_key.h"
#include "sync/server_rules.h"

#include <utility>

namespace sigess::test {

namespace {

constexpr char password[] = "correct horse battery";

} // namespace

SyncWorld::SyncWorld(std::uint64_t startMs) : m_clock(startMs), m_hlc(m_clock), m_ids(m_clock) {}

SyncWorld::~SyncWorld()
{
    // The service borrows the identity and the store: it goes first.
    m_service.reset();
    m_identity.reset();
    m_database.reset();
}

Result<std::unique_ptr<SyncWorld>> SyncWorld::open(const std::string &directory, syncserver::SyncOptions options,
                                                   std::uint64_t startMs)
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
    world->m_database = std::move(database).value();
    SIGESS_TRY(storage::migrateSchema(*world->m_database));
    storage::PresidioRepository presidi(*world->m_database);
    for (const auto &[code, municipio] : {std::pair{ourPresidio, "M01"}, std::pair{otherPresidio, "M02"}}) {
        v1::Presidio presidio;
        presidio.set_code(code);
        presidio.set_municipio(municipio);
        presidio.set_name(code);
        SIGESS_TRY(presidi.upsert(presidio));
    }
    identity::IdentityOptions identityOptions;
    identityOptions.passwordCost = identity::PasswordCost::minimum();
    world->m_identity = std::make_unique<identity::IdentityService>(*world->m_database, world->m_clock, world->m_hlc,
                                                                    world->m_ids, identityOptions);
    v1::Operator admin;
    admin.set_username("admin");
    admin.set_display_name("admin");
    admin.set_role(v1::ROLE_ADMIN);
    Result<v1::Operator> created = world->m_identity->createOperator(admin, password);
    if (!created.ok())
        return created.takeError();
    world->m_adminId = created->meta().id();
    world->m_service = std::make_unique<syncserver::SyncService>(
        *world->m_database, *world->m_identity, world->m_hlc, world->m_feed,
        sync::ServerRules(sync::standardCaseTransitions()), options);
    return world;
}

Result<DeviceCredentials> SyncWorld::enrollKiosk(const std::string &presidio)
{
    Result<identity::IssuedEnrollmentCode> code
        = m_identity->issueEnrollmentCode(presidio, v1::DEVICE_KIND_KIOSK, m_adminId);
    if (!code.ok())
        return code.takeError();
    Result<identity::EnrolledDevice> enrolled = m_identity->enrollDevice(code->code, "kiosk " + presidio);
    if (!enrolled.ok())
        return enrolled.takeError();
    return DeviceCredentials{enrolled->device.meta().id(), enrolled->credential, {}};
}

Result<DeviceCredentials> SyncWorld::enrollTablet(const std::string &username, v1::Role role,
                                                  const std::string &presidio)
{
    v1::Operator profile;
    profile.set_username(username);
    profile.set_display_name(username);
    profile.set_role(role);
    profile.mutable_meta()->set_presidio(presidio);
    if (Result<v1::Operator> created = m_identity->createOperator(profile, password); !created.ok())
        return created.takeError();
    Result<identity::IssuedEnrollmentCode> code
        = m_identity->issueEnrollmentCode(presidio, v1::DEVICE_KIND_TABLET, m_adminId);
    if (!code.ok())
        return code.takeError();
    Result<identity::EnrolledDevice> enrolled = m_identity->enrollDevice(code->code, "tablet of " + username);
    if (!enrolled.ok())
        return enrolled.takeError();
    Result<identity::Session> session = m_identity->login(username, password, enrolled->credential);
    if (!session.ok())
        return session.takeError();
    return DeviceCredentials{enrolled->device.meta().id(), enrolled->credential, session->token};
}

Result<std::map<std::string, std::string>> SyncWorld::entities(v1::EntityType type)
{
    std::map<std::string, std::string> found;
    SIGESS_TRY(m_database->query("SELECT id, data FROM sync_entities WHERE entity_type = $1",
                                 {static_cast<std::int64_t>(type)}, [&](const storage::SqlRow &row) -> Status {
                                     found.emplace(std::string(row.text(0)), row.bytes(1));
                                     return {};
                                 }));
    return found;
}

Result<std::vector<v1::Operation>> SyncWorld::loggedOperations()
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

} // namespace sigess::test
