// The server's sync store over the backend's SQL layer, the same on both drivers: the
// merged state of every replicated entity (sync_entities) and the log of the operations
// merged into it (sync_ops), whose sequence numbers are the cursors devices pull from.
// Each entity and log row carries the scope attributes the server filters by (owning
// presidio, responsible operator), so a pull never has to parse what it does not send.
// Thread safety: like the SqlExecutor it wraps; one built on a transaction's executor
// lives only as long as that transaction.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"
#include "storage/sql.h"
#include "sync/change_feed.h"
#include "sync/merge.h"

#include <google/protobuf/message.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::syncserver {

// One operation of the log, with the scope of its entity once it was merged. The
// operation is kept as stored, its v1::Operation encoding, which a Changes frame carries
// as it is (sync/frame_codec.h encodeChangesFrame); what a pull looks at besides the
// log's columns (the kind, the fields listed, the patch) is read off those bytes
// without parsing the operation whole.
struct LoggedOperation {
    std::int64_t sequence = 0;
    v1::EntityType type = v1::ENTITY_TYPE_UNSPECIFIED;
    std::string entityId;
    std::string presidio;
    std::string assigned;
    std::string encoded;
    v1::OpKind kind = v1::OP_KIND_UNSPECIFIED;
    std::vector<std::uint32_t> fields;

    // The operation's patch: the entity message, serialized (a view into `encoded`).
    std::string_view patch() const { return std::string_view(encoded).substr(patchOffset, patchSize); }

    std::size_t patchOffset = 0;
    std::size_t patchSize = 0;
};

// An operation merged in the current transaction whose log row is still to be written:
// a writer gathers these as it merges and logs them all last (appendToLog).
struct PendingLogRow {
    ChangeScope scope;                          // the entity's scope once merged
    const v1::Operation *operation = nullptr;   // borrowed until appendToLog returns
};

// How writers of the sync store keep each other's updates and the log's order on
// PostgreSQL, where transactions run side by side (the embedded store has one writer):
//  - an entity's row is locked before it is read for a merge (lockEntity, or BatchStore's
//    locking prefetch), so two read-merge-writes of one entity take turns; an entity
//    not yet held is inserted with ON CONFLICT DO NOTHING and a shortfall in the rows
//    inserted means another transaction created it first (Conflict: read it again);
//  - the log's head is taken last, by appendToLog, and held to the commit: sequences
//    are claimed, and become visible, in commit order, so a device that pulled up to N
//    never later misses a sequence <= N; the audit log's head comes after it.
// Every writer takes its locks in that order (entity rows, log head, audit head), so
// that no two wait on each other in a circle; a deadlock PostgreSQL still finds
// (rows of several entities in differing orders) fails the transaction with a lost
// race, which SqlDatabase::transaction runs again.
class SyncRepository {
public:
    explicit SyncRepository(storage::SqlExecutor &executor) : m_executor(executor) {}

    // Claims the next rows.size() log sequences and writes rows[i] as the i-th of them,
    // in one statement; returns the first (0 for no rows, which claim nothing). Inside a
    // transaction the log's head stays locked until commit: call it last, after the
    // entity rows, so the head is held for a few statements.
    Result<std::int64_t> appendToLog(std::span<const PendingLogRow> rows);
    Result<std::int64_t> latestSequence();
    // The log's head with its epoch, the random id of its history (a restore gives the
    // log a new one: storage/schema.h renewLogEpochStatement).
    struct Head {
        std::int64_t sequence = 0;
        std::string epoch;
    };
    Result<Head> head();
    Result<bool> hasOperation(std::string_view opId);
    // Nothing when the server holds no such entity; Corrupt when its stored bytes do not parse.
    Result<std::optional<sync::EntityState>> loadEntity(const sync::EntityKind &kind, std::string_view id);
    // The same, the entity's row locked until the transaction ends (PostgreSQL), for a
    // read-merge-write.
    Result<std::optional<sync::EntityState>> lockEntity(const sync::EntityKind &kind, std::string_view id);
    // Reads the held entities among `ids` (of any type) and hands each to `found` with
    // its id. On PostgreSQL their rows are locked until the transaction ends, in one
    // fixed order (type, then id), so that two writers that lock their whole working
    // sets this way first never wait on each other in a circle; the embedded store's
    // writer is alone and only reads. Corrupt when stored bytes do not parse.
    using FoundEntity = std::function<Status(std::string id, sync::EntityState entity)>;
    Status lockEntities(std::map<v1::EntityType, std::vector<std::string>> ids, const FoundEntity &found);
    // The entities of one kind among `ids` that the server holds, in no particular
    // order, read in a few statements; Corrupt when stored bytes do not parse.
    Result<std::vector<sync::EntityState>> loadEntities(const sync::EntityKind &kind, const std::vector<std::string> &ids);
    Status saveEntity(const sync::EntityState &entity, std::string_view assigned);
    // Stores an entity the server does not hold yet: Conflict when it does.
    Status insertEntity(const sync::EntityState &entity, std::string_view assigned);
    // Up to `limit` operations after `sequence`, in log order.
    Result<std::vector<LoggedOperation>> operationsAfter(std::int64_t sequence, std::size_t limit);
    // The operations logged on one entity before `before`, in log order.
    Result<std::vector<LoggedOperation>> operationsOf(v1::EntityType type, std::string_view id, std::int64_t before);
    // The presidio and responsible operator of a case the server holds; nothing when it
    // holds no such case.
    Result<std::optional<ChangeScope>> caseScope(std::string_view caseId);
    // The scope the log gave an entity before `sequence`: that of its previous operation.
    Result<std::optional<ChangeScope>> scopeBefore(v1::EntityType type, std::string_view id, std::int64_t sequence);
    // The case-file parts of a case among those held with one of `assignees` as their
    // responsible operator.
    Result<std::vector<ChangeScope>> casePartsOf(std::string_view caseId, const std::vector<std::string> &assignees);

private:
    Result<std::vector<LoggedOperation>> loggedOperations(std::string_view sql, const storage::SqlParams &params);
    Result<std::optional<sync::EntityState>> readEntity(const sync::EntityKind &kind, std::string_view id,
                                                        std::string_view sql);

    storage::SqlExecutor &m_executor;
};

// The presidio and responsible operator of a case the caller holds, or nothing.
using CaseScopeLookup = std::function<Result<std::optional<ChangeScope>>(std::string_view caseId)>;

// The case a case-file part belongs to (its `case_id`); empty for any other entity.
std::string caseOf(const google::protobuf::Message &entity);

// Where an entity lies for scope: its presidio and its responsible operator. A case-file
// part (an entity with a `case_id`: note, visit, assessment, goal, intervention) is read
// and written with its case, so it takes the case's responsible operator, and the case's
// presidio when it names none; a part of a case the server does not hold has none.
Result<ChangeScope> scopeOfEntity(SyncRepository &repository, v1::EntityType type, const google::protobuf::Message &entity);
// The same with the cases read through `caseScope` (a batch's working set).
Result<ChangeScope> scopeOfEntity(const CaseScopeLookup &caseScope, v1::EntityType type,
                                  const google::protobuf::Message &entity);

} // namespace sigess::syncserver
