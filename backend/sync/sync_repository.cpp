#include "sync/sync_repository.h"

#include "storage/bulk_sql.h"
#include "sync/entity_registry.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <array>
#include <iterator>

namespace sigess::syncserver {

namespace {

Result<std::int64_t> singleInt(storage::SqlExecutor &executor, std::string_view sql, const storage::SqlParams &params)
{
    std::optional<std::int64_t> value;
    SIGESS_TRY(executor.query(sql, params, [&](const storage::SqlRow &row) -> Status {
        value = row.int64(0);
        return {};
    }));
    if (!value)
        return makeError(ErrorCode::Internal, "the sync log has no head row");
    return *value;
}

// Reads the kind, the fields and the patch's place off a logged operation's bytes. The
// walk checks what a parse checks of the operation's framing (tags, lengths, nothing
// cut short), not its strings and messages within: a pull sends the bytes as stored,
// which the server itself encoded from an operation it parsed.
bool readOperationHead(LoggedOperation &logged)
{
    using google::protobuf::internal::WireFormatLite;
    const std::string &bytes = logged.encoded;
    google::protobuf::io::CodedInputStream input(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                                 static_cast<int>(bytes.size()));
    while (const std::uint32_t tag = input.ReadTag()) {
        const int number = WireFormatLite::GetTagFieldNumber(tag);
        const WireFormatLite::WireType type = WireFormatLite::GetTagWireType(tag);
        std::uint32_t value = 0;
        if (number == v1::Operation::kKindFieldNumber && type == WireFormatLite::WIRETYPE_VARINT) {
            if (!input.ReadVarint32(&value))
                return false;
            logged.kind = static_cast<v1::OpKind>(value);
        } else if (number == v1::Operation::kFieldsFieldNumber && type == WireFormatLite::WIRETYPE_VARINT) {
            if (!input.ReadVarint32(&value))
                return false;
            logged.fields.push_back(value);
        } else if (number == v1::Operation::kFieldsFieldNumber && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
            std::uint32_t length = 0;
            if (!input.ReadVarint32(&length) || length > bytes.size())
                return false;
            const auto limit = input.PushLimit(static_cast<int>(length));
            while (input.BytesUntilLimit() > 0) {
                if (!input.ReadVarint32(&value))
                    return false;
                logged.fields.push_back(value);
            }
            input.PopLimit(limit);
        } else if (number == v1::Operation::kPatchFieldNumber && type == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
            std::uint32_t length = 0;
            if (!input.ReadVarint32(&length) || length > bytes.size())
                return false;
            logged.patchOffset = static_cast<std::size_t>(input.CurrentPosition());
            logged.patchSize = length;
            if (!input.Skip(static_cast<int>(length)))
                return false;
        } else if (!WireFormatLite::SkipField(&input, tag)) {
            return false;
        }
    }
    return input.ConsumedEntireMessage();
}

} // namespace

std::string caseOf(const google::protobuf::Message &entity)
{
    const sync::EntityKind *kind = sync::findEntityKind(entity.GetDescriptor());
    return kind != nullptr ? sync::stringField(entity, kind->caseField) : std::string();
}

Result<ChangeScope> scopeOfEntity(SyncRepository &repository, v1::EntityType type, const google::protobuf::Message &entity)
{
    return scopeOfEntity([&repository](std::string_view caseId) { return repository.caseScope(caseId); }, type, entity);
}

Result<ChangeScope> scopeOfEntity(const CaseScopeLookup &caseScope, v1::EntityType type,
                                  const google::protobuf::Message &entity)
{
    const sync::EntityKind *kind = sync::findEntityKind(entity.GetDescriptor());
    if (kind == nullptr)
        return makeError(ErrorCode::Internal, entity.GetTypeName() + " is not a replicated entity");
    const v1::EntityMeta &meta = sync::entityMeta(entity);
    ChangeScope scope{type, meta.id(), meta.presidio(), sync::stringField(entity, kind->responsibleOperatorField)};
    const std::string caseId = sync::stringField(entity, kind->caseField);
    if (caseId.empty())
        return scope;
    Result<std::optional<ChangeScope>> owner = caseScope(caseId);
    if (!owner.ok())
        return owner.takeError();
    if (*owner) {
        scope.assigned = (*owner)->assigned;
        if (scope.presidio.empty())
            scope.presidio = (*owner)->presidio;
    }
    return scope;
}

Result<std::int64_t> SyncRepository::appendToLog(std::span<const PendingLogRow> rows)
{
    if (rows.empty())
        return std::int64_t{0};
    const auto count = static_cast<std::int64_t>(rows.size());
    std::optional<std::int64_t> last;
    SIGESS_TRY(m_executor.query("UPDATE sync_head SET sequence = sequence + $1 WHERE id = 1 RETURNING sequence", {count},
                                [&](const storage::SqlRow &row) -> Status {
                                    last = row.int64(0);
                                    return {};
                                }));
    if (!last)
        return makeError(ErrorCode::Internal, "the sync log has no head row");
    const std::int64_t first = *last - count + 1;
    std::vector<storage::SqlValue> values;
    values.reserve(rows.size() * 7);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const PendingLogRow &row = rows[i];
        values.emplace_back(first + static_cast<std::int64_t>(i));
        values.emplace_back(row.operation->op_id());
        values.emplace_back(static_cast<std::int64_t>(row.scope.type));
        values.emplace_back(row.scope.entityId);
        values.emplace_back(row.scope.presidio);
        values.emplace_back(row.scope.assigned);
        values.emplace_back(storage::SqlBytes{row.operation->SerializeAsString()});
    }
    static constexpr std::array<std::string_view, 7> columns{"sequence", "op_id",    "entity_type", "entity_id",
                                                             "presidio", "assigned", "operation"};
    SIGESS_TRY(storage::appendRows(m_executor, "sync_ops", columns, values));
    return first;
}

