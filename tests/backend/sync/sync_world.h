// Test fixture without Qt: a whole sync server side (an embedded encrypted store in a
// directory of the caller's, identity, the SyncService and an in-process change feed)
// with the devices a test needs enrolled on it. The fuzz target, the kill -9 rounds
// and the bad-network test all start from it, so each builds the same server the same
// way. Two presidi exist: ourPresidio (municipio M01) and otherPresidio (M02).
// Thread safety: build and enroll from one thread; the service it holds is then safe
// from any thread (sync/sync_service.h).
#pragma once

#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "storage/sql.h"
#include "sync/change_feed.h"
#include "sync/sync_service.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sigess::test {

inline constexpr char ourPresidio[] = "P-M01-01";
inline constexpr char otherPresidio[] = "P-M02-01";

// What a device needs to say Hello.
struct DeviceCredentials {
    std::string id;
    std::string credential;
    std::string session;  // tablets: the signed-in operator's session token
};

class SyncWorld {
public:
    // The store lives in `directory` (created beforehand, removed by the caller).
    static Result<std::unique_ptr<SyncWorld>> open(const std::string &directory, syncserver::SyncOptions options = {},
                                                   std::uint64_t startMs = 1'760'000'000'000);
    ~SyncWorld();
    SyncWorld(const SyncWorld &) = delete;
    SyncWorld &operator=(const SyncWorld &) = delete;

    Result<DeviceCredentials> enrollKiosk(const std::string &presidio);
    // A tablet with an operator of `role` created under `username` and signed in on it.
    Result<DeviceCredentials> enrollTablet(const std::string &username, v1::Role role, const std::string &presidio);

    // Every entity of a type the server holds, by id, as its stored message bytes.
    Result<std::map<std::string, std::string>> entities(v1::EntityType type);
    // The server's log, oldest first.
    Result<std::vector<v1::Operation>> loggedOperations();

    storage::SqlDatabase &database() { return *m_database; }
    identity::IdentityService &identity() { return *m_identity; }
    syncserver::SyncService &service() { return *m_service; }
    syncserver::ChangeFeed &feed() { return m_feed; }
    core::ManualClock &clock() { return m_clock; }
    core::HybridLogicalClock &hlc() { return m_hlc; }

private:
    explicit SyncWorld(std::uint64_t startMs);

    core::ManualClock m_clock;
    core::HybridLogicalClock m_hlc;
    core::UuidV7Generator m_ids;
    syncserver::LocalChangeFeed m_feed;
    std::unique_ptr<storage::SqlDatabase> m_database;
    std::unique_ptr<identity::IdentityService> m_identity;
    std::unique_ptr<syncserver::SyncService> m_service;
    std::string m_adminId;
};

} // namespace sigess::test
