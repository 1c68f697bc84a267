// How sigessctl tells running sigess-backends that it changed someone's standing (an
// operator disabled or their password changed, a device revoked), so that their open
// sync connections are checked again at once, as after the same change made through the
// API. On PostgreSQL the notice goes out on the backends' change feed channel (NOTIFY);
// on the embedded store there is nothing to send: the backend's feed looks at the store
// itself (sync/polling_change_feed.h).
// Thread safety: as the AdminStore it is given (one command run).
#pragma once

#include "core/result.h"
#include "ctl/admin_store.h"
#include "sigess/v1/sync.pb.h"

#include <string>

namespace sigess::ctl {

// Unavailable, saying the change itself stays made, when the backends could not be told.
Status announceRightsChange(AdminStore &store, v1::EntityType type, const std::string &id);

} // namespace sigess::ctl
