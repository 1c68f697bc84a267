#include "sync/log_tail.h"

#include "sync/sync_repository.h"

#include <vector>

namespace sigess::syncserver {

namespace {

constexpr std::size_t tailBatch = 1000;

} // namespace

Result<std::int64_t> publishLogTail(storage::SqlDatabase &database, ChangeFeed &feed, std::int64_t after,
                                    std::int64_t upTo, const std::atomic<bool> &stopping)
{
    std::int64_t published = after;
    while (!stopping && published < upTo) {
        Result<std::vector<LoggedOperation>> logged = SyncRepository(database).operationsAfter(published, tailBatch);
        if (!logged.ok())
            return logged.takeError();
        std::vector<ChangeScope> changes;
        std::int64_t latest = published;
        for (const LoggedOperation &operation : *logged) {
            if (operation.sequence > upTo)
                break;
            changes.push_back(ChangeScope{operation.type, operation.entityId, operation.presidio, operation.assigned});
            latest = operation.sequence;
        }
        if (!changes.empty()) {
            feed.publish(changes, latest, nullptr);
            published = latest;
        }
        // Fewer than a batch: the log ended, or the rest lies beyond upTo.
        if (changes.size() < tailBatch)
            return published;
    }
    return published;
}

} // namespace sigess::syncserver
