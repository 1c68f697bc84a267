#include "sync/batch_store.h"

#include "sigess/v1/entities.pb.h"
#include "storage/bulk_sql.h"
#include "sync/entity_registry.h"
#include "sync/record_projection.h"

#include <algorithm>
#include <array>

namespace sigess::syncserver {

namespace {

std::vector<storage::SqlValue> keysOf(const std::vector<std::string> &texts)
{
    return {texts.begin(), texts.end()};
}

} // namespace

Status BatchStore::prefetch(std::span<const sync::DecodedOperation *const> operations)
{
    std::vector<std::string> opIds;
    std::map<v1::EntityType, std::vector<std::string>> ids;
    for (const sync::DecodedOperation *operation : operations) {
        opIds.push_back(operation->opId);
        ids[operation->kind->type].push_back(operation->entityId);
    }
    for (auto &[type, typeIds] : ids)
        SIGESS_TRY(load(type, typeIds));
    std::vector<std::string> cases;
    for (const sync::DecodedOperation *operation : operations) {
        std::string caseId = caseOf(*operation->patch);
        if (!caseId.empty() && !m_entities.contains(Key{v1::ENTITY_TYPE_CASE, caseId}))
            cases.push_back(std::move(caseId));
    }
    SIGESS_TRY(load(v1::ENTITY_TYPE_CASE, cases));
    return storage::queryIn(m_transaction, "SELECT op_id FROM sync_ops WHERE op_id", "", {}, keysOf(opIds),
                            [this](const storage::SqlRow &row) -> Status {
                                m_loggedIds.emplace(row.text(0));
                                return {};
                            });
}

Status BatchStore::load(v1::EntityType type, const std::vector<std::string> &ids)
{
    const sync::EntityKind *kind = sync::findEntityKind(type);
    if (kind == nullptr || ids.empty())
        return {};
    std::vector<std::string> unique = ids;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    std::erase_if(unique, [&](const std::string &id) {
        Key key{type, id};
        if (m_entities.contains(key))
            return true;
        std::optional<sync::EntityState> state;
        const WorkingSet::Known known = m_group.take(type, id, state);
        if (known == WorkingSet::Known::No)
            return false;
        Held &held = m_entities[std::move(key)];
        held.stored = known == WorkingSet::Known::Held;
        held.state = std::move(state);
        return true;
    });
    if (unique.empty())
        return {};
    // Locked in id order (unique is sorted), so that two batches locking overlapping rows
    // in one statement each never wait on each other in a circle. SQLite has no row locks
    // and needs none.
    SIGESS_TRY(storage::queryEachKey(
        m_transaction, "SELECT id, data, clock FROM sync_entities WHERE entity_type = $1 AND id", "FOR UPDATE",
        {static_cast<std::int64_t>(type)}, keysOf(unique), [&](const storage::SqlRow &row) -> Status {
            Result<sync::EntityState> loaded = sync::EntityState::load(*kind, row.bytes(1), row.bytes(2));
            if (!loaded.ok())
                return loaded.takeError();
            Held &held = m_entities[Key{type, std::string(row.text(0))}];
            held.state = std::move(loaded).value();
            held.stored = true;
            return {};
        }));
    // What the store does not hold is remembered as absent, so it is not asked again.
    for (const std::string &id : unique)
        m_entities.try_emplace(Key{type, id});
    return {};
}

Result<const sync::EntityState *> BatchStore::entity(const sync::EntityKind &kind, const std::string &id)
{
    auto found = m_entities.find(Key{kind.type, id});
    if (found == m_entities.end()) {
        SIGESS_TRY(load(kind.type, {id}));
        found = m_entities.find(Key{kind.type, id});
    }
    return found->second.state ? &*found->second.state : nullptr;
}

Result<std::optional<ChangeScope>> BatchStore::caseScope(std::string_view caseId)
{
    Result<const sync::EntityState *> held = entity(*sync::findEntityKind(v1::ENTITY_TYPE_CASE), std::string(caseId));
    if (!held.ok())
        return held.takeError();
    if (*held == nullptr)
        return std::optional<ChangeScope>();
    const auto &record = static_cast<const v1::Case &>(*(*held)->message);
    return std::optional<ChangeScope>(
        ChangeScope{v1::ENTITY_TYPE_CASE, std::string(caseId), record.meta().presidio(), record.responsible_operator()});
}

CaseScopeLookup BatchStore::caseScopes()
{
    return [this](std::string_view caseId) { return caseScope(caseId); };
}

Result<ChangeScope> BatchStore::put(sync::EntityState merged, const v1::Operation &operation)
{
    Result<ChangeScope> scoped = scopeOfEntity(caseScopes(), merged.kind->type, *merged.message);
    if (!scoped.ok())
        return scoped.takeError();
    ChangeScope change = std::move(scoped).value();
    const Key key{change.type, change.entityId};
    Held &held = m_entities[key];
    if (!held.dirty)
        m_dirty.push_back(key);
    held.dirty = true;
    held.state = std::move(merged);
    held.assigned = change.assigned;
    m_loggedIds.insert(operation.op_id());
    return change;
}

Status BatchStore::flush()
{
    SIGESS_TRY(flushEntities());
    std::vector<ProjectedRecord> records;
    records.reserve(m_dirty.size());
    for (const Key &key : m_dirty) {
        const Held &held = m_entities.at(key);
        records.push_back(ProjectedRecord{&*held.state, held.stored ? RowWrite::Upsert : RowWrite::Insert});
    }
    SIGESS_TRY(projectRecords(m_transaction, records));
    for (auto &[key, held] : m_entities)
        m_group.giveBack(key.first, key.second, std::move(held.state));
    return {};
}

Status BatchStore::flushEntities()
{
    std::vector<storage::SqlValue> created;
    std::vector<storage::SqlValue> updated;
    for (const Key &key : m_dirty) {
        const Held &held = m_entities.at(key);
        std::vector<storage::SqlValue> &rows = held.stored ? updated : created;
        rows.emplace_back(static_cast<std::int64_t>(key.first));
        rows.emplace_back(key.second);
        rows.emplace_back(held.state->meta().presidio());
        rows.emplace_back(held.assigned);
        rows.emplace_back(storage::SqlBytes{held.state->message->SerializeAsString()});
        rows.emplace_back(storage::SqlBytes{held.state->clock.serialize()});
    }
    constexpr std::string_view head = "INSERT INTO sync_entities (entity_type, id, presidio, assigned, data, clock)";
    constexpr std::size_t columns = 6;
    // The new entities are appended (COPY on PostgreSQL): a page of rows at a time, no
    // arrays to take apart, no speculative insertion of ON CONFLICT with its look-up and
    // second WAL record per row. A taken key is an entity another transaction created
    // after this batch read it as absent (PostgreSQL made the copy wait for that one's
    // commit): what was merged into a blank entity must be merged again into the stored
    // one, after the caller rolls the failed statement back.
    static constexpr std::array<std::string_view, columns> names{"entity_type", "id",   "presidio",
                                                                 "assigned",    "data", "clock"};
    if (Status appended = storage::appendRows(m_transaction, "sync_entities", names, created); !appended.ok()) {
        if (appended.error().code != ErrorCode::Conflict)
            return appended;
        // What the group's working set knows to be absent may be so no longer.
        m_group.forgetAbsent();
        return makeError(ErrorCode::Conflict, "another device created one of these records at the same moment");
    }
    Result<std::int64_t> saved = storage::executeRows(
        m_transaction, head,
        "ON CONFLICT (entity_type, id) DO UPDATE SET presidio = excluded.presidio, assigned = excluded.assigned, "
        "data = excluded.data, clock = excluded.clock",
        columns, updated);
    if (!saved.ok())
        return saved.takeError();
    return {};
}

} // namespace sigess::syncserver
