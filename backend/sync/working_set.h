// The entities a group of Pushes touches, read once at the group's start (and on
// PostgreSQL locked there, in one fixed order: SyncService::lockWorkingSet), so that
// each Push's BatchStore takes its entities from here instead of reading them again:
// every key read twice was twice a search of the table's index over a sorted key array.
//
// A Push takes the entities it needs out of the set and gives them back as it stored
// them once its writes have succeeded (BatchStore::flush), so the next Push of the group
// sees them as they now stand. What a Push took and then failed to store is gone from
// the set and is read again from the store by whatever runs next (the same Push one
// operation at a time). What the set knows to be absent is forgotten when a Push finds
// that another transaction created one of those entities since the group's read
// (forgetAbsent), so that the retry reads them. A set that never read (on the embedded
// store, whose one writer needs no locks, each BatchStore reads for itself) keeps
// nothing.
//
// Thread safety: lives inside one transaction body on one thread; a body that runs again
// makes a new one.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"
#include "storage/sql.h"
#include "sync/merge.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace sigess::syncserver {

class WorkingSet {
public:
    // Reads the entities among `ids` that the store holds, locking their rows on
    // PostgreSQL (SyncRepository::lockEntities); the others are known to be absent.
    Status read(storage::SqlExecutor &transaction, std::map<v1::EntityType, std::vector<std::string>> ids);

    // What the set knows of an entity, taken out of it.
    enum class Known { No, Absent, Held };
    Known take(v1::EntityType type, const std::string &id, std::optional<sync::EntityState> &state);
    // The entity as a Push stored it (nullopt: the store still does not hold it).
    void giveBack(v1::EntityType type, std::string id, std::optional<sync::EntityState> state);
    void forgetAbsent();

private:
    struct KeyHash {
        std::size_t operator()(const std::pair<v1::EntityType, std::string> &key) const;
    };
    std::unordered_map<std::pair<v1::EntityType, std::string>, std::optional<sync::EntityState>, KeyHash> m_entities;
    bool m_read = false;
};

} // namespace sigess::syncserver
