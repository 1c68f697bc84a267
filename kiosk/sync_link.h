// The kiosk's seam to the backend's sync endpoint (Hello/Push/Ack/Pull/Changes over
// WebSocket, DESIGN.md "Sync"). The kiosk pushes its outbox and pulls its presidio's
// ticket queue through this interface only, so the WebSocket client plugs in here and
// tests drive the kiosk with an in-process server built from shared/sync's rules.
// A kiosk with no link works offline: tickets are issued and intakes wait in the outbox.
//
// Thread safety: push() and pull() are called from the kiosk's store thread; an
// implementation may run `done` and the events on any thread, and the kiosk hops back
// to its store thread before touching the store.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"

#include <functional>

namespace sigess::kiosk {

class SyncLink {
public:
    using AckHandler = std::function<void(Result<v1::Ack>)>;
    using ChangesHandler = std::function<void(Result<v1::Changes>)>;

    struct Events {
        std::function<void()> connected;        // a new session: resend what was unacknowledged
        std::function<void()> changesAvailable; // the server's Notify
    };

    virtual ~SyncLink() = default;

    virtual void setEvents(Events events) = 0;
    // `done` runs exactly once: with the server's Ack, or Unavailable when the link is down.
    virtual void push(v1::Push batch, AckHandler done) = 0;
    virtual void pull(v1::Pull request, ChangesHandler done) = 0;
};

} // namespace sigess::kiosk
