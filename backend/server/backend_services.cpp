#include "server/backend_services.h"

#include "config/storage_config.h"
#include "storage/presidio_repository.h"
#include "storage/storage.h"
#include "sync/polling_change_feed.h"
#include "sync/postgres_change_feed.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace sigess::server {

namespace {

// Each worker thread runs at most one request, and a request holds at most one
// connection at a time (sql.h), so the pool needs no more connections than threads.
std::size_t poolSize(const config::BackendConfig &config)
{
    const unsigned threads = config.server.threads != 0 ? config.server.threads : std::thread::hardware_concurrency();
    return std::max<std::size_t>(threads, 2);
}

api::ApiOptions apiOptions(std::string cursorKey)
{
    api::ApiOptions options;
    options.cursorKey = std::move(cursorKey);
    return options;
}

syncserver::SyncOptions syncOptions(const core::Catalog &catalog, const net::Logger &logger)
{
    syncserver::SyncOptions options;
    options.catalog = &catalog.release();
    options.deviceReset = [&logger](const std::string &deviceId) {
        logger.log(net::LogLevel::Info, "sync_device_reset", {{"device", deviceId}});
    };
    return options;
}

Error withContext(const std::string &what, const Error &error)
{
    return makeError(error.code, what + ": " + error.message);
}

// Scopes are resolved in SQL against the presidi table, so it must hold every presidio
// of the release being served. A presidio already there keeps its id and creation
// stamp (a seeded city's, or one copied by an earlier start); only a changed name or
// municipio is written, so a restart rewrites nothing.
Status copyPresidi(storage::SqlDatabase &database, const core::Catalog &catalog, core::HybridLogicalClock &hlc,
                   core::UuidV7Generator &ids)
{
    return database.transaction([&](storage::SqlExecutor &sql) -> Status {
        storage::PresidioRepository presidi(sql);
        for (const v1::PresidioInfo &info : catalog.release().presidi()) {
            Result<v1::Presidio> stored = presidi.byCode(info.code());
            if (!stored.ok() && stored.error().code != ErrorCode::NotFound)
                return stored.takeError();
            v1::Presidio presidio;
            if (stored.ok()) {
                if (stored->name() == info.name() && stored->municipio() == info.municipio())
                    continue;
                presidio = std::move(stored).value();
                *presidio.mutable_meta()->mutable_updated() = hlc.now().toProto();
            } else {
                v1::EntityMeta &meta = *presidio.mutable_meta();
                meta.set_id(ids.next().toString());
                *meta.mutable_created() = hlc.now().toProto();
                *meta.mutable_updated() = meta.created();
                meta.set_presidio(info.code());
                presidio.set_code(info.code());
            }
            presidio.set_name(info.name());
            presidio.set_municipio(info.municipio());
            SIGESS_TRY(presidi.upsert(presidio));
        }
        return {};
    });
}

} // namespace

Result<std::unique_ptr<syncserver::ChangeFeed>> openChangeFeed(const storage::StorageConfig &store,
                                                               storage::SqlDatabase &database,
                                                               syncserver::PollingFeedOptions polling)
{
    if (const auto *postgres = std::get_if<storage::PostgresStoreConfig>(&store)) {
        Result<std::unique_ptr<syncserver::PostgresChangeFeed>> feed
            = syncserver::PostgresChangeFeed::open(database, syncserver::PostgresFeedOptions{postgres->connectionString});
        if (!feed.ok())
            return feed.takeError();
        return std::unique_ptr<syncserver::ChangeFeed>(std::move(feed).value());
    }
    Result<std::unique_ptr<syncserver::PollingChangeFeed>> feed = syncserver::PollingChangeFeed::open(database, polling);
    if (!feed.ok())
        return feed.takeError();
    return std::unique_ptr<syncserver::ChangeFeed>(std::move(feed).value());
}

