// The backend's schema: numbered migrations for each dialect, recorded one row per
// applied step in schema_version. migrateSchema() applies the missing steps in order,
// each in its own transaction with its schema_version row, so a crash leaves a whole
// step; when two backend instances migrate one PostgreSQL at once, the one that loses
// the race for a step's row finds it applied and moves on. A store whose version is
// above what this program knows is refused (ErrorCode::Conflict): an older backend must
// not write to a newer schema.
// Thread safety: call once at start-up, before the store is shared.
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <string>

namespace sigess::storage {

Status migrateSchema(SqlDatabase &database);
// Applies the missing steps up to `target` alone: a store as an older program left it,
// which is what a step's own migration must be tested from.
Status migrateSchemaTo(SqlDatabase &database, int target);
Result<int> schemaVersion(SqlDatabase &database);
// The newest version this program knows.
int latestSchemaVersion();
// The statement that gives the sync log a new epoch (schema step 7): a restore runs it
// in the transaction that puts the backup back, since the backup carries the epoch of
// the store it was taken from.
std::string renewLogEpochStatement(Dialect dialect);

} // namespace sigess::storage
