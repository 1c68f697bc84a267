// Checks of a whole backend store that several admin subcommands share: how many
// records it holds (seed and restore refuse to overwrite a store that holds a city),
// the audit log's hash chain walked page by page, and the full verification a restored
// or backed-up store must pass (schema version, page integrity, audit chain).
// Thread safety: functions of their arguments; the store is a SqlDatabase (any thread).
#pragma once

#include "audit/chain.h"
#include "core/result.h"
#include "storage/sql.h"

#include <cstdint>
#include <ostream>

namespace sigess::ctl {

struct RecordCounts {
    std::int64_t presidi = 0;
    std::int64_t operators = 0;
    std::int64_t devices = 0;
    std::int64_t citizens = 0;
    std::int64_t intakes = 0;
    std::int64_t tickets = 0;
    std::int64_t cases = 0;
    std::int64_t auditEvents = 0;

    // Presidi alone do not count: they are a copy of the catalog that any start fills in.
    bool holdsCity() const;
};

Result<RecordCounts> countRecords(storage::SqlExecutor &sql);
void printCounts(const RecordCounts &counts, std::ostream &out);

// Reads the head row first, then the events up to it in pages, so that events appended
// meanwhile by a running server are neither a fault nor read half-way; the head row is
// the expected end, so events cut off the end are found too. The report's fault is the
// first one in chain order. An event that does not parse is an error (Corrupt).
Result<audit::VerifyReport> verifyAuditLog(storage::SqlDatabase &database);

// Schema version (known to this program), page integrity (the embedded store: SQLite's
// integrity_check and SQLCipher's HMAC of every page; PostgreSQL checks its own pages)
// and the audit chain; one line per check on out. Corrupt naming the first check failed.
Status verifyStore(storage::SqlDatabase &database, std::ostream &out);

} // namespace sigess::ctl
