#include "sync_client/sync_driver.h"

#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace sigess::sync {

namespace {

// What a Welcome that leaves its limits unset is taken to allow.
constexpr std::uint32_t fallbackMaxBatch = 100;

// Frames of a pull the device holds at most: asked for and unanswered, or arrived and
// not yet applied. Three let the server prepare frame n+2 while frame n+1 waits and
// frame n is applied.
constexpr unsigned framesHeld = 3;

// The frames of the pull under way, shared by the store thread and the client's I/O
// thread: a frame that has more asks for the next one as it arrives on the I/O thread,
// without waiting for the store thread to finish the frames before it, as long as the
// device holds fewer than framesHeld frames; otherwise its next cursor waits here until
// the store thread has applied a frame. A pull's chain number tells its frames from
// those of a pull given up (after a failure or on another connection).
class PullWindow {
public:
    using Ask = std::function<void(const std::string &cursor)>;

    // On the store thread: a new chain (never 0), with its first frame asked for.
    void begin(std::uint64_t chain)
    {
        const std::lock_guard lock(m_mutex);
        m_chain = chain;
        m_held = 1;
        m_parked.reset();
    }

    // On the store thread: frames of the chain still to come are dropped and ask for none.
    void end()
    {
        const std::lock_guard lock(m_mutex);
        m_chain = noChain;
        m_held = 0;
        m_parked.reset();
    }

    // On the I/O thread, as a frame of `chain` arrives: asks for the one after it when the
    // frame has more and the device holds fewer than framesHeld frames, else parks its
    // cursor.
    void arrived(std::uint64_t chain, const std::optional<std::string> &next, const Ask &ask)
    {
        std::unique_lock lock(m_mutex);
        if (chain != m_chain || !next)
            return;
        if (m_held >= framesHeld) {
            m_parked = *next;
            return;
        }
        ++m_held;
        lock.unlock();
        ask(*next);
    }

    // On the store thread, once a frame of `chain` is applied: asks for the parked frame.
    void applied(std::uint64_t chain, const Ask &ask)
    {
        std::unique_lock lock(m_mutex);
        if (chain != m_chain)
            return;
        --m_held;
        if (!m_parked)
            return;
        const std::string cursor = std::move(*m_parked);
        m_parked.reset();
        ++m_held;
        lock.unlock();
        ask(cursor);
    }

private:
    static constexpr std::uint64_t noChain = 0;  // pulls count their chains from 1

    std::mutex m_mutex;
    std::uint64_t m_chain = noChain;
    unsigned m_held = 0;
    std::optional<std::string> m_parked;
};

} // namespace

// The driver's state, on the store thread. Answers and events reach it through `post`
// holding only a weak reference, so those that arrive after the driver is gone are dropped.
class SyncDriver::Core : public std::enable_shared_from_this<Core> {
public:
    Core(SyncClient &client, Replica &replica, Post post, const core::Clock &clock, SyncDriverHandlers handlers,
         Options options)
        : m_client(client)
        , m_replica(replica)
        , m_post(std::move(post))
        , m_clock(clock)
        , m_handlers(std::move(handlers))
        , m_options(options)
        , m_window(std::make_shared<PullWindow>())
    {
    }

    void start()
    {
        SyncEvents events;
        events.connected = [defer = deferrer()](const v1::Welcome &welcome) {
            defer([welcome](Core &core) { core.onConnected(welcome); });
        };
        events.disconnected = [defer = deferrer()](const Error &error) {
            defer([error](Core &core) { core.onDisconnected(error); });
        };
        events.notify = [defer = deferrer()](const v1::Notify &) { defer([](Core &core) { core.startPull(); }); };
        events.wipe = [defer = deferrer()](const v1::Wipe &wipe) {
            defer([wipe](Core &core) {
                if (core.m_handlers.wiped)
                    core.m_handlers.wiped(wipe);
            });
        };
        events.catalogUpdate = [defer = deferrer()](const v1::CatalogUpdate &update) {
            defer([update](Core &core) {
                if (core.m_handlers.catalogUpdate)
                    core.m_handlers.catalogUpdate(update);
            });
        };
        events.rejected = [defer = deferrer()](const v1::Reject &reject) {
            defer([reject](Core &core) {
                core.fail(makeError(ErrorCode::Invalid, "the sync server refused a frame (" + reject.code()
                                                            + "): " + reject.reason()));
            });
        };
        m_client.setEvents(std::move(events));
        if (Result<std::string> cursor = m_replica.cursor(); cursor.ok())
            m_client.setCursor(*cursor);
        publish();
    }

