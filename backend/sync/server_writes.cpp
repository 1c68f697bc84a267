#include "sync/server_writes.h"

#include "sync/record_projection.h"
#include "sync/sync_repository.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>

#include <utility>

namespace sigess::syncserver {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The fields of `wanted` that differ from `held`, meta excluded.
std::vector<const FieldDescriptor *> changedFields(const Message &wanted, const Message &held)
{
    std::vector<const FieldDescriptor *> changed;
    google::protobuf::util::MessageDifferencer differencer;
    const auto *descriptor = wanted.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *field = descriptor->field(i);
        if (field->number() == sync::metaFieldNumber)
            continue;
        if (!differencer.CompareWithFields(wanted, held, {field}, {field}))
            changed.push_back(field);
    }
    return changed;
}

std::vector<const FieldDescriptor *> allFields(const Message &entity)
{
    std::vector<const FieldDescriptor *> fields;
    const auto *descriptor = entity.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        if (descriptor->field(i)->number() != sync::metaFieldNumber)
            fields.push_back(descriptor->field(i));
    }
    return fields;
}

// The wanted entity reduced to the listed fields, with the presidio as the only meta
// and only on a creation, as decodeOperation() requires of every patch.
std::string patchOf(const Message &wanted, const std::vector<const FieldDescriptor *> &fields, bool creates)
{
    std::unique_ptr<Message> patch(wanted.New());
    patch->CopyFrom(wanted);
    const auto *reflection = patch->GetReflection();
    const auto *descriptor = patch->GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *field = descriptor->field(i);
        if (field->number() != sync::metaFieldNumber && std::find(fields.begin(), fields.end(), field) == fields.end())
            reflection->ClearField(patch.get(), field);
    }
    const std::string presidio = sync::entityMeta(wanted).presidio();
    v1::EntityMeta &meta = sync::mutableEntityMeta(*patch);
    meta.Clear();
    if (creates)
        meta.set_presidio(presidio);
    return patch->SerializeAsString();
}

// Writes the merged entity and its API table row, and returns its scope. Errors:
// Conflict, in the operator's words (record_projection.h), when the table refuses the
// row (a codice fiscale or ticket number already taken) or an Insert finds the entity
// held; Invalid when the merged entity lacks what its table requires (a case without a
// citizen).
Result<ChangeScope> storeEntity(storage::SqlExecutor &transaction, const sync::EntityState &merged, RowWrite rowWrite)
{
    SyncRepository repository(transaction);
    Result<ChangeScope> change = scopeOfEntity(repository, merged.kind->type, *merged.message);
    if (!change.ok())
        return change;
    if (rowWrite == RowWrite::Insert) {
        Status inserted = repository.insertEntity(merged, change->assigned);
        if (!inserted.ok())
            return inserted.error().code == ErrorCode::Conflict
                       ? makeError(ErrorCode::Conflict, alreadyRegistered(*merged.kind, merged.meta().id()))
                       : inserted.takeError();
    } else {
        SIGESS_TRY(repository.saveEntity(merged, change->assigned));
    }
    // In a savepoint, so that a refused row can be explained in the transaction after it.
    Status projected = transaction.transaction(
        [&](storage::SqlExecutor &savepoint) { return projectRecord(savepoint, merged, rowWrite); });
    if (!projected.ok())
        return projected.error().code == ErrorCode::Conflict ? explainRefusal(transaction, {&merged, rowWrite})
                                                              : projected.takeError();
    return change;
}

} // namespace

void PendingChanges::add(ChangeScope change, std::int64_t sequence)
{
    changes.push_back(std::move(change));
    latest = std::max(latest, sequence);
}

void PendingChanges::publishTo(ChangeFeed &feed, const void *origin) const
{
    if (!changes.empty())
        feed.publish(changes, latest, origin);
}

ServerWrites::ServerWrites(storage::SqlExecutor &transaction, core::HybridLogicalClock &hlc,
                           core::UuidV7Generator &ids)
    : m_transaction(transaction), m_hlc(hlc), m_ids(ids)
{
}

Status ServerWrites::write(Message &entity)
{
    return writeStamped(entity, std::nullopt, Mode::CreateOrUpdate);
}

Status ServerWrites::create(Message &entity)
{
    return writeStamped(entity, std::nullopt, Mode::CreateOnly);
}

Status ServerWrites::create(Message &entity, core::HlcStamp stamp)
{
    return writeStamped(entity, stamp, Mode::CreateOnly);
}

