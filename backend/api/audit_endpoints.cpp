// Endpoints of the audit log, for auditors: the events in order, a verification of the
// whole chain, and one citizen's access report.
#include "api/context.h"

#include "audit/access_report.h"
#include "audit/chain.h"
#include "sigess/v1/api.pb.h"
#include "storage/audit_repository.h"

#include <charconv>

namespace sigess::api::endpoints {

using policy::Action;
using policy::Resource;

Result<Reply> listAudit(Context &context, Call &call)
{
    SIGESS_TRY(authorizeCall(context, call, Resource::Audit, Action::List, policy::Target {}));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    std::int64_t after = 0;
    if (!page->cursor.empty()) {
        const auto [end, error] = std::from_chars(page->cursor.data(), page->cursor.data() + page->cursor.size(), after);
        if (error != std::errc {} || end != page->cursor.data() + page->cursor.size())
            return makeError(ErrorCode::Invalid, "the cursor is malformed");
    }
    auto entries = storage::AuditRepository(context.services.database).scan(after, page->limit);
    if (!entries)
        return entries.takeError();
    v1::AuditEventList list;
    for (storage::AuditEntry &entry : *entries)
        *list.add_events() = std::move(entry.event);
    if (entries->size() == page->limit)
        list.set_next_cursor(sealCursor(context, call, std::to_string(entries->back().sequence)));
    return reply(list);
}

Result<Reply> verifyAudit(Context &context, Call &call)
{
    SIGESS_TRY(authorizeCall(context, call, Resource::Audit, Action::Verify, policy::Target {}));
    storage::AuditRepository log(context.services.database);
    // The head first: events appended while we read lie beyond it and are not judged.
    auto head = log.head();
    if (!head)
        return head.takeError();
    audit::ChainVerifier verifier;
    std::int64_t after = 0;
    while (after < head->sequence) {
        auto entries = log.scan(after, storage::PageRequest::maxLimit);
        if (!entries)
            return entries.takeError();
        if (entries->empty())
            break;
        for (const storage::AuditEntry &entry : *entries) {
            if (entry.sequence > head->sequence)
                break;
            verifier.add(entry.event);
        }
        after = entries->back().sequence;
    }
    const audit::VerifyReport report =
        verifier.finish(audit::ChainHead {static_cast<std::uint64_t>(head->sequence), head->hash});
    v1::AuditVerifyResponse response;
    response.set_intact(report.intact());
    response.set_events_checked(report.eventsChecked);
    response.set_head_sequence(report.head.sequence);
    if (report.fault) {
        response.set_fault(report.fault->reason);
        response.set_fault_kind(std::string(audit::tamperingName(report.fault->kind)));
    }
    return reply(response);
}

Result<Reply> citizenAccessReport(Context &context, Call &call)
{
    const std::string &citizen = call.pathParameters.at(0);
    policy::Target target;
    target.citizen = citizen;
    SIGESS_TRY(authorizeCall(context, call, Resource::Audit, Action::Read, target));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto entries = storage::AuditRepository(context.services.database).byCitizen(citizen, *page);
    if (!entries)
        return entries.takeError();
    std::vector<v1::AuditEvent> events;
    events.reserve(entries->items.size());
    for (storage::AuditEntry &entry : entries->items)
        events.push_back(std::move(entry.event));
    v1::CitizenAccessReport response;
    response.set_citizen(citizen);
    for (const audit::AccessRecord &access : audit::citizenAccessReport(events, citizen)) {
        v1::CitizenAccess &line = *response.add_accesses();
        line.set_at_ms(access.atMs);
        line.set_sequence(access.sequence);
        line.set_actor(access.actor);
        line.set_role(access.role);
        line.set_device(access.device);
        line.set_record_type(access.recordType);
        line.set_record_id(access.recordId);
        line.set_action(access.action);
        line.set_reason(access.reason);
        line.set_break_glass(access.breakGlass);
    }
    response.set_next_cursor(sealCursor(context, call, entries->nextCursor));
    return reply(response);
}

} // namespace sigess::api::endpoints