    void stopEvents()
    {
        m_client.setEvents({});
        m_window->end();
    }

    void syncNow()
    {
        if (!m_online)
            return;
        // The pull first: a round counts as synced only once a pull started after it
        // has found nothing more, so the outbox running dry must not settle it early.
        startPull();
        fillWindow();
    }

    SyncStatus status() const
    {
        const std::lock_guard lock(m_statusMutex);
        return m_status;
    }

private:
    // Runs `work` on the store thread if the driver still exists then. Called from the
    // client's I/O thread.
    // Holds the core weakly: the I/O thread may still be inside an event when the driver
    // goes away.
    struct Deferrer {
        std::weak_ptr<Core> core;
        Post post;

        template <typename Work>
        void operator()(Work work) const
        {
            post([weak = core, work = std::move(work)]() mutable {
                if (const std::shared_ptr<Core> alive = weak.lock())
                    work(*alive);
            });
        }
    };

    Deferrer deferrer() { return Deferrer{weak_from_this(), m_post}; }

    void onConnected(const v1::Welcome &welcome)
    {
        ++m_connection;
        m_online = true;
        m_maxBatch = welcome.max_batch() != 0 ? welcome.max_batch() : fallbackMaxBatch;
        m_maxInFlight = std::max<std::uint32_t>(1, welcome.max_in_flight());
        m_inFlight = 0;
        m_pulling = false;
        m_pullAgain = false;
        m_pulledAll = false;
        m_pushFailed = false;  // answers of the last connection that never came are resent below
        m_failed = false;
        // Operations sent on the last connection may never have reached the server; the
        // server ignores those it already applied.
        if (Status resent = m_replica.resendUnacknowledged(); !resent.ok())
            return fail(resent.error());
        syncNow();
        publish();
    }

    void onDisconnected(const Error &error)
    {
        ++m_connection;
        m_online = false;
        m_inFlight = 0;
        m_pulling = false;
        m_window->end();
        m_pulledAll = false;
        recordError(error);
        publish();
    }

    void fillWindow()
    {
        while (m_online && !m_pushFailed && m_inFlight < m_maxInFlight) {
            Result<std::vector<v1::Operation>> batch = m_replica.pendingBatch(m_maxBatch);
            if (!batch.ok())
                return fail(batch.error());
            if (batch->empty())
                break;
            v1::Push push;
            push.set_batch_id(++m_batchId);
            for (v1::Operation &operation : *batch)
                *push.add_ops() = std::move(operation);
            ++m_inFlight;
            m_client.push(std::move(push), [defer = deferrer(), connection = m_connection](Result<v1::Ack> ack) {
                defer([connection, ack = std::move(ack)](Core &core) mutable { core.onAck(connection, std::move(ack)); });
            });
        }
        settleIfIdle();
    }

    void onAck(std::uint64_t connection, Result<v1::Ack> ack)
    {
        if (connection != m_connection)
            return;
        --m_inFlight;
        if (!ack.ok()) {
            // The batch stays marked as sent; once nothing is in flight it is queued again
            // for the next round rather than retried at once against a server that refused it.
            m_pushFailed = true;
            recordError(ack.error());
        } else if (Status settled = m_replica.acknowledge(*ack); !settled.ok()) {
            recordError(settled.error());
        } else if (m_handlers.acknowledged) {
            m_handlers.acknowledged(*ack);
        }
        if (m_pushFailed && m_inFlight == 0) {
            m_pushFailed = false;
            if (Status resent = m_replica.resendUnacknowledged(); !resent.ok())
                recordError(resent.error());
            publish();
            return;
        }
        fillWindow();
        publish();
    }