Result<std::int64_t> SyncRepository::latestSequence()
{
    return singleInt(m_executor, "SELECT sequence FROM sync_head WHERE id = 1", {});
}

Result<SyncRepository::Head> SyncRepository::head()
{
    std::optional<Head> head;
    SIGESS_TRY(m_executor.query("SELECT sequence, epoch FROM sync_head WHERE id = 1", {},
                                [&](const storage::SqlRow &row) -> Status {
                                    head = Head{row.int64(0), std::string(row.text(1))};
                                    return {};
                                }));
    if (!head)
        return makeError(ErrorCode::Internal, "the sync log has no head row");
    return std::move(*head);
}

Result<bool> SyncRepository::hasOperation(std::string_view opId)
{
    bool found = false;
    SIGESS_TRY(m_executor.query("SELECT 1 FROM sync_ops WHERE op_id = $1", {opId}, [&](const storage::SqlRow &) -> Status {
        found = true;
        return {};
    }));
    return found;
}

Result<std::optional<sync::EntityState>> SyncRepository::loadEntity(const sync::EntityKind &kind, std::string_view id)
{
    return readEntity(kind, id, "SELECT data, clock FROM sync_entities WHERE entity_type = $1 AND id = $2");
}

Result<std::optional<sync::EntityState>> SyncRepository::lockEntity(const sync::EntityKind &kind, std::string_view id)
{
    // SQLite has no row locks and needs none: its writer is alone.
    if (m_executor.dialect() == storage::Dialect::Postgres)
        return readEntity(kind, id, "SELECT data, clock FROM sync_entities WHERE entity_type = $1 AND id = $2 FOR UPDATE");
    return loadEntity(kind, id);
}

Status SyncRepository::lockEntities(std::map<v1::EntityType, std::vector<std::string>> ids, const FoundEntity &found)
{
    // The map walks the types in order, and each statement locks its rows in id order.
    for (auto &[type, typeIds] : ids) {
        const sync::EntityKind *kind = sync::findEntityKind(type);
        if (kind == nullptr || typeIds.empty())
            continue;
        std::sort(typeIds.begin(), typeIds.end());
        typeIds.erase(std::unique(typeIds.begin(), typeIds.end()), typeIds.end());
        std::vector<storage::SqlValue> keys(std::make_move_iterator(typeIds.begin()),
                                            std::make_move_iterator(typeIds.end()));
        SIGESS_TRY(storage::queryEachKey(m_executor, "SELECT id, data, clock FROM sync_entities WHERE entity_type = $1 AND id",
                                         "FOR UPDATE", {static_cast<std::int64_t>(type)}, keys,
                                    [&](const storage::SqlRow &row) -> Status {
                                        Result<sync::EntityState> loaded
                                            = sync::EntityState::load(*kind, row.bytes(1), row.bytes(2));
                                        if (!loaded.ok())
                                            return loaded.takeError();
                                        return found(std::string(row.text(0)), std::move(loaded).value());
                                    }));
    }
    return {};
}

