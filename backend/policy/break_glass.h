// Breaking the glass: how an operator obtains access beyond their scope. A grant needs a
// written reason (long enough to say something to whoever reviews the audit log), lasts a
// limited time, belongs to one operator and opens one citizen, one case or one presidio.
// Only roles whose policy rows allow breaking the glass may ask. The caller stores the
// grant, records a "break_glass" audit event with its reason, and raises the alert.
// Thread safety: pure function.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "policy/principal.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sigess::policy {

struct BreakGlassSettings {
    std::size_t minReasonChars = 15;                  // counted in characters, not bytes
    std::uint64_t durationMs = 4ULL * 60 * 60 * 1000;  // four hours
};

// Invalid for a reason that is too short once surrounding white space is trimmed (or is
// not UTF-8) and for an empty subject; Forbidden for a principal that is not an active
// operator of a role allowed to break the glass. The grant starts at `clock.nowMs()`.
Result<BreakGlassGrant> grantBreakGlass(const Principal &principal, GrantScope scope, std::string_view subject,
                                        std::string_view reason, const core::Clock &clock,
                                        const BreakGlassSettings &settings = {});

} // namespace sigess::policy
