// The one way the server itself (API endpoints, desk calls, the seed) changes a
// replicated entity, so that the API's tables and the sync log stay one record: inside
// the caller's transaction, write() turns the wanted state of an entity into a
// server-authored v1::Operation (the server's device id, an HLC stamp ordered after
// everything the entity has seen, CREATE for a new entity and UPDATE with only the
// changed fields otherwise), merges it into sync_entities (the entity's row locked
// first) and projects the merged entity into the API's table (record_projection.h);
// finish(), last in the transaction, appends the operations to sync_ops, which takes
// the log's head (the lock order of sync_repository.h). The changes finish() returns
// are published on the ChangeFeed by the caller AFTER its commit.
//
// Thread safety: a ServerWrites lives inside one transaction body on one thread; a
// body that may run again (a retried transaction) makes a new one each time, so that
// nothing from a rolled-back attempt is published.
#pragma once

#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "sigess/v1/sync.pb.h"
#include "storage/sql.h"
#include "sync/change_feed.h"
#include "sync/merge.h"
#include "sync/record_projection.h"
#include "sync/sync_repository.h"

#include <google/protobuf/message.h>

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::syncserver {

// The device id of every operation the server authors, on every instance and across
// restarts. It is the smallest canonical UUIDv7 text, so that in an exact HLC tie with
// a device (ties go to the greater device id) the device's write wins.
inline constexpr std::string_view serverDeviceId = "00000000-0000-7000-8000-000000000000";

// Changes committed by one transaction, to publish on the ChangeFeed after the commit.
struct PendingChanges {
    std::vector<ChangeScope> changes;
    std::int64_t latest = 0;  // the log sequence of the newest

    void add(ChangeScope change, std::int64_t sequence);
    // For changes added with their places in their transaction's log (0, 1, ...) before
    // it took the log's head: `first` is the sequence claimed for place 0.
    void numberFrom(std::int64_t first) { latest += first; }
    // Publishes nothing when there is nothing to publish; origin as in ChangeFeed.
    void publishTo(ChangeFeed &feed, const void *origin) const;
};

class ServerWrites {
public:
    // All borrowed; transaction is the caller's, for one run of its body.
    ServerWrites(storage::SqlExecutor &transaction, core::HybridLogicalClock &hlc, core::UuidV7Generator &ids);

    // Makes `entity` (a registered entity message; meta.id and, for a new entity,
    // meta.presidio name it, the rest of the meta is the engine's) the server's record
    // of it. On success `entity` holds the merged record as stored and served, stamps
    // included. Writing what is already held logs nothing. Invalid for a message that
    // is not a replicated entity or lacks its id.
    Status write(google::protobuf::Message &entity);
    // As write(), but Conflict when the server already holds the entity (or its table
    // holds its row): for a new record, and for one whose id the client chose (a
    // kiosk's offline intake), so a resent one is refused rather than merged.
    Status create(google::protobuf::Message &entity);
    // The same with a stamp chosen by the caller: the seed writes a history whose
    // records were made in the past.
    Status create(google::protobuf::Message &entity, core::HlcStamp stamp);

    // The server's records of `kind` among `ids` (those it holds, in no particular order),
    // their entity rows locked until the transaction ends on PostgreSQL, for a writer that
    // reads what it then writes (a desk moving a ticket). Entity rows are locked before
    // any API table row, in one order (type, then id), as every writer locks them
    // (sync_repository.h): a device's Push of the same records waits for this writer, or
    // this one for it, and neither waits in a circle.
    Result<std::vector<sync::EntityState>> lockRecords(const sync::EntityKind &kind, const std::vector<std::string> &ids);

    // Logs the operations written since the last finish() and returns every change
    // written, with its log sequence: call it after the last write, before the audit
    // events are appended and the transaction commits.
    Result<PendingChanges> finish();
    // The transaction it writes in, for the reads and locks a writer needs in the same
    // transaction (a desk locks the tickets it moves).
    storage::SqlExecutor &transaction() const { return m_transaction; }

private:
    enum class Mode { CreateOrUpdate, CreateOnly };

    Status writeStamped(google::protobuf::Message &entity, std::optional<core::HlcStamp> stamp, Mode mode);

    storage::SqlExecutor &m_transaction;
    core::HybridLogicalClock &m_hlc;
    core::UuidV7Generator &m_ids;
    PendingChanges m_logged;
    // Written but not yet logged; a deque, so that the log rows may point at them.
    std::deque<v1::Operation> m_operations;
    std::vector<PendingLogRow> m_unlogged;
};

} // namespace sigess::syncserver
