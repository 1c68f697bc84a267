#include "sync/working_set.h"

#include "sync/sync_repository.h"

#include <functional>

namespace sigess::syncserver {

std::size_t WorkingSet::KeyHash::operator()(const std::pair<v1::EntityType, std::string> &key) const
{
    return std::hash<std::string>()(key.second) ^ static_cast<std::size_t>(key.first);
}

WorkingSet WorkingSet::carrying()
{
    WorkingSet set;
    set.m_read = true;
    return set;
}

Status WorkingSet::read(storage::SqlExecutor &transaction, std::map<v1::EntityType, std::vector<std::string>> ids)
{
    m_read = true;
    for (const auto &[type, typeIds] : ids) {
        for (const std::string &id : typeIds)
            m_entities.try_emplace({type, id}, Entry{std::nullopt, m_group});
    }
    const auto keep = [this](std::string id, sync::EntityState held) -> Status {
        const v1::EntityType type = held.kind->type;
        m_entities.insert_or_assign({type, std::move(id)}, Entry{std::move(held), m_group});
        return {};
    };
    return SyncRepository(transaction).lockEntities(std::move(ids), keep);
}

WorkingSet::Known WorkingSet::take(v1::EntityType type, const std::string &id, std::optional<sync::EntityState> &state)
{
    const auto found = m_entities.find({type, id});
    if (found == m_entities.end())
        return Known::No;
    state = std::move(found->second.state);
    m_entities.erase(found);
    return state ? Known::Held : Known::Absent;
}

void WorkingSet::giveBack(v1::EntityType type, std::string id, std::optional<sync::EntityState> state)
{
    if (m_read)
        m_entities.insert_or_assign({type, std::move(id)}, Entry{std::move(state), m_group});
}

void WorkingSet::forgetAbsent()
{
    std::erase_if(m_entities, [](const auto &entry) { return !entry.second.state.has_value(); });
}

void WorkingSet::nextGroup()
{
    std::erase_if(m_entities, [this](const auto &entry) { return entry.second.group != m_group; });
    ++m_group;
}

} // namespace sigess::syncserver
