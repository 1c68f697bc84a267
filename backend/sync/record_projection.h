// The API's tables (citizens, cases, intakes, tickets) as projections of the sync store:
// whenever a merged entity of one of those types is stored, its table row is created or
// replaced from it in the same transaction, so the JSON API, the console and the desks
// read exactly what devices pull. Entities of other types have no table and are left
// alone.
//
// A batch of entities (a device's Push) is written table by table, each table's rows
// in one multi-row statement per kind of write (storage/bulk_sql.h): on PostgreSQL one
// round trip per table instead of one or two per entity.
// Thread safety: pure functions over the caller's transaction.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/merge.h"

#include <span>

namespace sigess::syncserver {

enum class RowWrite {
    Upsert,  // creates the row or replaces it
    Insert,  // the entity is new to the server, so its row must be too
};

struct ProjectedRecord {
    const sync::EntityState *merged;
    RowWrite rowWrite = RowWrite::Upsert;
};

// Writes the table rows of merged entities, each entity at most once. Errors are the
// repositories': Invalid when an entity lacks what its table requires, Conflict when
// another row already holds an Insert's id or one of an entity's unique values. On an
// error the caller's transaction must roll back: part of the rows may be written.
Status projectRecords(storage::SqlExecutor &transaction, std::span<const ProjectedRecord> records);

// projectRecords of one entity.
Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged,
                     RowWrite rowWrite = RowWrite::Upsert);

} // namespace sigess::syncserver
