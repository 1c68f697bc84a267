// The audit events of access to personal records, built in one place from what
// authorization decided, so that every path (API, sync) records the same facts: who
// (operator or device, role, device), what record (type, id, whose), which action, why
// (the rule that allowed it or the written reason of a break-the-glass grant), when, and
// whether the glass was broken. The caller gives the event id and the time, then links
// the event into the chain (chain.h) and stores it.
// Thread safety: pure functions.
#pragma once

#include "policy/policy.h"
#include "sigess/v1/entities.pb.h"

#include <cstdint>
#include <span>
#include <string>

namespace sigess::audit {

struct AccessedRecord {
    v1::EntityType type = v1::ENTITY_TYPE_UNSPECIFIED;
    std::string id;
    std::string citizen;   // whose personal record; empty when it is nobody's
    std::string presidio;  // owning presidio, kept in the event's meta
};

// A denied access is recorded too, with the action suffixed "_denied" ("read_denied").
v1::AuditEvent accessEvent(std::string eventId, const policy::Principal &principal, const policy::Decision &decision,
                           policy::Action action, const AccessedRecord &record, std::uint64_t atMs);
// One event for several records accessed together with the same action, all of one
// citizen and one owning presidio (the first record's are kept): the first record is the
// event's own, the others its also_records, in order. Sync writes a device's Push this
// way, a citizen's case with its visits and notes as one event instead of ten. `records`
// must not be empty.
v1::AuditEvent accessEvent(std::string eventId, const policy::Principal &principal, const policy::Decision &decision,
                           policy::Action action, std::span<const AccessedRecord> records, std::uint64_t atMs);

// The grant itself: action "break_glass", the grant's subject as the record and its
// written reason; flagged, so that alerts and reviews find it.
v1::AuditEvent breakGlassEvent(std::string eventId, const policy::Principal &principal,
                               const policy::BreakGlassGrant &grant, std::uint64_t atMs);

} // namespace sigess::audit
