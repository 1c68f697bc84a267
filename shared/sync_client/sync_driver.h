// Keeps a device's Replica in step with the backend through a SyncClient: the one sync
// loop of the kiosk and the tablet.
//
// On each connection it makes the unacknowledged operations pending again, pushes the
// outbox in batches of at most Welcome.max_batch with at most Welcome.max_in_flight
// batches unanswered, settles each Ack in the replica, and pulls until the server says
// there is no more, applying each Changes with its cursor in one transaction. The next
// Pull leaves from the client's I/O thread as soon as a frame that has more arrives,
// before that frame or the one before it is applied: the server prepares frame n+2
// while frame n+1 waits and the device applies frame n (a first download takes about
// the longer of the two halves rather than their sum, and the server's pauses are
// absorbed by the frame that waits). The device holds at most three frames of a pull
// (asked for or unapplied), so memory stays bounded, and the stored cursor moves only
// with an applied frame: a connection lost between two frames resumes after the last
// applied one, and the frames that follow one that failed to apply are dropped. After
// a pull of several frames the driver copies the WAL into the main file
// (Replica::checkpoint), which the frames' commits leave alone up to
// Replica::walCheckpointPages. A Notify,
// a new local change (syncNow()) or a new connection starts another round; a Wipe goes
// to the wiped handler. Every touch of the replica's store happens through `post`, on
// the thread that owns the store; a frame's operations are decoded (which needs no
// store) on the client's I/O thread as the frame arrives, so the store thread only
// merges and writes them.
//
// Thread safety: construct, start(), syncNow() and destroy on the store thread (the one
// `post` runs work on); status() from any thread. The handlers run on the store thread.
// The client, replica and clock must outlive the driver; destroy the driver before the
// client stops so that late answers find nobody (they are dropped).
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "sigess/v1/sync.pb.h"
#include "sync/replica.h"
#include "sync_client/sync_client.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

namespace sigess::sync {

// What the UI shows about sync.
struct SyncStatus {
    bool online = false;                  // welcomed by the backend
    // When a round last completed: a pull found nothing more to fetch, and the outbox was
    // empty with no Push unanswered. Never before a pull of the round has run.
    std::optional<std::uint64_t> lastSyncMs;
    std::size_t outbox = 0;               // operations not yet acknowledged
    std::optional<Error> lastError;       // cleared by the next complete round
};

struct SyncDriverHandlers {
    std::function<void(const SyncStatus &)> statusChanged;
    // After an Ack was settled in the replica (the kiosk purges what it accepted).
    std::function<void(const v1::Ack &)> acknowledged;
    // After a Changes frame was applied.
    std::function<void(const v1::Changes &)> applied;
    // The device was revoked: erase its store.
    std::function<void(const v1::Wipe &)> wiped;
    std::function<void(const v1::CatalogUpdate &)> catalogUpdate;
};

class SyncDriver {
public:
    using Post = std::function<void(std::function<void()>)>;

    struct Options {
        // Operations asked for per Pull; the server caps it (by count and by bytes).
        // One transaction per frame, so a first download of a caseload takes few.
        std::uint32_t pullLimit = 2000;
    };

    SyncDriver(SyncClient &client, Replica &replica, Post post, const core::Clock &clock,
               SyncDriverHandlers handlers, Options options);
    ~SyncDriver();
    SyncDriver(const SyncDriver &) = delete;
    SyncDriver &operator=(const SyncDriver &) = delete;

    // Takes over the client's events (call before the client starts) and publishes the
    // first status.
    void start();
    // Pushes what the outbox holds and pulls, when connected; otherwise it waits for the
    // connection.
    void syncNow();

    SyncStatus status() const;

private:
    class Core;
    std::shared_ptr<Core> m_core;
};

} // namespace sigess::sync
