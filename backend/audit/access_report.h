// The citizen access report (GDPR art. 15): from audit events, who accessed one citizen's
// records, when, in which role, doing what, why, and whether they broke the glass.
// `sigessctl audit citizen ID` prints it; the events come from the storage repository
// (already narrowed to the citizen, or not: events of other citizens are skipped).
// Thread safety: pure functions.
#pragma once

#include "sigess/v1/entities.pb.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::audit {

struct AccessRecord {
    std::uint64_t atMs = 0;
    std::uint64_t sequence = 0;
    std::string actor;
    v1::Role role = v1::ROLE_UNSPECIFIED;
    std::string device;
    v1::EntityType recordType = v1::ENTITY_TYPE_UNSPECIFIED;
    std::string recordId;
    std::string action;
    std::string reason;
    bool breakGlass = false;
};

// The accesses to `citizenId`'s records, oldest first (ties in chain order); an event
// covering several records gives one access per record, in the event's order.
std::vector<AccessRecord> citizenAccessReport(std::span<const v1::AuditEvent> events, std::string_view citizenId);

// One line per access, for a terminal or a letter to the citizen:
// "2025-03-04T10:15:00Z  operator  <actor>  read case <id>  device <id>  reason: ...  [BREAK THE GLASS]"
std::string formatAccessReport(std::span<const AccessRecord> records);

} // namespace sigess::audit
