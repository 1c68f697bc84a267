// The server side of sync: what a device's WebSocket connection may do and what it
// receives. A connection starts with Hello (device credential, plus an operator session
// for a tablet) and gets Welcome with its scope, a fatal Reject, or Wipe for a revoked
// device. Then:
//  - Push: each operation passes the ServerRules and the principal's write rights (a
//    kiosk only creates intakes within the allow-list, and tickets, in its own
//    presidio), is merged into the stored entity and logged; the whole Push is stored
//    in one savepoint (entities, log rows, API table rows and audit events written in
//    multi-row statements) of a transaction that also stores the other Pushes waiting
//    then (group_commit.h), and answered in one Ack (accepted ids, and each rejection
//    with its code and reason) once that transaction committed. An op id already logged
//    is acknowledged again, never re-applied. A connection's frames after its Pushes
//    wait for their Acks. The Ack also carries the cursor of the start of the log
//    (`start_cursor`, EPOCH:0), which a device that has never pulled takes as its own,
//    so that a restore resets it too.
//  - Pull: the logged operations after the cursor that the principal may read, in
//    bounded batches with `more`; the cursor is a position in the server's log. When
//    the batch holds the operation that took a case out of the principal's scope (a
//    reassignment), the frame names that case and its case-file parts in `evicted`, and
//    the audit log records the eviction (case, former operator, device). The operation
//    that brings a case into the principal's scope comes after the case's and its case
//    file's earlier operations, so the new operator's device gets the whole record.
//  - after a commit the changes are published on the ChangeFeed; from its subscription
//    every connected device with a new change in its scope, except the one that pushed
//    it, gets a Notify carrying the new end of the log.
//  - a cursor names the log's epoch and a position in it. A Pull from a cursor of
//    another history (another epoch: the store was restored from a backup since; or a
//    plain position from before epochs that lies beyond the head) is answered with a
//    reset: the first frame of a full download, as for an empty cursor, with `reset`
//    set; a Pull from the start of the current epoch (EPOCH:0, an Ack's start cursor)
//    is served exactly as one from an empty cursor. A restore announced on the feed
//    (change_feed.h logReplaced) makes the service forget what it holds of the store,
//    authenticate every connection again and Notify every one left.
// Frames before Welcome get a Reject; nothing is written for them. A device whose Hello
// names an older catalog release than the server's gets CatalogUpdate right after Welcome.
//
// Scope on reads: a kiosk reads its presidio's tickets (numbers, never names); anyone
// else reads what policy::authorize allows without breaking the glass, with the target's
// municipio resolved from its presidio and a case-file part scoped by its case.
//
// Live rights: a rights change on the feed (change_feed.h: an operator disabled or signed
// out, a device revoked, a new role or presidio) makes the service authenticate that
// operator's or device's open connections again with the credentials of their Hello: a
// revoked device gets Wipe and is closed, a refused one (disabled operator, ended
// session) gets a fatal Reject and is closed, and the others go on with the new scope
// from their next frame.
//
// Thread safety: a SyncService is shared by every connection and may be called from any
// thread; the sessions it makes run on their connection's strand.
#pragma once

#include "core/hlc.h"
#include "core/uuid.h"
#include "identity/identity_service.h"
#include "net/handler.h"
#include "net/metrics.h"
#include "policy/policy.h"
#include "policy/principal.h"
#include "storage/sql.h"
#include "sync/change_feed.h"
#include "sync/group_commit.h"
#include "sync/server_rules.h"
#include "sync/server_writes.h"
#include "sync/sync_repository.h"
#include "sync/working_set.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <variant>
#include <vector>

namespace sigess::syncserver {

struct SyncOptions {
    std::uint32_t maxBatch = 500;      // operations in one Push
    // Pushes a device may send before an Ack: twice a group (groupOperations / maxBatch),
    // so that one device alone fills a group while its previous group is stored. What it
    // costs: a device may hold this many frames of up to 1 MiB each (net::Limits) and
    // their decoded operations on the server, 16 MiB and about as much again at most;
    // 500 typical operations are about 150 KiB a frame.
    std::uint32_t maxInFlight = 16;
    // Pushes waiting to be stored are stored together, in one transaction of up to this
    // many operations (group_commit.h); 0 stores each Push in a transaction of its own.
    std::size_t groupOperations = 4000;
    // Groups stored at once: 0 for one on the embedded store (one writer) and two on
    // PostgreSQL, where transactions on entities of their own run side by side.
    std::size_t concurrentGroups = 0;
    std::uint32_t maxPull = 2000;      // operations scanned for one Changes frame
    // A Changes frame also ends once its operations pass this many bytes, so that big
    // patches (up to 256 KiB each) never make a frame a device refuses (4 MiB by default).
    std::size_t maxPullBytes = 1024 * 1024;
    // The catalog release devices should carry (borrowed; null: no CatalogUpdate). Its
    // CatalogUpdate carries the release itself only when its encoding fits in
    // catalogInlineBytes, or else the device fetches it over HTTPS.
    const v1::CatalogRelease *catalog = nullptr;
    std::size_t catalogInlineBytes = 48 * 1024;
    // Told of each device answered with a reset (a Pull from a cursor of another history
    // of the log: the store was restored from a backup); the backend logs it.
    std::function<void(const std::string &deviceId)> deviceReset;
};

// What a connection proved in its Hello, kept to authenticate it again when rights change.
struct PeerCredentials {
    std::string deviceCredential;
    std::string operatorSession;
};

// A connection once welcomed: who it is and what it may see.
struct Peer {
    std::string deviceId;
    policy::Principal principal;
};

class SyncService {
public:
    // Everything borrowed must outlive the service and every session it made, except the
    // feed, which may outlive the service (its subscription then does nothing).
    SyncService(storage::SqlDatabase &database, identity::IdentityService &identity, core::HybridLogicalClock &hlc,
                ChangeFeed &feed, sync::ServerRules rules, SyncOptions options = {});
    ~SyncService();
    SyncService(const SyncService &) = delete;
    SyncService &operator=(const SyncService &) = delete;

