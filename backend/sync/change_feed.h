// Committed changes to the sync log, announced to whoever may see them. Whoever commits
// a change to a replicated entity (a device's push, the API, a desk, the seed) publishes
// it here after the commit; the sync service subscribes and tells the connected devices
// in scope (Notify). An implementation may relay to other backend instances (PostgreSQL
// LISTEN/NOTIFY), whose subscribers then hear the change with a null origin.
//
// Thread safety: publish and subscribe may be called from any thread. Listeners run on
// the publishing thread (or the relay's own thread) and must not block for long.
// A listener stays subscribed for the feed's lifetime, so whatever it captures must
// either outlive the feed or be held weakly.
#pragma once

#include "sigess/v1/sync.pb.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace sigess::syncserver {

// Where a committed change lies, to decide who is told about it.
struct ChangeScope {
    v1::EntityType type = v1::ENTITY_TYPE_UNSPECIFIED;
    std::string entityId;
    std::string presidio;
    std::string assigned;
};

// A change of what an operator or a device may do (disabled, revoked, signed out, a new
// role or presidio) travels on the feed too, so that it reaches every instance: a
// ChangeScope of type OPERATOR or DEVICE naming it, published with latest 0. The sync
// service then checks that operator's or device's open connections again.
ChangeScope rightsChanged(v1::EntityType type, std::string id);
bool isRightsChange(const ChangeScope &change);

// A restore of the store from a backup travels on the feed too (sigessctl restore on
// PostgreSQL, which instances may be serving meanwhile): a ChangeScope of no type,
// published with latest 0. The log then has another history (a new epoch, a head that
// may lie below what was published before): a feed takes its position in the log from
// the store again, and the sync service forgets what it holds of the store and tells
// every connected device, whose next Pull gets a reset.
ChangeScope logReplaced();
bool isLogReplaced(const ChangeScope &change);

class ChangeFeed {
public:
    using Listener
        = std::function<void(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin)>;
    virtual ~ChangeFeed() = default;
    // Call AFTER the commit. origin: the session that pushed (it is not notified of its
    // own change), nullptr for a change made by the server itself (API, desk, seed).
    // latest: the log sequence of the newest change published.
    virtual void publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin) = 0;
    virtual void subscribe(Listener listener) = 0;
};

// Within one process: publish calls every listener at once, on the publishing thread.
class LocalChangeFeed : public ChangeFeed {
public:
    void publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin) override;
    void subscribe(Listener listener) override;

private:
    std::mutex m_mutex;
    std::vector<Listener> m_listeners;
};

} // namespace sigess::syncserver
