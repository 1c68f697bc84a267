// The device side of sync: the replica a kiosk or tablet keeps in its encrypted store.
//
// Every local change goes through recordChange(), which merges it into the entity and
// queues its Operation in the outbox in one transaction, so neither is ever saved
// without the other. pendingBatch() hands out queued operations to push;
// acknowledge() settles them: accepted ones leave the outbox, rejected ones move to the
// review list with the server's code and reason, where the operator fixes or discards
// each (nothing disappears silently). applyChanges() merges what the server sends and
// stores the new cursor in one transaction, so an interrupted sync resumes where it
// stopped; operations already applied (remembered by op id) are skipped. A frame is
// applied in bulk: its applied ids, its entities and which of them have operations
// queued are read in one statement each, the operations merged in memory, and each
// entity written once, in multi-row statements.
//
// Each entity is kept twice: as the server confirmed it (the merge of the operations
// the server accepted or sent) and as the device shows it (that, plus the operations
// still in the outbox). When the server rejects an operation, the shown entity is
// rebuilt without it, so a device converges to the server whatever was refused. An
// entity with nothing queued (every entity of a first download) is stored once, marked
// as confirmed as shown, instead of twice: a row then fits its b-tree page rather than
// spilling into an overflow page of its own.
//
// The replica owns its store's schema (numbered migrations, store/migrations.h), and
// sets when the store's commits copy the WAL into the main file: only once it holds
// walCheckpointPages, so that a download's frames are not held up copying the frames
// before them; the sync driver copies it with checkpoint() once a download of several
// frames is applied. Every commit is in the WAL before it returns, so a killed process
// loses nothing committed whenever the copy happens.
// Thread safety: none inside. Like its Database, a Replica is used by one thread at a
// time (the app's store thread); the clock and id generator it borrows are
// thread-safe and may be shared.
#pragma once

#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "sigess/v1/sync.pb.h"
#include "store/database.h"
#include "sync/merge.h"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::sync {

// A rejected operation waiting for the operator, with the server's verdict.
struct ReviewItem {
    v1::Operation operation;
    v1::Rejection rejection;
};

class Replica {
public:
    // The WAL a replica's commits may leave uncopied: 64 MiB of 4 KiB pages (SQLite's own
    // default is 1,000 pages). A 5,000-case caseload is 31 MB, but its download's frames
    // write about 8,900 pages to the WAL, since each commit writes again the pages the
    // one before left partly filled: at 8,192 the store thread copied the WAL in the
    // middle of the download.
    static constexpr int walCheckpointPages = 16384;

    // deviceId: this device's canonical UUID, the author of every operation made here.
    // Brings the schema up to date and moves the clock past the last stamp this store
    // issued. The database, clock and generator must outlive the replica.
    static Result<Replica> open(store::Database &database, std::string deviceId,
        core::HybridLogicalClock &clock, core::UuidV7Generator &ids, OperationLimits limits = {});

    // Records a local change: the fields listed take their values from `patch` (an
    // entity message; a listed field it leaves unset is cleared). The entity is the one
    // named by the patch's meta id, created when the device does not hold it (an empty
    // id gets a new one); a creation may name its presidio in the meta, every other meta
    // field is ignored. Returns the queued operation. Conflict for a change to an
    // append-only entity that exists; Invalid for an operation decodeOperation() refuses.
    Result<v1::Operation> recordChange(
        v1::EntityType type, const google::protobuf::Message &patch, const std::vector<int> &fields);

    // Up to maxOps queued operations, oldest first, that have not been handed out since
    // the last resendUnacknowledged(); they are marked as sent.
    Result<std::vector<v1::Operation>> pendingBatch(std::size_t maxOps);
    // Makes every sent but unacknowledged operation pending again; call it on each new
    // connection (the server ignores the ones it already applied).
    Status resendUnacknowledged();
    // Settles the operations an Ack names; op ids the outbox no longer holds (a repeated
    // Ack) are ignored. A replica whose cursor is empty takes the Ack's start cursor (the
    // start of the log the operations were stored in) as its cursor, in the same
    // transaction, so that its next Pull names that log and a restore resets it; one that
    // holds a cursor keeps it.
    Status acknowledge(const v1::Ack &ack);

