// The working set of one transaction that logs a batch of operations (a device's Push):
// the entities they touch, read in a few statements before the first merge and kept in
// memory while the operations merge into them one after another, then written back
// together: each entity's final state once, the log rows in multi-row statements, and
// the API's table row of each entity once (record_projection.h). A Push of 500
// operations so costs a few dozen statements instead of thousands: on PostgreSQL each
// statement is a round trip, and on the encrypted store each one re-encrypts the pages
// it dirties.
//
// What the batch reads goes through the working set too, so an operation sees every
// earlier operation of the batch (a visit finds the case created just before it). The
// entities the group of Pushes read at its start (working_set.h) are taken from there
// instead of read again, and given back as stored when the batch is flushed.
//
// Thread safety: lives inside one transaction body on one thread; a body that runs
// again makes a new one.
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"
#include "storage/sql.h"
#include "sync/change_feed.h"
#include "sync/merge.h"
#include "sync/sync_repository.h"
#include "sync/working_set.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sigess::syncserver {

class BatchStore {
public:
    BatchStore(storage::SqlExecutor &transaction, WorkingSet &group) : m_transaction(transaction), m_group(group) {}

    // Reads at once what `operations` will need: their entities, the cases of the
    // case-file parts among them, and which of their op ids are logged already. Anything
    // missed here is read on first use. On PostgreSQL every entity row read is locked
    // until the transaction ends (in id order within a statement), and the op ids are
    // read after the locks: a transaction that logged one of these operations held its
    // entity's lock and has committed by then.
    Status prefetch(std::span<const sync::DecodedOperation *const> operations);

    // True when the log holds the op id, or the batch has logged it.
    bool logged(const std::string &opId) const { return m_loggedIds.contains(opId); }
    // The entity as the batch stands; null when neither the store nor the batch has it.
    Result<const sync::EntityState *> entity(const sync::EntityKind &kind, const std::string &id);
    Result<std::optional<ChangeScope>> caseScope(std::string_view caseId);
    CaseScopeLookup caseScopes();

    // Makes `merged` its entity's state, merged by `operation`; returns the scope the
    // entity now has, which the caller logs the operation with (the log is written
    // last in the transaction: sync_repository.h). Nothing is written before flush().
    Result<ChangeScope> put(sync::EntityState merged, const v1::Operation &operation);

    // Writes the entities put() gathered and their API table rows. Errors are the
    // store's: Conflict when an API table refuses an entity's row (a codice fiscale or
    // ticket number already taken) or another transaction created one of the entities
    // the batch read as absent, Invalid when an entity lacks what its table requires.
    // Once flushed the batch is spent: its entities are back in the group's working set.
    Status flush();

private:
    using Key = std::pair<v1::EntityType, std::string>;
    struct Held {
        std::optional<sync::EntityState> state;
        bool stored = false;  // the store held it before the batch
        bool dirty = false;
        std::string assigned;
    };

    Status load(v1::EntityType type, const std::vector<std::string> &ids);
    Status flushEntities();

    storage::SqlExecutor &m_transaction;
    WorkingSet &m_group;
    std::map<Key, Held> m_entities;
    std::vector<Key> m_dirty;  // in the order first put, which the tables' references follow
    std::set<std::string, std::less<>> m_loggedIds;
};

} // namespace sigess::syncserver