Result<std::optional<sync::EntityState>> SyncRepository::readEntity(const sync::EntityKind &kind, std::string_view id,
                                                                    std::string_view sql)
{
    std::optional<sync::EntityState> entity;
    SIGESS_TRY(m_executor.query(sql, {static_cast<std::int64_t>(kind.type), id}, [&](const storage::SqlRow &row) -> Status {
                                    Result<sync::EntityState> loaded
                                        = sync::EntityState::load(kind, row.bytes(0), row.bytes(1));
                                    if (!loaded.ok())
                                        return loaded.takeError();
                                    entity = std::move(loaded).value();
                                    return {};
                                }));
    return entity;
}

Result<std::vector<sync::EntityState>> SyncRepository::loadEntities(const sync::EntityKind &kind,
                                                                   const std::vector<std::string> &ids)
{
    std::vector<storage::SqlValue> keys(ids.begin(), ids.end());
    std::vector<sync::EntityState> entities;
    SIGESS_TRY(storage::queryIn(m_executor, "SELECT data, clock FROM sync_entities WHERE entity_type = $1 AND id", "",
                                {static_cast<std::int64_t>(kind.type)}, keys, [&](const storage::SqlRow &row) -> Status {
                                    Result<sync::EntityState> loaded
                                        = sync::EntityState::load(kind, row.bytes(0), row.bytes(1));
                                    if (!loaded.ok())
                                        return loaded.takeError();
                                    entities.push_back(std::move(loaded).value());
                                    return {};
                                }));
    return entities;
}

Status SyncRepository::saveEntity(const sync::EntityState &entity, std::string_view assigned)
{
    const v1::EntityMeta &meta = entity.meta();
    Result<std::int64_t> saved = m_executor.execute(
        "INSERT INTO sync_entities (entity_type, id, presidio, assigned, data, clock) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (entity_type, id) DO UPDATE SET presidio = excluded.presidio, assigned = excluded.assigned, "
        "data = excluded.data, clock = excluded.clock",
        {static_cast<std::int64_t>(entity.kind->type), meta.id(), meta.presidio(), assigned,
         storage::SqlBytes{entity.message->SerializeAsString()}, storage::SqlBytes{entity.clock.serialize()}});
    if (!saved.ok())
        return saved.takeError();
    return {};
}

Status SyncRepository::insertEntity(const sync::EntityState &entity, std::string_view assigned)
{
    const v1::EntityMeta &meta = entity.meta();
    // DO NOTHING and a count rather than the key's violation: on PostgreSQL a violation
    // would leave the transaction unable to run the statements that explain it.
    Result<std::int64_t> inserted = m_executor.execute(
        "INSERT INTO sync_entities (entity_type, id, presidio, assigned, data, clock) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (entity_type, id) DO NOTHING",
        {static_cast<std::int64_t>(entity.kind->type), meta.id(), meta.presidio(), assigned,
         storage::SqlBytes{entity.message->SerializeAsString()}, storage::SqlBytes{entity.clock.serialize()}});
    if (!inserted.ok())
        return inserted.takeError();
    if (*inserted == 0)
        return makeError(ErrorCode::Conflict, "the server already holds " + std::string(entity.kind->name()) + " " + meta.id());
    return {};
}

