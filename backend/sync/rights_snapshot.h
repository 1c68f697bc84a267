// What decides whether an open sync connection may go on, read from the store as a
// comparable snapshot: per operator, disabled, role, presidio and the tally of their
// sessions (live, ended); per device, revoked and presidio. Two snapshots taken apart
// differ for exactly the operators and devices whose standing may have changed in
// between (a session ending and another starting still changes the tally), so a
// process can notice rights changed by another one (sigessctl on the embedded store)
// without being told. A spurious difference (an expired session purged) only makes the
// sync service check that principal's connections again, which is harmless.
// Thread safety: value types and free functions; readRights uses the database (any thread).
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "sync/change_feed.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sigess::syncserver {

struct RightsSnapshot {
    // (OPERATOR or DEVICE, id) -> the principal's standing, as opaque comparable text.
    std::map<std::pair<v1::EntityType, std::string>, std::string> standing;
};

Result<RightsSnapshot> readRights(storage::SqlDatabase &database);

// A rights change (change_feed.h) for each principal whose standing differs, who is
// gone, or who appeared: one made and then changed between two looks (an operator
// created, signed in on a tablet and disabled within one interval) shows only as new,
// and its open connection must be checked too.
std::vector<ChangeScope> rightsChangesBetween(const RightsSnapshot &before, const RightsSnapshot &after);

} // namespace sigess::syncserver
