// Appends access events to the hash-chained audit log (audit/chain.h) through the
// storage repository. A write of a personal record and its audit event commit in one
// transaction (write()), so neither exists without the other; a read is recorded in a
// transaction of its own before the record is handed out (record()), so nothing is shown
// that the log does not know about.
//
// The head is read locked (storage::AuditRepository::lockHead), so concurrent writers,
// in this process or in other backend instances on one PostgreSQL, take turns at the
// head instead of forking the chain. Only the very first event of an empty log can
// still lose a race (there is no head row to lock yet); the loser then runs its whole
// transaction again, a few times, before giving up as Unavailable. So a body given to
// write() must have no effect outside its transaction.
//
// Thread safety: any thread may call any member at once.
#pragma once

#include "audit/access_event.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/uuid.h"
#include "policy/policy.h"
#include "sigess/v1/entities.pb.h"
#include "storage/sql.h"

#include <functional>
#include <vector>

namespace sigess::api {

using AuditedBody = std::function<Status(storage::SqlExecutor &sql, std::vector<v1::AuditEvent> &events)>;

class AuditTrail {
public:
    AuditTrail(storage::SqlDatabase &database, const core::Clock &clock, core::UuidV7Generator &ids);

    // An event for an access that authorization decided on (allowed or denied).
    v1::AuditEvent access(const policy::Principal &principal, const policy::Decision &decision,
                          policy::Action action, const audit::AccessedRecord &record);
    v1::AuditEvent breakGlass(const policy::Principal &principal, const policy::BreakGlassGrant &grant);

    // Runs body in a transaction and appends the events it collected, in the same one.
    Status write(const AuditedBody &body);
    // Appends events in a transaction of their own.
    Status record(std::vector<v1::AuditEvent> events);

private:
    storage::SqlDatabase &m_database;
    const core::Clock &m_clock;
    core::UuidV7Generator &m_ids;
};

} // namespace sigess::api