    void startPull()
    {
        if (!m_online)
            return;
        if (m_pulling) {
            m_pullAgain = true;
            return;
        }
        m_pulledAll = false;
        Result<std::string> cursor = m_replica.cursor();
        if (!cursor.ok())
            return fail(cursor.error());
        m_pulling = true;
        m_framesApplied = 0;
        m_window->begin(++m_pullChain);
        requestChanges(*cursor);
    }

    // A Changes frame with its operations decoded on the client's I/O thread, which
    // otherwise waits on the network: the store thread only merges and writes.
    struct PulledFrame {
        v1::Changes changes;
        Result<std::vector<DecodedOperation>> operations;

        // On the I/O thread.
        static Result<PulledFrame> decode(Result<v1::Changes> changes, const OperationLimits &limits)
        {
            if (!changes.ok())
                return changes.takeError();
            Result<std::vector<DecodedOperation>> operations = Replica::decodeChanges(*changes, limits);
            return PulledFrame { std::move(changes).value(), std::move(operations) };
        }
    };

    // What asks for a frame of the pull under way, from either thread: it holds nothing
    // of the core but what a Pull's answer needs, so the I/O thread may call it.
    struct Requester {
        SyncClient *client;
        Deferrer defer;
        std::shared_ptr<PullWindow> window;
        std::uint64_t connection;
        std::uint64_t chain;
        std::uint32_t limit;
        OperationLimits limits;

        void operator()(const std::string &from) const
        {
            v1::Pull pull;
            pull.set_cursor(from);
            pull.set_limit(limit);
            client->pull(std::move(pull), [requester = *this, from](Result<v1::Changes> changes) {
                // Shared, since a posted task must be copyable and decoded patches are not.
                auto frame = std::make_shared<Result<PulledFrame>>(
                    PulledFrame::decode(std::move(changes), requester.limits));
                // The next frame is asked for as this one arrives, before the store
                // thread has applied it or the ones before it; a frame that does not
                // decode asks for none.
                std::optional<std::string> next;
                if (frame->ok() && (*frame)->changes.more() && (*frame)->operations.ok())
                    next = (*frame)->changes.next_cursor();
                requester.window->arrived(requester.chain, next, requester);
                requester.defer([connection = requester.connection, chain = requester.chain, from, frame](
                                    Core &core) { core.onChanges(connection, chain, from, *frame); });
            });
        }
    };

    Requester requester()
    {
        return Requester { &m_client, deferrer(), m_window, m_connection, m_pullChain, m_options.pullLimit,
            m_replica.operationLimits() };
    }

    void requestChanges(const std::string &from) { requester()(from); }

    void onChanges(
        std::uint64_t connection, std::uint64_t chain, const std::string &from, Result<PulledFrame> &frame)
    {
        if (connection != m_connection || chain != m_pullChain)
            return;
        if (!frame.ok()) {
            endPull();
            return fail(frame.error());
        }
        const v1::Changes *changes = &frame->changes;
        // Answers reach this thread in order, so the frames asked for ahead (on the I/O
        // thread, as this one arrived) are applied after it.
        const Status applied = frame->operations.ok()
            ? m_replica.applyChanges(*changes, *frame->operations, from)
            : Status(frame->operations.error());
        if (!applied.ok()) {
            // The frames asked for ahead continue one that is not stored: they are dropped
            // when they come, and the next round pulls again from the stored cursor.
            endPull();
            return fail(applied.error());
        }
        if (Result<std::string> cursor = m_replica.cursor(); cursor.ok())
            m_client.setCursor(*cursor);
        ++m_framesApplied;
        if (m_handlers.applied)
            m_handlers.applied(*changes);
        m_window->applied(chain, requester());
        if (!changes->more()) {
            m_pulling = false;
            // The replica's commits left the WAL's copy into the main file to the end of
            // a download (Replica::checkpoint): a task of its own, after this frame is shown.
            if (m_framesApplied > 1)
                deferrer()([](Core &core) { core.checkpoint(); });
            if (std::exchange(m_pullAgain, false)) {
                startPull();
            } else {
                m_pulledAll = true;
                settleIfIdle();
            }
        }
        publish();
    }