Result<std::string> loadCursorKey(const std::filesystem::path &file)
{
    if (file.empty())
        return makeError(ErrorCode::Invalid, "api.cursor_key_file is not set: the API signs its pagination cursors "
                                             "with the secret in that file (make one with: umask 077; openssl rand "
                                             "-hex 32 > FILE)");
    std::ifstream stream(file, std::ios::binary);
    if (!stream)
        return makeError(ErrorCode::Unavailable, "cannot read the cursor key file " + file.string());
    std::stringstream text;
    text << stream.rdbuf();
    std::string key = text.str();
    key.erase(key.find_last_not_of(" \t\r\n") + 1);
    if (key.size() < minimumCursorKeyBytes)
        return makeError(ErrorCode::Invalid, "the cursor key file " + file.string() + " holds "
                                                 + std::to_string(key.size()) + " bytes; it needs at least "
                                                 + std::to_string(minimumCursorKeyBytes));
    return key;
}

Result<std::unique_ptr<BackendServices>> BackendServices::open(const config::BackendConfig &config,
                                                               const core::Clock &clock, const net::Logger &logger)
{
    Result<std::string> cursorKey = loadCursorKey(config.cursorKeyFile);
    if (!cursorKey.ok())
        return cursorKey.takeError();
    Result<core::Catalog> catalog = core::Catalog::fromFile(config.catalogRelease);
    if (!catalog.ok())
        return withContext("catalog release " + config.catalogRelease, catalog.error());
    const storage::StorageConfig store = config::storageConfigOf(config.storage, poolSize(config));
    Result<std::unique_ptr<storage::SqlDatabase>> database = storage::openStorage(store);
    if (!database.ok())
        return withContext("store", database.error());
    syncserver::PollingFeedOptions polling;
    if (config.storage.pollInterval)
        polling.interval = *config.storage.pollInterval;
    Result<std::unique_ptr<syncserver::ChangeFeed>> feed = openChangeFeed(store, **database, polling);
    if (!feed.ok())
        return withContext("change feed", feed.error());
    auto services = std::unique_ptr<BackendServices>(
        new BackendServices(clock, std::move(catalog).value(), std::move(database).value(), std::move(feed).value(),
                            std::move(cursorKey).value(), logger));
    if (Status copied = copyPresidi(*services->m_database, services->m_catalog, services->m_hlc, services->m_ids);
        !copied.ok())
        return withContext("cannot copy the catalog's presidi into the store", copied.error());
    return services;
}

BackendServices::BackendServices(const core::Clock &clock, core::Catalog catalog,
                                 std::unique_ptr<storage::SqlDatabase> database,
                                 std::unique_ptr<syncserver::ChangeFeed> feed, std::string cursorKey,
                                 const net::Logger &logger)
    : m_catalog(std::move(catalog))
    , m_database(std::move(database))
    , m_hlc(clock)
    , m_ids(clock)
    , m_identity(*m_database, clock, m_hlc, m_ids, identity::IdentityOptions {})
    , m_feed(std::move(feed))
    , m_api(api::ApiServices {*m_database, m_identity, m_catalog, clock, m_hlc, m_ids, *m_feed},
            apiOptions(std::move(cursorKey)))
    , m_sync(*m_database, m_identity, m_hlc, *m_feed, sync::ServerRules(sync::standardCaseTransitions()),
             syncOptions(m_catalog, logger))
{
}

BackendServices::~BackendServices() = default;

Services BackendServices::services()
{
    Services services;
    services.api = [this](const net::Request &request, const net::PeerInfo &peer) {
        return m_api.handle(request, peer);
    };
    services.sync = m_sync.sessionFactory();
    services.health = [this] { return checkHealth(); };
    services.metrics = [this](net::MetricsRegistry &registry) { m_sync.registerMetrics(registry); };
    return services;
}

Status BackendServices::checkHealth() const
{
    Status answered = m_database->query("SELECT 1", {}, [](const storage::SqlRow &) -> Status { return {}; });
    // /healthz answers anyone: the store's own words (host names, ports) stay inside.
    if (!answered.ok())
        return makeError(ErrorCode::Unavailable, "the store does not answer");
    return {};
}

} // namespace sigess::server
