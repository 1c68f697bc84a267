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

namespace sigess::storage {

Status migrateSchema(SqlDatabase &database);
// Applies the missing steps up to `target` alone: a store as an older program left it,
// which is what a step's own migration must be tested from.
Status migrateSchemaTo(SqlDatabase &database, int target);
Result<int> schemaVersion(SqlDatabase &database);
// The newest version this program knows.
int latestSchemaVersion();

} // namespace sigess::storage