    net::SyncSessionFactory sessionFactory();

    // The steps of the protocol, each answering one frame; sessions call them.
    struct HelloOutcome {
        v1::Envelope reply;
        std::optional<Peer> peer;  // set when welcomed
        std::optional<v1::Envelope> catalogUpdate;  // to send after the Welcome
    };
    HelloOutcome hello(const v1::Hello &hello);
    // Answers a Push: its Ack, or a Reject when the batch as a whole cannot be processed.
    using PushAnswer = std::function<void(v1::Envelope)>;
    // Runs a group commit leader (group_commit.h) where it may block for as long as the
    // queue of Pushes takes: a connection hands it to the server's pool (SyncLink::defer).
    using LeaderSite = std::function<void(std::function<void()>)>;
    // Stores the Push together with the others waiting (one transaction for a group of
    // up to SyncOptions::groupOperations operations) and calls `answered` once the
    // transaction that holds it committed or failed, from the thread that stored it (at
    // once when the Push is refused as a whole before that). Changes that were committed
    // are published on the feed with `sender` as their origin before the answer. Pushes
    // of one sender are stored in the order submitted.
    void submitPush(const Peer &peer, v1::Push push, const void *sender, PushAnswer answered, const LeaderSite &lead);
    // The same, waiting for the answer on this thread (and leading there if need be).
    v1::Envelope push(const Peer &peer, const v1::Push &push, const void *sender);
    // Answers a Pull with its frame encoded (sync/frame_codec.h) with `sequence`: Changes
    // written from the log's stored operation bytes, or a Reject.
    std::string pull(const Peer &peer, const v1::Pull &pull, std::uint64_t sequence);

    bool mayRead(const Peer &peer, const ChangeScope &change) const;

    // Welcomed connections, for Notify and live rights; the key is the session.
    void attach(const void *session, Peer peer, net::SyncLink link, PeerCredentials credentials = {});
    void detach(const void *session);
    // The connection's peer as it stands now (its rights may have changed since Hello);
    // nothing once it was detached or refused.
    std::optional<Peer> peerOf(const void *session);

    const SyncOptions &options() const { return m_options; }

    // Registers the service's own series on the server's registry (net/metrics.h):
    // sigess_sync_device_resets_total, the Pulls answered with a reset. Resets before the
    // call are not counted, so the backend makes it before its server starts.
    void registerMetrics(net::MetricsRegistry &registry);

private:
    struct Attached {
        Peer peer;
        net::SyncLink link;
        PeerCredentials credentials;
    };

    // The peer the credentials prove, or the frame that refuses it: a fatal Reject, or
    // Wipe for a revoked device.
    std::variant<Peer, v1::Envelope> admit(const std::string &deviceId, const PeerCredentials &credentials) const;
    // An operation of a Push that passed the checks that need no store.
    struct PushCandidate {
        const v1::Operation *operation;
        sync::DecodedOperation decoded;
    };
    // What storing a Push came to: the op ids to acknowledge, the rejections, the changes
    // to publish after the commit, and the Conflict or Invalid with which an API table
    // refused a row (which rolls the attempt back).
    // The changes carry their places in the group's log (0, 1, ...) until the group
    // ends and claims their sequences; the log rows and audit events wait for that too.
    struct PushOutcome {
        std::vector<std::string> accepted;
        std::vector<v1::Rejection> rejected;
        PendingChanges committed;
        std::vector<PendingLogRow> log;
        std::vector<v1::AuditEvent> events;
        std::optional<Error> refusedByTable;

        void absorb(PushOutcome other);
    };
    // Op ids that Pushes merged earlier in the same transaction, not yet in the log.
    using UnloggedOpIds = std::unordered_set<std::string_view>;

    // A submitted Push: the operations that passed the checks that need no store, and
    // the Ack as far as those checks wrote it.
    struct PendingPush {
        Peer peer;
        v1::Push push;
        const void *sender = nullptr;
        PushAnswer answered;
        std::vector<PushCandidate> candidates;  // point into `push`
        v1::Envelope reply;
        PushOutcome outcome;
    };
    using PushJob = std::unique_ptr<PendingPush>;

