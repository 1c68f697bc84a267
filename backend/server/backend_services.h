// What sigess-backend serves, built from its config: the store (opened, schema brought up
// to date, the release's presidi copied in), identity, the catalog release, the JSON
// API, the sync service behind the sync WebSocket, and a health check that asks the
// store. services() hands them to the network server (server/backend.h). Changes are
// announced on a change feed: through PostgreSQL's LISTEN/NOTIFY to every instance
// sharing a PostgreSQL store; on the embedded store in the process, with a look at the
// store every 250 ms for what other processes (sigessctl) changed.
//
// The cursor key file holds the secret that signs the API's pagination cursors: at least
// 32 bytes (trailing whitespace ignored, so `openssl rand -hex 32 > FILE` makes one).
//
// Thread safety: open() from one thread; the handlers services() returns may be called
// from any number of threads at once, and the BackendServices must outlive the server
// that calls them.
#pragma once

#include "api/api.h"
#include "config/config.h"
#include "core/catalog.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "net/log.h"
#include "server/backend.h"
#include "storage/sql.h"
#include "storage/storage.h"
#include "sync/change_feed.h"
#include "sync/polling_change_feed.h"
#include "sync/sync_service.h"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace sigess::server {

inline constexpr std::size_t minimumCursorKeyBytes = 32;

// Invalid (naming the file) when it holds fewer than minimumCursorKeyBytes.
Result<std::string> loadCursorKey(const std::filesystem::path &file);

// The feed the backend serves on over `store` (opened as `database`), and sigessctl's
// counterpart reaches: PostgreSQL's LISTEN/NOTIFY, or the embedded store's polling feed.
Result<std::unique_ptr<syncserver::ChangeFeed>> openChangeFeed(const storage::StorageConfig &store,
                                                               storage::SqlDatabase &database,
                                                               syncserver::PollingFeedOptions polling = {});

class BackendServices {
public:
    // Errors name what failed: the cursor key, the catalog release or the store. The
    // logger must outlive the services.
    static Result<std::unique_ptr<BackendServices>> open(const config::BackendConfig &config,
                                                         const core::Clock &clock, const net::Logger &logger);
    ~BackendServices();
    BackendServices(const BackendServices &) = delete;
    BackendServices &operator=(const BackendServices &) = delete;

    Services services();
    // The store answers a trivial query: Unavailable otherwise.
    Status checkHealth() const;

    storage::SqlDatabase &database() { return *m_database; }

private:
    BackendServices(const core::Clock &clock, core::Catalog catalog, std::unique_ptr<storage::SqlDatabase> database,
                    std::unique_ptr<syncserver::ChangeFeed> feed, std::string cursorKey, const net::Logger &logger);

    core::Catalog m_catalog;
    std::unique_ptr<storage::SqlDatabase> m_database;
    core::HybridLogicalClock m_hlc;
    core::UuidV7Generator m_ids;
    identity::IdentityService m_identity;
    std::unique_ptr<syncserver::ChangeFeed> m_feed;
    api::Api m_api;
    syncserver::SyncService m_sync;
};

} // namespace sigess::server
