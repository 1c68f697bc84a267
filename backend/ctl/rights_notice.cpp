#include "ctl/rights_notice.h"

#include "sync/change_feed.h"
#include "sync/postgres_change_feed.h"

namespace sigess::ctl {

namespace {

// Any name but a backend's own: each backend's feed ignores only what it sent itself.
constexpr char noticeSender[] = "sigessctl";

} // namespace

Status announceRightsChange(AdminStore &store, v1::EntityType type, const std::string &id)
{
    if (store.config().storage.kind != config::StorageKind::PostgreSql)
        return {};
    Status told = syncserver::notifyInstances(store.database(), syncserver::defaultFeedChannel, noticeSender,
                                              {syncserver::rightsChanged(type, id)}, 0);
    if (!told.ok())
        return makeError(told.error().code, "the change is made, but running backends could not be told at once ("
                                                + told.error().message
                                                + "); open sync connections learn of it when they connect again");
    return {};
}

} // namespace sigess::ctl
