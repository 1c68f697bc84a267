// Appends access events to the hash-chained audit log inside the caller's transaction,
// the same way for every path that audits (the JSON API's trail, sync pushes and
// pulls), so a record and the events about it commit or roll back together.
// The head is read locked (storage::AuditRepository::lockHead), so concurrent writers
// take turns at it rather than forking the chain; the lock is held to the commit, so a
// writer appends last (after the sync log's head, sync/sync_repository.h), with all its
// events at once.
// Thread safety: a free function over the caller's transaction.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/sql.h"

#include <vector>

namespace sigess::audit {

// Links `events`, in order, after the log's head and stores them; on success each
// carries its sequence and hashes. Conflict when another writer moved the head first
// (possible only for the first event of an empty log, which has no head row to lock):
// the caller's transaction is then to be run again.
Status appendEvents(storage::SqlExecutor &transaction, std::vector<v1::AuditEvent> &events);

} // namespace sigess::audit