Result<std::vector<sync::EntityState>> ServerWrites::lockRecords(const sync::EntityKind &kind,
                                                                 const std::vector<std::string> &ids)
{
    std::vector<sync::EntityState> locked;
    const auto keep = [&](std::string, sync::EntityState entity) -> Status {
        locked.push_back(std::move(entity));
        return {};
    };
    SIGESS_TRY(SyncRepository(m_transaction).lockEntities({{kind.type, ids}}, keep));
    return locked;
}

Result<PendingChanges> ServerWrites::finish()
{
    Result<std::int64_t> first = SyncRepository(m_transaction).appendToLog(m_unlogged);
    if (!first.ok())
        return first.takeError();
    for (std::size_t i = 0; i < m_unlogged.size(); ++i)
        m_logged.add(std::move(m_unlogged[i].scope), *first + static_cast<std::int64_t>(i));
    m_unlogged.clear();
    m_operations.clear();
    return m_logged;
}

Status ServerWrites::writeStamped(Message &entity, std::optional<core::HlcStamp> stamp, Mode mode)
{
    const sync::EntityKind *kind = sync::findEntityKind(entity.GetDescriptor());
    if (kind == nullptr)
        return makeError(ErrorCode::Invalid, entity.GetTypeName() + " is not a replicated entity");
    const std::string id = sync::entityMeta(entity).id();
    if (id.empty())
        return makeError(ErrorCode::Invalid, "the server writes a " + std::string(kind->name()) + " only with its id");
    SyncRepository repository(m_transaction);
    // A creation need not read: the insert itself refuses an entity already held, and
    // waits for a transaction that is inserting it.
    Result<std::optional<sync::EntityState>> held = std::optional<sync::EntityState>();
    if (mode == Mode::CreateOrUpdate)
        held = repository.lockEntity(*kind, id);
    if (!held.ok())
        return held.takeError();
    const bool creates = !held->has_value() || !(*held)->created();
    const std::vector<const FieldDescriptor *> fields
        = creates ? allFields(entity) : changedFields(entity, *(*held)->message);
    if (fields.empty()) {
        entity.CopyFrom(*(*held)->message);
        return {};
    }
    if (!creates && kind->writeRule == sync::WriteRule::AppendOnly)
        return makeError(ErrorCode::Conflict,
                         "the " + std::string(kind->name()) + " " + id + " is append-only and already written");

    if (!stamp) {
        stamp = m_hlc.now();
        // A device's stamp may run ahead of our wall clock; the server's edit comes after
        // what it has seen, so it must not lose to it.
        if (!creates && (*held)->meta().has_updated()) {
            const core::HlcStamp seen{(*held)->meta().updated().wall_ms(), (*held)->meta().updated().counter()};
            if (!(seen < *stamp)) {
                if (Result<core::HlcStamp> after = m_hlc.receive(seen); after.ok())
                    stamp = *after;
            }
        }
    }

    v1::Operation &operation = m_operations.emplace_back();
    operation.set_op_id(m_ids.next().toString());
    *operation.mutable_hlc() = stamp->toProto();
    operation.set_device(std::string(serverDeviceId));
    operation.set_entity_type(kind->type);
    operation.set_entity_id(id);
    operation.set_kind(kind->writeRule == sync::WriteRule::AppendOnly ? v1::OP_KIND_APPEND
                       : creates                                     ? v1::OP_KIND_CREATE
                                                                     : v1::OP_KIND_UPDATE);
    for (const FieldDescriptor *field : fields)
        operation.add_fields(static_cast<std::uint32_t>(field->number()));
    operation.set_patch(patchOf(entity, fields, creates));

    Result<sync::DecodedOperation> decoded = sync::decodeOperation(operation);
    if (!decoded.ok())
        return decoded.takeError();
    sync::EntityState merged = held->has_value() ? (*held)->clone() : sync::EntityState::blank(*kind);
    SIGESS_TRY(sync::applyOperation(*decoded, merged));
    Result<ChangeScope> change
        = storeEntity(m_transaction, merged, mode == Mode::CreateOnly ? RowWrite::Insert : RowWrite::Upsert);
    if (!change.ok())
        return change.takeError();
    m_unlogged.push_back(PendingLogRow{std::move(change).value(), &operation});
    entity.CopyFrom(*merged.message);
    return {};
}

} // namespace sigess::syncserver
