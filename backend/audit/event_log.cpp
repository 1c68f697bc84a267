#include "audit/event_log.h"

#include "audit/chain.h"
#include "storage/audit_repository.h"

#include <utility>

namespace sigess::audit {

Status appendEvents(storage::SqlExecutor &transaction, std::vector<v1::AuditEvent> &events)
{
    if (events.empty())
        return {};
    storage::AuditRepository log(transaction);
    Result<storage::AuditHead> stored = log.lockHead();
    if (!stored.ok())
        return stored.takeError();
    ChainHead head{static_cast<std::uint64_t>(stored->sequence), stored->hash};
    for (v1::AuditEvent &event : events) {
        event = chainEvent(head, std::move(event));
        head = headOf(event);
    }
    return log.appendAll(events);
}

} // namespace sigess::audit
