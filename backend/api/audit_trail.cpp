#include "api/audit_trail.h"

#include "audit/event_log.h"

namespace sigess::api {

namespace {

constexpr int maxAttempts = 8;

} // namespace

AuditTrail::AuditTrail(storage::SqlDatabase &database, const core::Clock &clock, core::UuidV7Generator &ids)
    : m_database(database)
    , m_clock(clock)
    , m_ids(ids)
{
}

v1::AuditEvent AuditTrail::access(const policy::Principal &principal, const policy::Decision &decision,
                                  policy::Action action, const audit::AccessedRecord &record)
{
    return audit::accessEvent(m_ids.next().toString(), principal, decision, action, record, m_clock.nowMs());
}

v1::AuditEvent AuditTrail::breakGlass(const policy::Principal &principal, const policy::BreakGlassGrant &grant)
{
    return audit::breakGlassEvent(m_ids.next().toString(), principal, grant, m_clock.nowMs());
}

Status AuditTrail::write(const AuditedBody &body)
{
    Status last;
    for (int attempt = 0; attempt < maxAttempts; ++attempt) {
        bool lostRace = false;
        last = m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
            std::vector<v1::AuditEvent> events;
            SIGESS_TRY(body(sql, events));
            Status appended = audit::appendEvents(sql, events);
            lostRace = !appended.ok() && appended.error().code == ErrorCode::Conflict;
            return appended;
        });
        if (last.ok() || !lostRace)
            return last;
    }
    return makeError(ErrorCode::Unavailable,
                     "the audit log is too busy to record this access; try again (" + last.error().message + ")");
}

Status AuditTrail::record(std::vector<v1::AuditEvent> events)
{
    return write([&](storage::SqlExecutor &, std::vector<v1::AuditEvent> &collected) -> Status {
        collected = events;
        return {};
    });
}

} // namespace sigess::api
