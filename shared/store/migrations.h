// Numbered schema migrations. A store's version is the highest step applied, kept in
// the table schema_version (one row per applied step); a fresh store is at version 0.
// migrate() applies every step above the store's version, in order, each in its own
// transaction together with its schema_version row, so a crash leaves the store at a
// whole step. A store whose version is above the last step known to this code is
// refused (ErrorCode::Conflict): an older program must not write to a newer schema.
// Thread safety: as the Database passed in.
#pragma once

#include "core/result.h"
#include "store/database.h"

#include <span>
#include <string_view>

namespace sigess::store {

struct Migration {
    int version;           // 1, 2, 3... with no gaps
    std::string_view sql;  // one or more statements
};

// Steps must be numbered 1..n in order (ErrorCode::Invalid otherwise).
Status migrate(Database &database, std::span<const Migration> steps);
Result<int> schemaVersion(Database &database);

} // namespace sigess::store
