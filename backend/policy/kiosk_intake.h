// What a kiosk may write. A kiosk credential is write-only and creates intakes; it may set
// only the fields a citizen gives at check-in. Anything else (linking the intake to an
// existing citizen record, say) is REJECTED with the offending field named, never dropped
// in silence: a kiosk that sends more than it should is misbehaving and must be seen.
// The list is an allow-list, so a field added to Intake later stays closed to kiosks until
// someone opens it here.
// Thread safety: pure functions over constant data.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"

#include <span>
#include <string_view>

namespace sigess::policy {

// Field names of sigess.v1.Intake a kiosk may set (EntityMeta `meta` as a whole).
std::span<const std::string_view> kioskIntakeFieldAllowList();

// Forbidden naming the first field set outside the allow-list; Invalid when the message
// carries fields this server does not know (they could not be checked).
Status checkKioskIntake(const v1::Intake &intake);

} // namespace sigess::policy
