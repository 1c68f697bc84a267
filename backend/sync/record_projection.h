// The API's tables (citizens, cases, intakes, tickets) as projections of the sync store:
// whenever a merged entity of one of those types is stored, its table row is created or
// replaced from it in the same transaction, so the JSON API, the console and the desks
// read exactly what devices pull. Entities of other types have no table and are left
// alone.
// Thread safety: a pure function over the caller's transaction.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/merge.h"

namespace sigess::syncserver {

enum class RowWrite {
    Upsert,  // creates the row or replaces it
    Insert,  // the entity is new to the server, so its row must be too
};

// Writes the table row of a merged entity. Errors are the repository's: Invalid when
// the entity lacks what the table requires, Conflict when another row already holds
// its id (Insert) or one of its unique values.
Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged,
                     RowWrite rowWrite = RowWrite::Upsert);

} // namespace sigess::syncserver
