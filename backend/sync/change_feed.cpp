#include "sync/change_feed.h"

#include <utility>

namespace sigess::syncserver {

ChangeScope rightsChanged(v1::EntityType type, std::string id)
{
    return ChangeScope{type, std::move(id), {}, {}};
}

bool isRightsChange(const ChangeScope &change)
{
    return change.type == v1::ENTITY_TYPE_OPERATOR || change.type == v1::ENTITY_TYPE_DEVICE;
}

ChangeScope logReplaced()
{
    return ChangeScope{};
}

bool isLogReplaced(const ChangeScope &change)
{
    return change.type == v1::ENTITY_TYPE_UNSPECIFIED;
}

void LocalChangeFeed::publish(const std::vector<ChangeScope> &changes, std::int64_t latest, const void *origin)
{
    if (changes.empty())
        return;
    // Listeners are called outside the lock, so one may publish or subscribe in turn.
    std::vector<Listener> listeners;
    {
        const std::lock_guard lock(m_mutex);
        listeners = m_listeners;
    }
    for (const Listener &listener : listeners)
        listener(changes, latest, origin);
}

void LocalChangeFeed::subscribe(Listener listener)
{
    const std::lock_guard lock(m_mutex);
    m_listeners.push_back(std::move(listener));
}

} // namespace sigess::syncserver
