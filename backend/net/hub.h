// The hub knows every open sync connection, so that work can reach all of them: a frame
// sent to everyone, or a piece of work each session runs on its own strand (the sync
// engine's Notify fan-out: each session decides whether a change is in its scope).
// Thread safety: all members may be called from any thread; nothing is sent while the
// hub's lock is held.
#pragma once

#include "net/handler.h"
#include "net/weak_registry.h"

#include <cstddef>
#include <functional>
#include <memory>

namespace sigess::net {

class Hub {
public:
    void join(const SyncChannel *key, std::weak_ptr<SyncChannel> channel);
    void leave(const SyncChannel *key);

    std::size_t size() const { return m_channels.size(); }
    void broadcast(const v1::Envelope &frame) const;
    void forEachSession(const std::function<void(SyncSession &)> &work) const;

private:
    WeakRegistry<SyncChannel> m_channels;
};

} // namespace sigess::net
