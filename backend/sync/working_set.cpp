#include "sync/working_set.h"

#include "sync/sync_repository.h"

#include <functional>

namespace sigess::syncserver {

std::size_t WorkingSet::KeyHash::operator()(const std::pair<v1::EntityType, std::string> &key) const
{
    return std::hash<std::string>()(key.second) ^ static_cast<std::size_t>(key.first);
}

Status WorkingSet::read(storage::SqlExecutor &transaction, std::map<v1::EntityType, std::vector<std::string>> ids)
{
    m_read = true;
    for (const auto &[type, typeIds] : ids) {
        for (const std::string &id : typeIds)
            m_entities.try_emplace({type, id});
    }
    const auto keep = [this](std::string id, sync::EntityState held) -> Status {
        const v1::EntityType type = held.kind->type;
        m_entities.insert_or_assign({type, std::move(id)}, std::move(held));
        return {};
    };
    return SyncRepository(transaction).lockEntities(std::move(ids), keep);
}

WorkingSet::Known WorkingSet::take(v1::EntityType type, const std::string &id, std::optional<sync::EntityState> &state)
{
    const auto found = m_entities.find({type, id});
    if (found == m_entities.end())
        return Known::No;
    state = std::move(found->second);
    m_entities.erase(found);
    return state ? Known::Held : Known::Absent;
}

void WorkingSet::giveBack(v1::EntityType type, std::string id, std::optional<sync::EntityState> state)
{
    if (m_read)
        m_entities.insert_or_assign({type, std::move(id)}, std::move(state));
}

void WorkingSet::forgetAbsent()
{
    std::erase_if(m_entities, [](const auto &entry) { return !entry.second.has_value(); });
}

} // namespace sigess::syncserver