    // Gives up the pull under way: the frames still to come of it are stale.
    void endPull()
    {
        ++m_pullChain;
        m_window->end();
        m_pulling = false;
    }

    void checkpoint()
    {
        if (Status copied = m_replica.checkpoint(); !copied.ok())
            fail(copied.error());
    }

    // A round is complete when nothing is in flight, nothing waits in the outbox and a
    // pull of this round found no more: that is the moment the UI calls "synced".
    void settleIfIdle()
    {
        if (!m_online || m_inFlight != 0 || m_pulling || !m_pulledAll)
            return;
        Result<std::size_t> outbox = m_replica.outboxSize();
        if (!outbox.ok() || *outbox != 0)
            return;
        if (m_failed) {
            m_failed = false;
            return;
        }
        const std::lock_guard lock(m_statusMutex);
        m_status.lastSyncMs = m_clock.nowMs();
        m_status.lastError.reset();
    }

    void fail(const Error &error)
    {
        recordError(error);
        publish();
    }

    void recordError(const Error &error)
    {
        m_failed = true;
        const std::lock_guard lock(m_statusMutex);
        m_status.lastError = error;
    }

    void publish()
    {
        SyncStatus snapshot;
        {
            const std::lock_guard lock(m_statusMutex);
            m_status.online = m_online;
            if (Result<std::size_t> outbox = m_replica.outboxSize(); outbox.ok())
                m_status.outbox = *outbox;
            snapshot = m_status;
        }
        if (m_handlers.statusChanged)
            m_handlers.statusChanged(snapshot);
    }

    SyncClient &m_client;
    Replica &m_replica;
    Post m_post;
    const core::Clock &m_clock;
    SyncDriverHandlers m_handlers;
    Options m_options;

    std::uint64_t m_connection = 0;  // bumped on every connect and disconnect: older answers are stale
    bool m_online = false;
    std::uint32_t m_maxBatch = fallbackMaxBatch;
    std::uint32_t m_maxInFlight = 1;
    std::uint32_t m_inFlight = 0;
    std::uint64_t m_batchId = 0;
    bool m_pushFailed = false;
    bool m_pulling = false;  // from a Pull until a frame that says there is no more
    std::uint32_t m_framesApplied = 0; // by the pull under way
    bool m_pullAgain = false;
    bool m_pulledAll = false;  // the last pull ended with a frame that had no more, and none began since
    std::uint64_t m_pullChain = 0;  // bumped as a pull begins or is given up: older frames are stale
    std::shared_ptr<PullWindow> m_window;
    bool m_failed = false;  // since the last complete round

    mutable std::mutex m_statusMutex;
    SyncStatus m_status;
};

SyncDriver::SyncDriver(SyncClient &client, Replica &replica, Post post, const core::Clock &clock,
                       SyncDriverHandlers handlers, Options options)
    : m_core(std::make_shared<Core>(client, replica, std::move(post), clock, std::move(handlers), options))
{
}

SyncDriver::~SyncDriver()
{
    m_core->stopEvents();
}

void SyncDriver::start()
{
    m_core->start();
}

void SyncDriver::syncNow()
{
    m_core->syncNow();
}

SyncStatus SyncDriver::status() const
{
    return m_core->status();
}

} // namespace sigess::sync
