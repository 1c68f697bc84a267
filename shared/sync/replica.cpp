#include "sync/replica.h"

#include "store/migrations.h"
#include "store/transaction.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_set>
#include <utility>

namespace sigess::sync {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using store::Statement;
using store::Transaction;

// Each entity row holds the shown state (data, clock) and the confirmed one
// (confirmed_data, confirmed_clock), NULL until the server has confirmed anything of it.
constexpr std::array<store::Migration, 3> replicaSchema = { {
    { 1, R"sql(
CREATE TABLE sync_entity (
    type INTEGER NOT NULL,
    id TEXT NOT NULL,
    data BLOB NOT NULL,
    clock BLOB NOT NULL,
    confirmed_data BLOB,
    confirmed_clock BLOB,
    PRIMARY KEY (type, id)
) WITHOUT ROWID;
CREATE TABLE sync_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT NOT NULL UNIQUE,
    entity_type INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    operation BLOB NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent'))
);
CREATE INDEX sync_outbox_entity ON sync_outbox (entity_type, entity_id);
CREATE INDEX sync_outbox_state ON sync_outbox (state, seq);
CREATE TABLE sync_applied (op_id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE sync_cursor (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    cursor BLOB NOT NULL
);
CREATE TABLE sync_review (
    op_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    entity_type INTEGER NOT NULL,
    entity_id TEXT NOT NULL,
    operation BLOB NOT NULL,
    code TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX sync_review_entity ON sync_review (entity_type, entity_id);
CREATE TABLE sync_clock (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_stamp INTEGER NOT NULL
);
)sql" },
    // When confirmed_is_shown is set, the confirmed state is the shown one and the
    // confirmed columns are NULL: an entity with nothing queued is stored once.
    { 2, R"sql(
ALTER TABLE sync_entity ADD COLUMN confirmed_is_shown INTEGER NOT NULL DEFAULT 0
    CHECK (confirmed_is_shown IN (0, 1));
)sql" },
    // Applied op ids as their 16 bytes instead of 36 characters of text: a first download
    // remembers one per record.
    { 3, R"sql(
CREATE TABLE sync_applied_bytes (op_id BLOB PRIMARY KEY) WITHOUT ROWID;
INSERT INTO sync_applied_bytes SELECT unhex(replace(op_id, '-', '')) FROM sync_applied;
DROP TABLE sync_applied;
ALTER TABLE sync_applied_bytes RENAME TO sync_applied;
)sql" },
} };

Error invalid(std::string message)
{
    return makeError(ErrorCode::Invalid, std::move(message));
}

Result<v1::Operation> parseStoredOperation(std::string_view bytes)
{
    v1::Operation operation;
    if (!operation.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return makeError(ErrorCode::Corrupt, "a stored operation does not parse");
    return operation;
}

Result<const EntityKind *> kindOf(v1::EntityType type)
{
    const EntityKind *kind = findEntityKind(type);
    if (kind == nullptr)
        return invalid("the entity type " + std::to_string(type) + " is unknown");
    return kind;
}

Status checkPurgeFields(const EntityKind &kind, const std::vector<int> &fields)
{
    for (const int number : fields) {
        if (number == metaFieldNumber || kind.descriptor()->FindFieldByNumber(number) == nullptr)
            return invalid(std::string(kind.name()) + " has no purgeable field " + std::to_string(number));
    }
    return {};
}

// Clears the fields and tells whether any of them held a value.
bool clearFields(Message &message, const std::vector<int> &fields)
{
    const auto *reflection = message.GetReflection();
    bool cleared = false;
    for (const int number : fields) {
        const FieldDescriptor *field = message.GetDescriptor()->FindFieldByNumber(number);
        cleared = cleared
            || (field->is_repeated() ? reflection->FieldSize(message, field) > 0
                                     : reflection->HasField(message, field));
        reflection->ClearField(&message, field);
    }
    return cleared;
}

// Rows per multi-row statement, largest first: a batch of any size takes a few
// statement texts, which the connection's statement cache keeps prepared.
constexpr std::array<std::size_t, 4> chunkRows = { 64, 16, 4, 1 };

// Runs `head` VALUES (?, ...), ... `tail` over `rows` rows of `columns` parameters each;
// bindRow binds one row from its first parameter's index.
template <typename BindRow>
Status runInChunks(store::Database &database, std::string_view head, int columns, std::string_view tail,
    std::size_t rows, const BindRow &bindRow)
{
    std::string tuple = "(?";
    for (int column = 1; column < columns; ++column)
        tuple += ", ?";
    tuple += ')';
    std::size_t done = 0;
    for (const std::size_t chunk : chunkRows) {
        if (rows - done < chunk)
            continue;
        std::string sql(head);
        for (std::size_t row = 0; row < chunk; ++row)
            sql.append(row == 0 ? "" : ", ").append(tuple);
        sql.append(tail);
        Result<Statement> statement = database.prepare(sql);
        if (!statement.ok())
            return statement.takeError();
        for (; rows - done >= chunk; done += chunk) {
            for (std::size_t row = 0; row < chunk; ++row)
                bindRow(*statement, static_cast<int>(row) * columns + 1, done + row);
            SIGESS_TRY(statement->run());
        }
    }
    return {};
}

constexpr std::size_t uuidBytes = 16;

// Appends a canonical UUID's 16 bytes, as sync_applied keeps op ids. decodeOperation let
// only canonical UUIDs through: lower-case hex digits in pairs between the dashes.
void appendUuidBytes(std::string &bytes, std::string_view canonical)
{
    const auto nibble = [](char digit) { return digit <= '9' ? digit - '0' : digit - 'a' + 10; };
    for (std::size_t i = 0; i + 1 < canonical.size(); ++i) {
        if (canonical[i] == '-')
            continue;
        bytes.push_back(static_cast<char>(nibble(canonical[i]) << 4 | nibble(canonical[i + 1])));
        ++i;
    }
}

// An entity's type and id, the id a view of a string that outlives the key (a decoded
// operation's, or a row's while it is current): a frame's thousands of keys cost no copies.
using EntityKey = std::pair<v1::EntityType, std::string_view>;

// The key held by a row's first two columns (type, id), valid while the row is.
EntityKey entityKeyOf(const Statement &row)
{
    return EntityKey { static_cast<v1::EntityType>(row.columnInt64(0)), row.columnText(1) };
}

// The ids of each entity type among `keys`, as JSON arrays for json_each(): one look-up
// per type by `type = ? AND id IN (...)` walks the primary key like a plain IN list,
// where a row value IN over a JSON array of pairs extracted both members of every pair.
std::map<v1::EntityType, std::string> jsonIdsByType(const std::vector<EntityKey> &keys)
{
    std::map<v1::EntityType, std::string> json;
    for (const auto &[type, id] : keys) {
        std::string &ids = json[type];
        ids.append(ids.empty() ? "[\"" : ",\"").append(id).append("\"");
    }
    for (auto &[type, ids] : json)
        ids += ']';
    return json;
}

} // namespace

Replica::Replica(store::Database &database, std::string deviceId, core::HybridLogicalClock &clock,
    core::UuidV7Generator &ids, OperationLimits limits)
    : m_database(&database)
    , m_deviceId(std::move(deviceId))
    , m_clock(&clock)
    , m_ids(&ids)
    , m_limits(limits)
{
}

Result<Replica> Replica::open(store::Database &database, std::string deviceId,
    core::HybridLogicalClock &clock, core::UuidV7Generator &ids, OperationLimits limits)
{
    Result<core::Uuid> device = core::Uuid::parse(deviceId);
    if (!device.ok() || device->toString() != deviceId)
        return invalid("the device id '" + deviceId + "' is not a UUID in canonical lower-case form");
    SIGESS_TRY(store::migrate(database, replicaSchema));
    SIGESS_TRY(database.exec("PRAGMA wal_autocheckpoint = " + std::to_string(walCheckpointPages)));
    Result<Statement> last = database.prepare("SELECT last_stamp FROM sync_clock WHERE singleton = 1");
    if (!last.ok())
        return last.takeError();
    Result<bool> row = last->step();
    if (!row.ok())
        return row.takeError();
    // The clock starts from the wall time; a device restarted with its wall clock set
    // back would otherwise stamp new changes below its own earlier ones. When it is set
    // back further than the clock's allowed drift, stamps restart from the wall time.
    if (*row)
        static_cast<void>(
            clock.receive(core::HlcStamp::unpack(static_cast<std::uint64_t>(last->columnInt64(0)))));
    return Replica(database, std::move(deviceId), clock, ids, limits);
}

namespace {

// The stored entity from its row's columns data, clock, confirmed_data, confirmed_clock
// and confirmed_is_shown, the first at `first`.
template <typename StoredEntity>
Result<StoredEntity> storedFrom(const EntityKind &kind, const Statement &row, int first)
{
    Result<EntityState> shown = EntityState::load(kind, row.columnBlob(first), row.columnBlob(first + 1));
    if (!shown.ok())
        return shown.takeError();
    StoredEntity stored { std::move(shown).value(), std::nullopt, row.columnInt64(first + 4) != 0 };
    if (!row.columnIsNull(first + 2)) {
        Result<EntityState> confirmed = EntityState::load(kind, row.columnBlob(first + 2), row.columnBlob(first + 3));
        if (!confirmed.ok())
            return confirmed.takeError();
        stored.confirmed = std::move(confirmed).value();
    }
    return stored;
}

} // namespace

Result<std::optional<Replica::StoredEntity>> Replica::loadStored(const EntityKind &kind, std::string_view id)
{
    Result<Statement> select = m_database->prepare("SELECT data, clock, confirmed_data, confirmed_clock, "
                                                   "confirmed_is_shown FROM sync_entity WHERE type = ? AND id = ?");
    if (!select.ok())
        return select.takeError();
    select->bindInt64(1, kind.type).bindText(2, id);
    Result<bool> row = select->step();
    if (!row.ok())
        return row.takeError();
    if (!*row)
        return std::optional<StoredEntity>();
    Result<StoredEntity> stored = storedFrom<StoredEntity>(kind, *select, 0);
    if (!stored.ok())
        return stored.takeError();
    return std::optional<StoredEntity>(std::move(stored).value());
}

Status Replica::saveShown(const EntityState &shown)
{
    // The right-hand sides read the row as it was, so a confirmed state that was the
    // shown one is copied out before the shown one changes.
    Result<Statement> upsert = m_database->prepare(
        "INSERT INTO sync_entity (type, id, data, clock) VALUES (?, ?, ?, ?) ON CONFLICT (type, id) DO UPDATE SET "
        "confirmed_data = CASE WHEN confirmed_is_shown THEN data ELSE confirmed_data END, "
        "confirmed_clock = CASE WHEN confirmed_is_shown THEN clock ELSE confirmed_clock END, "
        "confirmed_is_shown = 0, data = excluded.data, clock = excluded.clock");
    if (!upsert.ok())
        return upsert.takeError();
    return upsert->bindInt64(1, shown.kind->type)
        .bindText(2, shown.meta().id())
        .bindBlob(3, shown.message->SerializeAsString())
        .bindBlob(4, shown.clock.serialize())
        .run();
}

Status Replica::writeEntities(std::span<const EntityWrite> writes)
{
    // Each row of a chunk serializes into buffers of its own, bound as views: they live
    // until the chunk's statement has run, and the next chunk reuses their capacity, so
    // a frame's thousands of entities cost neither an allocation nor a copy apiece.
    constexpr int columns = 7;
    std::array<std::array<std::string, 4>, chunkRows.front()> buffers;
    const auto bindBytes = [](Statement &statement, int index, std::string &buffer, const Message &message) {
        buffer.clear();
        message.AppendToString(&buffer);
        statement.bindBlobView(index, buffer);
    };
    const auto bindClock = [](Statement &statement, int index, std::string &buffer, const FieldClock &clock) {
        buffer = clock.serialize();
        statement.bindBlobView(index, buffer);
    };
    return runInChunks(*m_database,
        "INSERT INTO sync_entity (type, id, data, clock, confirmed_data, confirmed_clock, confirmed_is_shown) VALUES ",
        columns,
        " ON CONFLICT (type, id) DO UPDATE SET data = excluded.data, clock = excluded.clock, "
        "confirmed_data = excluded.confirmed_data, confirmed_clock = excluded.confirmed_clock, "
        "confirmed_is_shown = excluded.confirmed_is_shown",
        writes.size(), [&](Statement &statement, int first, std::size_t index) {
            const EntityWrite &write = writes[index];
            std::array<std::string, 4> &row = buffers[static_cast<std::size_t>((first - 1) / columns)];
            statement.bindInt64(first, write.shown->kind->type)
                .bindTextView(first + 1, write.shown->meta().id())
                .bindInt64(first + 6, write.confirmed == nullptr ? 1 : 0);
            bindBytes(statement, first + 2, row[0], *write.shown->message);
            bindClock(statement, first + 3, row[1], write.shown->clock);
            if (write.confirmed == nullptr) {
                statement.bindNull(first + 4).bindNull(first + 5);
            } else {
                bindBytes(statement, first + 4, row[2], *write.confirmed->message);
                bindClock(statement, first + 5, row[3], write.confirmed->clock);
            }
        });
}

Result<v1::Operation> Replica::recordChange(
    v1::EntityType type, const Message &patch, const std::vector<int> &fields)
{
    Result<Transaction> transaction = Transaction::begin(*m_database);
    if (!transaction.ok())
        return transaction.takeError();
    if (findEntityKind(patch.GetDescriptor()) == nullptr)
        return invalid("a " + patch.GetDescriptor()->name() + " is not an entity that sync replicates");
    Result<v1::Operation> operation = recordInTransaction(type, patch, fields, entityMeta(patch).id());
    if (operation.ok())
        SIGESS_TRY(transaction->commit());
    return operation;
}

Result<v1::Operation> Replica::recordInTransaction(
    v1::EntityType type, const Message &patch, const std::vector<int> &fields, std::string entityId)
{
    Result<const EntityKind *> kind = kindOf(type);
    if (!kind.ok())
        return kind.takeError();
    if (patch.GetDescriptor() != (*kind)->descriptor())
        return invalid("a change to a " + std::string((*kind)->name()) + " needs a "
            + std::string((*kind)->name()) + " message, not a " + patch.GetDescriptor()->name());
    if (entityId.empty())
        entityId = m_ids->next().toString();
    Result<std::optional<StoredEntity>> stored = loadStored(**kind, entityId);
    if (!stored.ok())
        return stored.takeError();
    EntityState shown = stored->has_value() ? std::move((*stored)->shown) : EntityState::blank(**kind);
    const bool exists = shown.created();
    const bool appendOnly = (*kind)->writeRule == WriteRule::AppendOnly;
    if (appendOnly && exists)
        return makeError(ErrorCode::Conflict,
            "the " + std::string((*kind)->name()) + " " + entityId
                + " is append-only and already exists: record a new one instead");

    v1::Operation operation;
    operation.set_kind(appendOnly ? v1::OP_KIND_APPEND : exists ? v1::OP_KIND_UPDATE : v1::OP_KIND_CREATE);
    // The patch carries only what the operation lists: callers may pass a whole edited
    // entity and name the fields they changed.
    std::unique_ptr<Message> values(patch.New());
    values->CopyFrom(patch);
    for (int i = 0; i < values->GetDescriptor()->field_count(); ++i) {
        const FieldDescriptor *field = values->GetDescriptor()->field(i);
        if (field->number() != metaFieldNumber
            && std::find(fields.begin(), fields.end(), field->number()) == fields.end())
            values->GetReflection()->ClearField(values.get(), field);
    }
    v1::EntityMeta &meta = mutableEntityMeta(*values);
    std::string presidio = operation.kind() == v1::OP_KIND_UPDATE ? std::string() : meta.presidio();
    meta.Clear();
    meta.set_presidio(std::move(presidio));

    const core::HlcStamp stamp = m_clock->now();
    operation.set_op_id(m_ids->next().toString());
    *operation.mutable_hlc() = stamp.toProto();
    operation.set_device(m_deviceId);
    operation.set_entity_type(type);
    operation.set_entity_id(entityId);
    for (const int field : fields)
        operation.add_fields(static_cast<std::uint32_t>(field));
    operation.set_patch(values->SerializeAsString());

    Result<DecodedOperation> decoded = decodeOperation(operation, m_limits);
    if (!decoded.ok())
        return decoded.takeError();
    SIGESS_TRY(applyOperation(*decoded, shown));
    SIGESS_TRY(saveShown(shown));
    Result<Statement> queue = m_database->prepare("INSERT INTO sync_outbox (op_id, entity_type, entity_id, "
                                                  "operation, state) VALUES (?, ?, ?, ?, 'pending')");
    if (!queue.ok())
        return queue.takeError();
    SIGESS_TRY(queue->bindText(1, operation.op_id())
                   .bindInt64(2, type)
                   .bindText(3, entityId)
                   .bindBlob(4, operation.SerializeAsString())
                   .run());
    Result<Statement> remember
        = m_database->prepare("INSERT INTO sync_clock (singleton, last_stamp) VALUES (1, ?) "
                              "ON CONFLICT (singleton) DO UPDATE SET last_stamp = excluded.last_stamp");
    if (!remember.ok())
        return remember.takeError();
    SIGESS_TRY(remember->bindInt64(1, static_cast<std::int64_t>(stamp.pack())).run());
    return operation;
}

Result<std::vector<v1::Operation>> Replica::pendingBatch(std::size_t maxOps)
{
    Result<Transaction> transaction = Transaction::begin(*m_database);
    if (!transaction.ok())
        return transaction.takeError();
    std::vector<v1::Operation> batch;
    {
        Result<Statement> select = m_database->prepare(
            "SELECT operation FROM sync_outbox WHERE state = 'pending' ORDER BY seq LIMIT ?");
        if (!select.ok())
            return select.takeError();
        select->bindInt64(1, static_cast<std::int64_t>(maxOps));
        SIGESS_TRY(select->forEachRow([&batch](const Statement &row) -> Status {
            Result<v1::Operation> operation = parseStoredOperation(row.columnBlob(0));
            if (!operation.ok())
                return operation.takeError();
            batch.push_back(std::move(operation).value());
            return {};
        }));
    }
    Result<Statement> mark = m_database->prepare("UPDATE sync_outbox SET state = 'sent' WHERE op_id = ?");
    if (!mark.ok())
        return mark.takeError();
    for (const v1::Operation &operation : batch)
        SIGESS_TRY(mark->bindText(1, operation.op_id()).run());
    SIGESS_TRY(transaction->commit());
    return batch;
}

Status Replica::resendUnacknowledged()
{
    return m_database->exec("UPDATE sync_outbox SET state = 'pending' WHERE state = 'sent'");
}

namespace {

// An entity a batch of confirmed operations is merged into. With nothing of it queued,
// its shown and confirmed states are one (`shown`); otherwise they are kept apart.
struct MergingEntity {
    EntityState shown;
    std::optional<EntityState> confirmed;
    bool touched = false;
};

} // namespace

Status Replica::applyConfirmed(std::vector<DecodedOperation> &decoded)
{
    if (decoded.empty())
        return {};

    // The frame's op ids as 16-byte keys end to end: bound as one blob, which the look-up
    // cuts apart, and viewed by the sets below (a stored id found is one of the frame's).
    std::string opKeys;
    opKeys.reserve(decoded.size() * uuidBytes);
    for (const DecodedOperation &operation : decoded)
        appendUuidBytes(opKeys, operation.opId);
    const auto opKey = [&opKeys](std::size_t index) {
        return std::string_view(opKeys).substr(index * uuidBytes, uuidBytes);
    };
    std::unordered_set<std::string_view> inFrame;
    inFrame.reserve(decoded.size());
    for (std::size_t index = 0; index < decoded.size(); ++index)
        inFrame.insert(opKey(index));
    std::unordered_set<std::string_view> applied;
    applied.reserve(decoded.size());
    {
        Result<Statement> select = m_database->prepare(
            "WITH RECURSIVE at (position) AS (SELECT 1 UNION ALL SELECT position + 16 FROM at "
            "WHERE position + 16 <= length(?1)) "
            "SELECT op_id FROM sync_applied WHERE op_id IN (SELECT substr(?1, position, 16) FROM at)");
        if (!select.ok())
            return select.takeError();
        select->bindBlobView(1, opKeys);
        SIGESS_TRY(select->forEachRow([&applied, &inFrame](const Statement &row) -> Status {
            if (const auto found = inFrame.find(row.columnBlob(0)); found != inFrame.end())
                applied.insert(*found);
            return {};
        }));
    }

    std::map<EntityKey, MergingEntity> entities;
    std::vector<EntityKey> keys;
    for (std::size_t index = 0; index < decoded.size(); ++index) {
        const DecodedOperation &operation = decoded[index];
        const EntityKey key { operation.kind->type, operation.entityId };
        if (!applied.contains(opKey(index)) && !entities.contains(key)) {
            entities.emplace(key, MergingEntity { EntityState::blank(*operation.kind), std::nullopt });
            keys.push_back(key);
        }
    }
    const std::map<v1::EntityType, std::string> idsByType = jsonIdsByType(keys);
    Result<bool> anyQueued = outboxHoldsAny();
    if (!anyQueued.ok())
        return anyQueued.takeError();
    // With the outbox empty (all of a first download) no entity has operations queued.
    if (*anyQueued) {
        Result<Statement> select
            = m_database->prepare("SELECT DISTINCT entity_type, entity_id FROM sync_outbox "
                                  "WHERE entity_type = ? AND entity_id IN (SELECT value FROM json_each(?))");
        if (!select.ok())
            return select.takeError();
        for (const auto &[type, ids] : idsByType) {
            select->reset();
            select->bindInt64(1, type).bindTextView(2, ids);
            SIGESS_TRY(select->forEachRow([&entities](const Statement &row) -> Status {
                MergingEntity &queued = entities.at(entityKeyOf(row));
                queued.confirmed = queued.shown.clone();
                return {};
            }));
        }
    }
    {
        Result<Statement> select
            = m_database->prepare("SELECT type, id, data, clock, confirmed_data, confirmed_clock, "
                                  "confirmed_is_shown FROM sync_entity "
                                  "WHERE type = ? AND id IN (SELECT value FROM json_each(?))");
        if (!select.ok())
            return select.takeError();
        for (const auto &[type, ids] : idsByType) {
            select->reset();
            select->bindInt64(1, type).bindTextView(2, ids);
            SIGESS_TRY(select->forEachRow([&entities](const Statement &row) -> Status {
                MergingEntity &entity = entities.at(entityKeyOf(row));
                Result<StoredEntity> stored = storedFrom<StoredEntity>(*entity.shown.kind, row, 2);
                if (!stored.ok())
                    return stored.takeError();
                // With nothing queued the shown state is the confirmed one rebuilt; with
                // operations queued both are kept as stored.
                if (entity.confirmed) {
                    if (stored->confirmed)
                        entity.confirmed = std::move(*stored->confirmed);
                    else if (stored->confirmedIsShown)
                        entity.confirmed = stored->shown.clone();
                    entity.shown = std::move(stored->shown);
                } else if (stored->confirmed) {
                    entity.shown = std::move(*stored->confirmed);
                } else if (stored->confirmedIsShown) {
                    entity.shown = std::move(stored->shown);
                }
                return {};
            }));
        }
    }

    std::vector<std::string_view> newlyApplied;
    for (std::size_t index = 0; index < decoded.size(); ++index) {
        if (!applied.emplace(opKey(index)).second)
            continue;
        DecodedOperation &operation = decoded[index];
        MergingEntity &entity = entities.at(EntityKey { operation.kind->type, operation.entityId });
        if (entity.confirmed)
            SIGESS_TRY(applyOperation(operation, *entity.confirmed));
        SIGESS_TRY(applyOperationTakingPatch(operation, entity.shown));
        entity.touched = true;
        newlyApplied.push_back(opKey(index));
    }
    std::vector<EntityWrite> writes;
    for (const auto &[key, entity] : entities) {
        if (entity.touched)
            writes.push_back(EntityWrite { &entity.shown, entity.confirmed ? &*entity.confirmed : nullptr });
    }
    SIGESS_TRY(writeEntities(writes));
    return runInChunks(*m_database, "INSERT INTO sync_applied (op_id) VALUES ", 1, "", newlyApplied.size(),
        [&newlyApplied](Statement &statement, int first, std::size_t index) {
            statement.bindBlobView(first, newlyApplied[index]);
        });
}

Result<bool> Replica::outboxHoldsAny()
{
    Result<Statement> select = m_database->prepare("SELECT EXISTS (SELECT 1 FROM sync_outbox)");
    if (!select.ok())
        return select.takeError();
    Result<bool> row = select->step();
    if (!row.ok())
        return row.takeError();
    return select->columnInt64(0) != 0;
}

Status Replica::acknowledge(const v1::Ack &ack)
{
    Result<Transaction> transaction = Transaction::begin(*m_database);
    if (!transaction.ok())
        return transaction.takeError();
    // Accepted operations leave the outbox first, so that an entity left with nothing
    // queued is merged as settled.
    std::vector<v1::Operation> accepted;
    {
        Result<Statement> remove = m_database->prepare("DELETE FROM sync_outbox WHERE op_id = ? RETURNING operation");
        if (!remove.ok())
            return remove.takeError();
        for (const std::string &opId : ack.accepted()) {
            Result<bool> row = remove->bindText(1, opId).step();
            if (!row.ok())
                return row.takeError();
            if (!*row) {
                remove->reset();
                continue;
            }
            Result<v1::Operation> operation = parseStoredOperation(remove->columnBlob(0));
            if (!operation.ok())
                return operation.takeError();
            accepted.push_back(std::move(operation).value());
            SIGESS_TRY(remove->run());
        }
    }
    std::vector<DecodedOperation> decoded;
    decoded.reserve(accepted.size());
    for (const v1::Operation &operation : accepted) {
        Result<DecodedOperation> one = decodeOperation(operation, m_limits);
        if (!one.ok())
            return one.takeError();
        decoded.push_back(std::move(one).value());
    }
    SIGESS_TRY(applyConfirmed(decoded));
    for (const v1::Rejection &rejection : ack.rejected())
        SIGESS_TRY(reject(rejection));
    // With the operations now confirmed, a replica that has never pulled names the log
    // they were stored in from its next Pull on, so that a restore that lost them resets
    // it as it resets the replicas that pulled.
    if (!ack.start_cursor().empty())
        SIGESS_TRY(storeCursor(ack.start_cursor(), CursorWrite::IfEmpty));
    return transaction->commit();
}

Status Replica::reject(const v1::Rejection &rejection)
{
    Result<Statement> select = m_database->prepare(
        "SELECT seq, entity_type, entity_id, operation FROM sync_outbox WHERE op_id = ?");
    if (!select.ok())
        return select.takeError();
    select->bindText(1, rejection.op_id());
    Result<bool> row = select->step();
    if (!row.ok())
        return row.takeError();
    if (!*row)
        return {};
    const std::int64_t seq = select->columnInt64(0);
    const auto type = static_cast<v1::EntityType>(select->columnInt64(1));
    const std::string entityId(select->columnText(2));
    const std::string operation(select->columnBlob(3));
    Result<const EntityKind *> kind = kindOf(type);
    if (!kind.ok())
        return kind.takeError();

    Result<Statement> review = m_database->prepare(
        "INSERT INTO sync_review (op_id, seq, entity_type, entity_id, operation, code, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!review.ok())
        return review.takeError();
    SIGESS_TRY(review->bindText(1, rejection.op_id())
                   .bindInt64(2, seq)
                   .bindInt64(3, type)
                   .bindText(4, entityId)
                   .bindBlob(5, operation)
                   .bindText(6, rejection.code())
                   .bindText(7, rejection.reason())
                   .run());
    Result<Statement> remove = m_database->prepare("DELETE FROM sync_outbox WHERE op_id = ?");
    if (!remove.ok())
        return remove.takeError();
    SIGESS_TRY(remove->bindText(1, rejection.op_id()).run());
    return rebuildShown(**kind, entityId);
}

Status Replica::dropServerRecords()
{
    SIGESS_TRY(m_database->exec("DELETE FROM sync_entity; DELETE FROM sync_applied; DELETE FROM sync_cursor"));
    Result<Statement> queued = m_database->prepare(
        "SELECT entity_type, entity_id FROM sync_outbox GROUP BY entity_type, entity_id ORDER BY min(seq)");
    if (!queued.ok())
        return queued.takeError();
    std::vector<std::pair<v1::EntityType, std::string>> entities;
    SIGESS_TRY(queued->forEachRow([&entities](const Statement &row) -> Status {
        entities.emplace_back(static_cast<v1::EntityType>(row.columnInt64(0)), std::string(row.columnText(1)));
        return {};
    }));
    for (const auto &[type, id] : entities) {
        Result<const EntityKind *> kind = kindOf(type);
        if (!kind.ok())
            return kind.takeError();
        SIGESS_TRY(rebuildShown(**kind, id));
    }
    return {};
}

Status Replica::rebuildShown(const EntityKind &kind, const std::string &entityId)
{
    Result<std::optional<StoredEntity>> stored = loadStored(kind, entityId);
    if (!stored.ok())
        return stored.takeError();
    StoredEntity entity = stored->has_value() ? std::move(**stored)
                                              : StoredEntity { EntityState::blank(kind), std::nullopt, false };
    const bool confirmed = entity.confirmed.has_value() || entity.confirmedIsShown;
    EntityState shown = entity.confirmed ? std::move(*entity.confirmed)
        : entity.confirmedIsShown        ? std::move(entity.shown)
                                         : EntityState::blank(kind);
    bool queued = false;
    {
        Result<Statement> select = m_database->prepare(
            "SELECT operation FROM sync_outbox WHERE entity_type = ? AND entity_id = ? ORDER BY seq");
        if (!select.ok())
            return select.takeError();
        select->bindInt64(1, kind.type).bindText(2, entityId);
        SIGESS_TRY(select->forEachRow([this, &shown, &queued](const Statement &row) -> Status {
            Result<v1::Operation> operation = parseStoredOperation(row.columnBlob(0));
            if (!operation.ok())
                return operation.takeError();
            queued = true;
            return applyOperation(*operation, shown, m_limits);
        }));
    }
    if (confirmed || queued)
        return saveShown(shown);
    // Only refused operations ever made this entity: the server never had it.
    Result<Statement> remove = m_database->prepare("DELETE FROM sync_entity WHERE type = ? AND id = ?");
    if (!remove.ok())
        return remove.takeError();
    return remove->bindInt64(1, kind.type).bindText(2, entityId).run();
}

Result<std::string> Replica::cursor()
{
    Result<Statement> select = m_database->prepare("SELECT cursor FROM sync_cursor WHERE singleton = 1");
    if (!select.ok())
        return select.takeError();
    Result<bool> row = select->step();
    if (!row.ok())
        return row.takeError();
    return *row ? std::string(select->columnBlob(0)) : std::string();
}

Result<std::vector<DecodedOperation>> Replica::decodeChanges(
    const v1::Changes &changes, const OperationLimits &limits)
{
    std::vector<DecodedOperation> decoded;
    decoded.reserve(static_cast<std::size_t>(changes.ops_size()));
    for (const v1::Operation &operation : changes.ops()) {
        Result<DecodedOperation> one = decodeOperation(operation, limits);
        if (!one.ok())
            return one.takeError();
        decoded.push_back(std::move(one).value());
    }
    return decoded;
}

Status Replica::applyChanges(const v1::Changes &changes, std::string_view pulledFrom)
{
    Result<std::vector<DecodedOperation>> decoded = decodeChanges(changes, m_limits);
    if (!decoded.ok())
        return decoded.takeError();
    return applyChanges(changes, *decoded, pulledFrom);
}

Status Replica::applyChanges(
    const v1::Changes &changes, std::vector<DecodedOperation> &decoded, std::string_view pulledFrom)
{
    Result<Transaction> transaction = Transaction::begin(*m_database);
    if (!transaction.ok())
        return transaction.takeError();
    Result<std::string> current = cursor();
    if (!current.ok())
        return current.takeError();
    const bool follows = *current == pulledFrom;
    // A reset that does not follow the cursor answered a Pull the replica has moved on
    // from, maybe through that reset itself: merging its operations is all it may do.
    if (changes.reset() && follows)
        SIGESS_TRY(dropServerRecords());
    SIGESS_TRY(applyConfirmed(decoded));
    // Whatever this device writes next must order after what it has seen. A stamp
    // further ahead than the clock's allowed drift is still merged (the server accepted
    // it) but does not drag this device's clock along.
    for (const DecodedOperation &operation : decoded)
        static_cast<void>(m_clock->receive(operation.stamp));
    if (changes.evicted_size() > 0) {
        Result<Statement> drop = m_database->prepare("DELETE FROM sync_entity WHERE type = ? AND id = ?");
        if (!drop.ok())
            return drop.takeError();
        for (const v1::EntityRef &evicted : changes.evicted()) {
            drop->reset();
            SIGESS_TRY(drop->bindInt64(1, evicted.type()).bindText(2, evicted.id()).run());
        }
    }
    if (follows)
        SIGESS_TRY(storeCursor(changes.next_cursor(), CursorWrite::Always));
    return transaction->commit();
}

Status Replica::storeCursor(std::string_view cursor, CursorWrite write)
{
    Result<Statement> store = m_database->prepare(
        std::string("INSERT INTO sync_cursor (singleton, cursor) VALUES (1, ?) "
                    "ON CONFLICT (singleton) DO UPDATE SET cursor = excluded.cursor")
        + (write == CursorWrite::IfEmpty ? " WHERE length(sync_cursor.cursor) = 0" : ""));
    if (!store.ok())
        return store.takeError();
    return store->bindBlob(1, cursor).run();
}

Status Replica::checkpoint()
{
    Result<store::Database::WalProgress> progress = m_database->checkpointPassive();
    if (!progress.ok())
        return progress.takeError();
    return {};
}

Result<std::optional<EntityState>> Replica::entity(v1::EntityType type, std::string_view id)
{
    Result<const EntityKind *> kind = kindOf(type);
    if (!kind.ok())
        return kind.takeError();
    Result<std::optional<StoredEntity>> stored = loadStored(**kind, id);
    if (!stored.ok())
        return stored.takeError();
    if (!stored->has_value())
        return std::optional<EntityState>();
    return std::optional<EntityState>(std::move((*stored)->shown));
}

Result<std::vector<EntityState>> Replica::entities(v1::EntityType type)
{
    Result<const EntityKind *> kind = kindOf(type);
    if (!kind.ok())
        return kind.takeError();
    Result<Statement> select
        = m_database->prepare("SELECT data, clock FROM sync_entity WHERE type = ? ORDER BY id");
    if (!select.ok())
        return select.takeError();
    select->bindInt64(1, type);
    std::vector<EntityState> found;
    SIGESS_TRY(select->forEachRow([&found, &kind](const Statement &row) -> Status {
        Result<EntityState> entity = EntityState::load(**kind, row.columnBlob(0), row.columnBlob(1));
        if (!entity.ok())
            return entity.takeError();
        found.push_back(std::move(entity).value());
        return {};
    }));
    return found;
}

Result<std::size_t> Replica::outboxSize()
{
    Result<Statement> select = m_database->prepare("SELECT count(*) FROM sync_outbox");
    if (!select.ok())
        return select.takeError();
    Result<bool> row = select->step();
    if (!row.ok())
        return row.takeError();
    return static_cast<std::size_t>(select->columnInt64(0));
}

Result<std::vector<ReviewItem>> Replica::reviewList()
{
    Result<Statement> select
        = m_database->prepare("SELECT operation, op_id, code, reason FROM sync_review ORDER BY seq");
    if (!select.ok())
        return select.takeError();
    std::vector<ReviewItem> items;
    SIGESS_TRY(select->forEachRow([&items](const Statement &row) -> Status {
        Result<v1::Operation> operation = parseStoredOperation(row.columnBlob(0));
        if (!operation.ok())
            return operation.takeError();
        ReviewItem item { std::move(operation).value(), {} };
        item.rejection.set_op_id(std::string(row.columnText(1)));
        item.rejection.set_code(std::string(row.columnText(2)));
        item.rejection.set_reason(std::string(row.columnText(3)));
        items.push_back(std::move(item));
        return {};
    }));
    return items;
}

Status Replica::discard(std::string_view opId)
{
    Result<Statement> remove = m_database->prepare("DELETE FROM sync_review WHERE op_id = ? RETURNING op_id");
    if (!remove.ok())
        return remove.takeError();
    Result<bool> row = remove->bindText(1, opId).step();
    if (!row.ok())
        return row.takeError();
    if (!*row)
        return makeError(ErrorCode::NotFound, "the review list holds no operation " + std::string(opId));
    return remove->run();
}

Result<v1::Operation> Replica::fix(
    std::string_view opId, const Message &patch, const std::vector<int> &fields)
{
    Result<Transaction> transaction = Transaction::begin(*m_database);
    if (!transaction.ok())
        return transaction.takeError();
    std::string rejected;
    {
        Result<Statement> remove
            = m_database->prepare("DELETE FROM sync_review WHERE op_id = ? RETURNING operation");
        if (!remove.ok())
            return remove.takeError();
        Result<bool> row = remove->bindText(1, opId).step();
        if (!row.ok())
            return row.takeError();
        if (!*row)
            return makeError(ErrorCode::NotFound, "the review list holds no operation " + std::string(opId));
        rejected = std::string(remove->columnBlob(0));
        SIGESS_TRY(remove->run());
    }
    Result<v1::Operation> original = parseStoredOperation(rejected);
    if (!original.ok())
        return original.takeError();
    Result<v1::Operation> replacement
        = recordInTransaction(original->entity_type(), patch, fields, original->entity_id());
    if (replacement.ok())
        SIGESS_TRY(transaction->commit());
    return replacement;
}

Result<std::size_t> Replica::purgeAcknowledged(v1::EntityType type, const std::vector<int> &fields)
{
    Result<const EntityKind *> kind = kindOf(type);
    if (!kind.ok())
        return kind.takeError();
    SIGESS_TRY(checkPurgeFields(**kind, fields));
    Result<Transaction> transaction = Transaction::begin(*m_database);
    if (!transaction.ok())
        return transaction.takeError();
    std::vector<std::string> ids;
    {
        Result<Statement> select = m_database->prepare(
            "SELECT id FROM sync_entity e WHERE type = ?1 "
            "AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity_type = ?1 AND o.entity_id = e.id) "
            "AND NOT EXISTS (SELECT 1 FROM sync_review r WHERE r.entity_type = ?1 AND r.entity_id = e.id)");
        if (!select.ok())
            return select.takeError();
        select->bindInt64(1, type);
        SIGESS_TRY(select->forEachRow([&ids](const Statement &row) -> Status {
            ids.emplace_back(row.columnText(0));
            return {};
        }));
    }
    std::size_t purged = 0;
    for (const std::string &id : ids) {
        Result<std::optional<StoredEntity>> stored = loadStored(**kind, id);
        if (!stored.ok())
            return stored.takeError();
        StoredEntity &entity = **stored;
        bool cleared = clearFields(*entity.shown.message, fields);
        if (entity.confirmed) {
            cleared = clearFields(*entity.confirmed->message, fields) || cleared;
            const EntityWrite write { &entity.shown, &*entity.confirmed };
            SIGESS_TRY(writeEntities({ &write, 1 }));
        } else if (entity.confirmedIsShown) {
            const EntityWrite write { &entity.shown, nullptr };
            SIGESS_TRY(writeEntities({ &write, 1 }));
        } else {
            SIGESS_TRY(saveShown(entity.shown));
        }
        purged += cleared ? 1 : 0;
    }
    SIGESS_TRY(transaction->commit());
    return purged;
}

} // namespace sigess::sync
