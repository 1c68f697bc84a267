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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::syncserver {

// One operation of the log, with the scope of its entity once it was merged.
struct LoggedOperation {
    std::int64_t sequence = 0;
    v1::EntityType type = v1::ENTITY_TYPE_UNSPECIFIED;
    std::string entityId;
    std::string presidio;
    std::string assigned;
    v1::Operation operation;
};

class SyncRepository {
public:
    explicit SyncRepository(storage::SqlExecutor &executor) : m_executor(executor) {}

    // Takes the next log sequence. Inside a transaction this locks the log's head until
    // commit, so writers commit in sequence order.
    Result<std::int64_t> claimSequence();
    // Takes the next `count` sequences at once (a bulk writer's block) and returns the
    // first of them; the same lock as claimSequence(). Numbers left unused are gaps,
    // which cursors step over.
    Result<std::int64_t> claimSequences(std::int64_t count);
    // Locks the log's head until commit (as claimSequence() does) without taking a
    // number, and returns the next free sequence: for a writer that learns how many it
    // uses only as it goes, and then claims them with claimSequences().
    Result<std::int64_t> lockHead();
    Result<std::int64_t> latestSequence();
    Result<bool> hasOperation(std::string_view opId);
    // Nothing when the server holds no such entity; Corrupt when its stored bytes do not parse.
    Result<std::optional<sync::EntityState>> loadEntity(const sync::EntityKind &kind, std::string_view id);
    // The entities of one kind among `ids` that the server holds, in no particular
    // order, read in a few statements; Corrupt when stored bytes do not parse.
    Result<std::vector<sync::EntityState>> loadEntities(const sync::EntityKind &kind, const std::vector<std::string> &ids);
    Status saveEntity(const sync::EntityState &entity, std::string_view assigned);
    // Stores an entity the server does not hold yet: Conflict when it does.
    Status insertEntity(const sync::EntityState &entity, std::string_view assigned);
    Status appendOperation(const LoggedOperation &logged);
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
