// The PostgreSQL store over libpq, behind SqlDatabase. A pool of connections, each
// with its own cache of prepared statements (named on first use of a statement text).
// Parameters go as text, bytes and arrays (storage/bulk_sql.h) in binary form; results
// come back as text and are decoded per column type (bytea from its hex form). A connection found broken is dropped and
// replaced on next use, so a restarted server is picked up again without a restart of
// ours. A server that cannot be reached is ErrorCode::Unavailable with its message.
//
// Thread safety: see sql.h.
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <cstddef>
#include <memory>
#include <string>

namespace sigess::storage {

struct PostgresStoreConfig {
    std::string connectionString;  // a libpq conninfo string or URI
    std::size_t connections = 4;
    int connectTimeoutSeconds = 5;
};

// Connects once to check that the server answers (Unavailable if not); the schema is
// left to storage/schema.h.
Result<std::unique_ptr<SqlDatabase>> openPostgresDatabase(const PostgresStoreConfig &config);

} // namespace sigess::storage
