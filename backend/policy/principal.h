// Who is asking: the identity the backend resolved from a session token or a device
// credential, with everything authorization needs to decide without further look-ups
// (role, presidio, municipio, the break-the-glass grants still on record). Built by the
// identity layer for each request or sync connection; a plain value.
// Thread safety: value types, no shared state.
#pragma once

#include "sigess/v1/common.pb.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::policy {

// What a break-the-glass grant opens: one citizen's records (their citizen record, intakes,
// cases and case files), one case with its case file, or a whole presidio.
enum class GrantScope { Citizen, Case, Presidio };

std::string_view grantScopeName(GrantScope scope);

// Access beyond one's scope, granted to one operator for a written reason and a limited
// time. Made by `grantBreakGlass` (break_glass.h), which enforces the reason and the
// duration; stored by the identity layer and handed back in every Principal of its holder.
struct BreakGlassGrant {
    std::string holder;         // operator id
    GrantScope scope = GrantScope::Citizen;
    std::string subject;        // citizen id, case id or presidio code, per `scope`
    std::string reason;
    std::uint64_t grantedAtMs = 0;
    std::uint64_t expiresAtMs = 0;  // exclusive

    bool activeAt(std::uint64_t nowMs) const { return grantedAtMs <= nowMs && nowMs < expiresAtMs; }
};

// Whether the account or device behind a principal may act at all. Disabling an operator
// or revoking a device must end every session at once, so authorization checks this on
// every decision instead of trusting that sessions were swept.
enum class Standing { Active, OperatorDisabled, DeviceRevoked };

struct Principal {
    v1::Role role = v1::ROLE_UNSPECIFIED;
    std::string operatorId;   // empty for a kiosk
    std::string deviceId;     // empty for a browser session
    std::string presidio;     // catalog code; empty for city-wide roles
    std::string municipio;    // catalog code of the presidio's municipio
    Standing standing = Standing::Active;
    std::vector<BreakGlassGrant> grants;
};

} // namespace sigess::policy