Result<std::optional<ChangeScope>> SyncRepository::caseScope(std::string_view caseId)
{
    std::optional<ChangeScope> scope;
    SIGESS_TRY(m_executor.query("SELECT presidio, assigned FROM sync_entities WHERE entity_type = $1 AND id = $2",
                                {static_cast<std::int64_t>(v1::ENTITY_TYPE_CASE), caseId},
                                [&](const storage::SqlRow &row) -> Status {
                                    scope = ChangeScope{v1::ENTITY_TYPE_CASE, std::string(caseId),
                                                        std::string(row.text(0)), std::string(row.text(1))};
                                    return {};
                                }));
    return scope;
}

Result<std::optional<ChangeScope>> SyncRepository::scopeBefore(v1::EntityType type, std::string_view id,
                                                               std::int64_t sequence)
{
    std::optional<ChangeScope> scope;
    SIGESS_TRY(m_executor.query("SELECT presidio, assigned FROM sync_ops WHERE entity_type = $1 AND entity_id = $2 "
                                "AND sequence < $3 ORDER BY sequence DESC LIMIT 1",
                                {static_cast<std::int64_t>(type), id, sequence}, [&](const storage::SqlRow &row) -> Status {
                                    scope = ChangeScope{type, std::string(id), std::string(row.text(0)),
                                                        std::string(row.text(1))};
                                    return {};
                                }));
    return scope;
}

Result<std::vector<ChangeScope>> SyncRepository::casePartsOf(std::string_view caseId,
                                                             const std::vector<std::string> &assignees)
{
    std::vector<ChangeScope> parts;
    for (const std::string &assignee : assignees) {
        SIGESS_TRY(m_executor.query(
            "SELECT entity_type, id, presidio, data FROM sync_entities WHERE assigned = $1 AND entity_type <> $2",
            {assignee, static_cast<std::int64_t>(v1::ENTITY_TYPE_CASE)}, [&](const storage::SqlRow &row) -> Status {
                const auto type = static_cast<v1::EntityType>(row.int64(0));
                const sync::EntityKind *kind = sync::findEntityKind(type);
                if (kind == nullptr)
                    return {};
                std::unique_ptr<google::protobuf::Message> entity = kind->newMessage();
                if (!entity->ParseFromString(row.bytes(3)))
                    return makeError(ErrorCode::Corrupt, "sync entity " + std::string(row.text(1)) + " does not parse");
                if (caseOf(*entity) == caseId)
                    parts.push_back(ChangeScope{type, std::string(row.text(1)), std::string(row.text(2)), assignee});
                return {};
            }));
    }
    return parts;
}

Result<std::vector<LoggedOperation>> SyncRepository::operationsAfter(std::int64_t sequence, std::size_t limit)
{
    return loggedOperations("SELECT sequence, entity_type, entity_id, presidio, assigned, operation FROM sync_ops "
                            "WHERE sequence > $1 ORDER BY sequence LIMIT $2",
                            {sequence, static_cast<std::int64_t>(limit)});
}

Result<std::vector<LoggedOperation>> SyncRepository::operationsOf(v1::EntityType type, std::string_view id,
                                                                  std::int64_t before)
{
    return loggedOperations("SELECT sequence, entity_type, entity_id, presidio, assigned, operation FROM sync_ops "
                            "WHERE entity_type = $1 AND entity_id = $2 AND sequence < $3 ORDER BY sequence",
                            {static_cast<std::int64_t>(type), id, before});
}

Result<std::vector<LoggedOperation>> SyncRepository::loggedOperations(std::string_view sql,
                                                                      const storage::SqlParams &params)
{
    std::vector<LoggedOperation> operations;
    SIGESS_TRY(m_executor.query(sql, params, [&](const storage::SqlRow &row) -> Status {
        LoggedOperation logged;
        logged.sequence = row.int64(0);
        logged.type = static_cast<v1::EntityType>(row.int64(1));
        logged.entityId = std::string(row.text(2));
        logged.presidio = std::string(row.text(3));
        logged.assigned = std::string(row.text(4));
        logged.encoded = row.bytes(5);
        if (!readOperationHead(logged))
            return makeError(ErrorCode::Corrupt, "sync operation " + std::to_string(logged.sequence) + " does not parse");
        operations.push_back(std::move(logged));
        return {};
    }));
    return operations;
}

} // namespace sigess::syncserver
