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

// Creates or replaces the table row of a merged entity. Errors are the repository's:
// Invalid when the entity lacks what the table requires, Conflict when another row
// already holds one of its unique values.
Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged);

} // namespace sigess::syncserver