    // How the Pushes of a group share its transaction.
    enum class PushIsolation {
        // Written straight into the transaction: a refusal by an API table fails the
        // whole group (its Push's outcome says so), which is then stored again with:
        Shared,
        // a savepoint per Push, so that a refused Push runs again one operation at a
        // time and leaves the other Pushes alone.
        SavepointEach,
    };

    // Stores a group of Pushes in one transaction, then answers each.
    void storeGroup(std::vector<PushJob> &group);
    // One Push of the group, placing its log rows from nextSequence on (which it
    // advances when the Push is stored). With PushIsolation::SavepointEach an error
    // other than an API table's refusal fails the whole group; with Shared any error does.
    Status ingest(storage::SqlExecutor &transaction, PendingPush &pending, const UnloggedOpIds &unlogged,
                  WorkingSet &entities, std::int64_t &nextSequence, PushIsolation isolation);
    // The start of a group on PostgreSQL: reads into `entities` the rows of every entity
    // its operations name, and of the cases their case-file parts name, locking them in
    // one fixed order, so that groups on overlapping entities take turns instead of
    // deadlocking; each Push's BatchStore takes its entities from there (working_set.h),
    // and a row a Push finds it needs besides is locked as it is read.
    Status lockWorkingSet(storage::SqlExecutor &transaction, const std::vector<PushJob> &group, WorkingSet &entities);
    // The end of a group: claims the sequences of the Pushes' log rows, writes them and
    // appends their audit events, taking the log's head and then the audit log's (the
    // lock order of sync_repository.h), which are held from here to the commit.
    Status logGroup(storage::SqlExecutor &transaction, std::vector<PushJob> &group);
    // Merges and audits the candidates inside `transaction` through one working set
    // (batch_store.h), placing their log rows from nextSequence on (which it advances).
    Status mergeBatch(storage::SqlExecutor &transaction, const Peer &peer, std::span<const PushCandidate> candidates,
                      const UnloggedOpIds &unlogged, WorkingSet &entities, std::int64_t &nextSequence,
                      PushOutcome &outcome);
    // The same, each candidate in a savepoint of its own: one the API tables refuse is
    // rejected with their reason and the others are stored.
    Status mergeOneByOne(storage::SqlExecutor &transaction, const Peer &peer, std::span<const PushCandidate> candidates,
                         const UnloggedOpIds &unlogged, WorkingSet &entities, std::int64_t &nextSequence,
                         PushOutcome &outcome);
    std::optional<v1::Rejection> authorizeWrite(const CaseScopeLookup &caseScopes, const Peer &peer,
                                                const sync::DecodedOperation &operation,
                                                const sync::EntityState *current) const;
    // Authenticates again the connections `affects` picks, each with the credentials
    // of its Hello: a refused one is told and closed, the others take their new scope.
    void recheckConnections(const std::function<bool(const Peer &)> &affects);
    void recheckRights(const std::vector<ChangeScope> &rightsChanges);
    // The store was restored under the running service.
    void logReplaced();
    // The log's epoch as a Pull last read it, for the Notifies' cursors and the Acks'
    // start cursors; read from the store when no Pull has read it since the service
    // started or the log was replaced. Never an epoch newer than the store's: it is
    // only ever taken from the store's committed head.
    void rememberEpoch(const std::string &epoch);
    std::string currentEpoch();
    // The entities to drop from the peer's device because `logged` took a case out of its
    // scope (none when it did not), and the audit event that says so.
    Result<std::vector<ChangeScope>> evictedBy(const Peer &peer, const LoggedOperation &logged,
                                               std::vector<v1::AuditEvent> &events);
    // The earlier operations of a case and its case file when `logged` brought the case
    // into the peer's scope (none otherwise).
    Result<std::vector<LoggedOperation>> historyGainedBy(const Peer &peer, const LoggedOperation &logged);
    policy::Target targetOf(const ChangeScope &change) const;
    std::string municipioOf(const std::string &presidio) const;
    void notify(const void *origin, const std::vector<ChangeScope> &published, std::int64_t latest);

    // The feed's listener reaches the service through this, so that a feed outliving the
    // service never calls into a destroyed one.
    struct Subscription;

    storage::SqlDatabase &m_database;
    identity::IdentityService &m_identity;
    core::HybridLogicalClock &m_hlc;
    ChangeFeed &m_feed;
    std::shared_ptr<Subscription> m_subscription;
    sync::ServerRules m_rules;
    SyncOptions m_options;
    core::UuidV7Generator m_auditIds;  // ids of the audit events of pushes and pulls
    std::mutex m_attachedMutex;
    std::map<const void *, Attached> m_attached;
    // Presidio code -> municipio code, read from the store on a miss.
    mutable std::mutex m_municipiMutex;
    mutable std::map<std::string, std::string> m_municipi;
    std::mutex m_epochMutex;
    std::string m_epoch;
    std::atomic<net::Counter *> m_resetsCounted{nullptr};  // none until registerMetrics
    GroupCommit<PushJob> m_pushes;
};

// Reject frames, shared by the service and its sessions.
v1::Envelope makeReject(std::uint64_t inReplyTo, std::string code, std::string reason, bool fatal);

} // namespace sigess::syncserver