    // The cursor to pull from (empty before the first pull).
    Result<std::string> cursor();
    // Merges the operations of a Changes frame answering a Pull from `pulledFrom`, and
    // moves the cursor to its next_cursor, all in one transaction. When the replica's
    // cursor is no longer `pulledFrom` (a late duplicate frame), the operations are
    // still merged but the cursor stays. A reset frame (the server's log has another
    // history: it was restored from a backup) first drops, in the same transaction,
    // everything the replica holds from the server (every entity's confirmed state, the
    // ids of the operations applied, the cursor), keeping the outbox and the review
    // list: each entity the outbox changes is shown as its queued operations make it,
    // and the frame and those that follow merge the server's state under them. Fails as
    // a whole, changing nothing, if any operation does not decode or merge.
    Status applyChanges(const v1::Changes &changes, std::string_view pulledFrom);
    // The same for a frame whose operations decodeChanges() already decoded, maybe on
    // another thread: `decoded` must come from `changes`, and the merge consumes its
    // patches.
    Status applyChanges(
        const v1::Changes &changes, std::vector<DecodedOperation> &decoded, std::string_view pulledFrom);
    // Decodes a frame's operations (decodeOperation, in the frame's order) without
    // touching the store: safe on any thread while the replica works on another, so the
    // client's I/O thread decodes frame n+1 while the store thread applies frame n.
    // Invalid or TooLarge as decodeOperation() says for the first that fails.
    static Result<std::vector<DecodedOperation>> decodeChanges(
        const v1::Changes &changes, const OperationLimits &limits);
    const OperationLimits &operationLimits() const { return m_limits; }
    // Copies the WAL into the main file as far as no reader still needs it, without
    // waiting for anyone (a passive checkpoint).
    Status checkpoint();

    // The entity as the device shows it; nothing when it holds none.
    Result<std::optional<EntityState>> entity(v1::EntityType type, std::string_view id);
    Result<std::vector<EntityState>> entities(v1::EntityType type);
    Result<std::size_t> outboxSize();

    Result<std::vector<ReviewItem>> reviewList();
    // Drops a rejected operation for good. NotFound if the list does not hold it.
    Status discard(std::string_view opId);
    // Replaces a rejected operation with an edited one (new op id and stamp) on the same
    // entity, queued like any local change. NotFound if the list does not hold it.
    Result<v1::Operation> fix(
        std::string_view opId, const google::protobuf::Message &patch, const std::vector<int> &fields);

    // Kiosk minimisation: clears the given fields, on this device only, in every entity
    // of the type whose operations the server has all accepted (none queued nor waiting
    // in review). Returns how many entities were purged.
    Result<std::size_t> purgeAcknowledged(v1::EntityType type, const std::vector<int> &fields);

    const std::string &deviceId() const { return m_deviceId; }

private:
    Replica(store::Database &database, std::string deviceId, core::HybridLogicalClock &clock,
        core::UuidV7Generator &ids, OperationLimits limits);

    struct StoredEntity {
        EntityState shown;
        // Nothing until the server has confirmed anything of the entity, or while its
        // confirmed state is the shown one (confirmedIsShown).
        std::optional<EntityState> confirmed;
        bool confirmedIsShown = false;
    };
    // One entity to write: as shown and as confirmed; a null confirmed state means the
    // shown one (nothing of the entity is queued).
    struct EntityWrite {
        const EntityState *shown;
        const EntityState *confirmed;
    };

    Result<std::optional<StoredEntity>> loadStored(const EntityKind &kind, std::string_view id);
    // The entity as shown; its confirmed state stays what it was (a row whose confirmed
    // state was its shown one keeps that state apart from now on).
    Status saveShown(const EntityState &shown);
    // Both states of each entity, in multi-row statements.
    Status writeEntities(std::span<const EntityWrite> writes);
    Result<v1::Operation> recordInTransaction(v1::EntityType type, const google::protobuf::Message &patch,
        const std::vector<int> &fields, std::string entityId);
    // Merges decoded operations the server holds into both states of their entities
    // and remembers their ids, reading and writing each entity once; the merge consumes
    // their patches. Skips ids already applied (or repeated among `decoded`). Fails, for
    // the caller's transaction to roll back, if any operation does not merge.
    Status applyConfirmed(std::vector<DecodedOperation> &decoded);
    Result<bool> outboxHoldsAny();
    Status reject(const v1::Rejection &rejection);
    // The first step of a reset, inside the caller's transaction.
    Status dropServerRecords();
    enum class CursorWrite {
        Always,
        IfEmpty,  // an Ack's start cursor: a cursor the replica holds stays
    };
    // Inside the caller's transaction.
    Status storeCursor(std::string_view cursor, CursorWrite write);
    // The shown state again: the confirmed one (none when the replica holds no row of
    // the entity) plus every queued operation.
    Status rebuildShown(const EntityKind &kind, const std::string &entityId);

    store::Database *m_database;
    std::string m_deviceId;
    core::HybridLogicalClock *m_clock;
    core::UuidV7Generator *m_ids;
    OperationLimits m_limits;
};

} // namespace sigess::sync
