// The API's tables (citizens, cases, intakes, tickets) as projections of the sync store:
// whenever a merged entity of one of those types is stored, its table row is created or
// replaced from it in the same transaction, so the JSON API, the console and the desks
// read exactly what devices pull. Entities of other types have no table and are left
// alone.
//
// A batch of entities (a device's Push) is written table by table, each table's rows
// in one multi-row statement per kind of write (storage/bulk_sql.h): on PostgreSQL one
// round trip per table instead of one or two per entity.
//
// A row a table refuses is explained (explainRefusal) in the words of the operator who
// wrote it, the same on both stores: which value clashed and what to do ("Ticket K-3
// was already issued at presidio ... on 2026-11-30 ..."), never the database's text, and
// nothing of the other record but that it exists (the codice fiscale named is the
// writer's own). The clash is looked up after the refused write is rolled back to a
// savepoint, since a failed statement leaves a PostgreSQL transaction unable to run
// another until then; the writes themselves take no savepoint.
// Thread safety: pure functions over the caller's transaction.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/merge.h"

#include <span>
#include <string>
#include <string_view>

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
// repositories': Invalid when an entity lacks what its table requires, Conflict (in the
// store's words: see explainRefusal) when another row already holds an Insert's id or
// one of an entity's unique values. On an error the caller's transaction must roll
// back: part of the rows may be written.
Status projectRecords(storage::SqlExecutor &transaction, std::span<const ProjectedRecord> records);

// Why the API's tables refuse `record`'s row, as a Conflict whose message tells the
// operator what clashed and what to do. Call it in the transaction whose write was
// refused, once that write is rolled back to a savepoint.
Error explainRefusal(storage::SqlExecutor &transaction, const ProjectedRecord &record);
// The same for the entity of a device's operation that was refused alone: the entity
// as the operation makes it of what the store holds.
Error explainRefusal(storage::SqlExecutor &transaction, const sync::DecodedOperation &operation);

// The refusal of a record created with an id the server already holds, in the words
// explainRefusal uses for it.
std::string alreadyRegistered(const sync::EntityKind &kind, std::string_view id);

// projectRecords of one entity.
Status projectRecord(storage::SqlExecutor &transaction, const sync::EntityState &merged,
                     RowWrite rowWrite = RowWrite::Upsert);

} // namespace sigess::syncserver
