// Endpoints on cases (cartelle sociali): list, open, read, assign, close, reopen. State
// changes follow one transition table over the catalog's CASE_STATE codes.
#include "api/context.h"

#include "core/text_codec.h"
#include "sigess/v1/api.pb.h"
#include "storage/case_repository.h"
#include "storage/citizen_repository.h"
#include "storage/intake_repository.h"
#include "storage/operator_repository.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sigess::api::endpoints {

namespace http = boost::beast::http;
using policy::Action;
using policy::Resource;

namespace {

constexpr std::string_view caseStateSystem = "CASE_STATE";
constexpr std::string_view stateOpen = "OPEN";
constexpr std::string_view stateTakenInCharge = "TAKEN_IN_CHARGE";
constexpr std::string_view stateReferred = "REFERRED";
constexpr std::string_view stateClosed = "CLOSED";
constexpr std::string_view stateReopened = "REOPENED";

// From a state to the states it may move to (presa in carico, referral, closure, reopening).
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kTransitions = {{
    {stateOpen, stateTakenInCharge},
    {stateOpen, stateReferred},
    {stateOpen, stateClosed},
    {stateTakenInCharge, stateReferred},
    {stateTakenInCharge, stateClosed},
    {stateReferred, stateTakenInCharge},
    {stateReferred, stateClosed},
    {stateClosed, stateReopened},
    {stateReopened, stateTakenInCharge},
    {stateReopened, stateClosed},
}};

Status checkTransition(const Context &context, const std::string &from, std::string_view to)
{
    SIGESS_TRY(checkCode(context, caseStateSystem, to, "state"));
    if (std::ranges::find(kTransitions, std::pair {std::string_view(from), to}) == kTransitions.end()) {
        return makeError(ErrorCode::Conflict,
                         "a case in state " + from + " cannot move to " + std::string(to));
    }
    return {};
}

audit::AccessedRecord caseRecord(const v1::Case &record)
{
    return {v1::ENTITY_TYPE_CASE, record.meta().id(), record.citizen(), record.meta().presidio()};
}

// A responsible operator is an active operator or coordinator of the case's presidio.
Status checkResponsible(Context &context, const std::string &operatorId, const std::string &presidio)
{
    auto account = storage::OperatorRepository(context.services.database).byId(operatorId);
    if (!account) {
        return account.error().code == ErrorCode::NotFound
                   ? makeError(ErrorCode::Invalid, "responsible_operator: no operator has this id")
                   : account.takeError();
    }
    const v1::Operator &profile = account->profile;
    if (profile.disabled())
        return makeError(ErrorCode::Invalid, "responsible_operator: the account is disabled");
    if (profile.role() != v1::ROLE_OPERATOR && profile.role() != v1::ROLE_COORDINATOR)
        return makeError(ErrorCode::Invalid, "responsible_operator: only operators and coordinators take cases");
    if (profile.meta().presidio() != presidio)
        return makeError(ErrorCode::Invalid, "responsible_operator: works in another presidio");
    return {};
}

Result<v1::Case> loadCase(Context &context, const std::string &id)
{
    return storage::CaseRepository(context.services.database).byId(id);
}

// Authorizes `action` on the case at the path, applies `change` and stores the case with
// its audit event in one transaction.
Result<Reply> changeCase(Context &context, Call &call, Action action,
                         const std::function<Status(v1::Case &)> &change)
{
    auto stored = loadCase(context, call.pathParameters.at(0));
    if (!stored)
        return stored.takeError();
    const audit::AccessedRecord record = caseRecord(*stored);
    auto decision = authorizeCall(context, call, Resource::Case, action, caseTarget(context, *stored), &record);
    if (!decision)
        return decision.takeError();
    v1::Case updated = *stored;
    SIGESS_TRY(change(updated));
    const Status written = writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &events) -> Status {
        SIGESS_TRY(writes.write(updated));
        events.push_back(context.trail.access(call.principal, *decision, action, record));
        return {};
    });
    if (!written)
        return written.error();
    return reply(updated);
}

} // namespace

Result<Reply> listCases(Context &context, Call &call)
{
    const std::string presidio = listPresidio(call);
    if (presidio.empty())
        return makeError(ErrorCode::Invalid, "name the presidio to list cases of (presidio=...)");
    storage::CaseFilter filter;
    filter.scope = storage::Scope::presidio(presidio);
    filter.responsibleOperator = call.queryValue("operator");
    filter.citizen = call.queryValue("citizen");
    filter.state = call.queryValue("state");
    if (!filter.state.empty())
        SIGESS_TRY(checkCode(context, caseStateSystem, filter.state, "state"));
    SIGESS_TRY(authorizeCall(context, call, Resource::Case, Action::List, presidioTarget(context, presidio)));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto listed = storage::CaseRepository(context.services.database).list(filter, *page);
    if (!listed)
        return listed.takeError();
    v1::CaseList list;
    std::vector<v1::AuditEvent> events;
    for (v1::Case &record : listed->items) {
        const auto decision = policy::authorize(call.principal, Resource::Case, Action::Read,
                                                caseTarget(context, record), context.services.clock);
        if (!decision.allowed)
            continue;
        events.push_back(context.trail.access(call.principal, decision, Action::List, caseRecord(record)));
        *list.add_cases() = std::move(record);
    }
    SIGESS_TRY(auditRead(context, events));
    list.set_next_cursor(sealCursor(context, call, listed->nextCursor));
    return reply(list);
}

Result<Reply> openCase(Context &context, Call &call)
{
    v1::OpenCaseRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.citizen().empty())
        return missingField("citizen");
    const std::string presidio = request.presidio().empty() ? call.principal.presidio : request.presidio();
    if (presidio.empty())
        return missingField("presidio");
    if (!context.municipioOfPresidio.contains(presidio))
        return makeError(ErrorCode::Invalid, "presidio is not a presidio code of the catalog");

    policy::Target target = presidioTarget(context, presidio);
    target.citizen = request.citizen();
    const audit::AccessedRecord attempted {v1::ENTITY_TYPE_CASE, {}, request.citizen(), presidio};
    auto decision = authorizeCall(context, call, Resource::Case, Action::Create, target, &attempted);
    if (!decision)
        return decision.takeError();

    auto citizen = storage::CitizenRepository(context.services.database).byId(request.citizen());
    if (!citizen) {
        return citizen.error().code == ErrorCode::NotFound ? makeError(ErrorCode::Invalid, "citizen: no citizen has this id")
                                                           : citizen.takeError();
    }
    for (const std::string &group : request.target_groups())
        SIGESS_TRY(checkCode(context, "ISTAT_AREA", group, "target_groups"));
    if (!request.prevalent_target_group().empty()
        && std::ranges::find(request.target_groups(), request.prevalent_target_group()) == request.target_groups().end()) {
        return makeError(ErrorCode::Invalid, "prevalent_target_group is one of target_groups");
    }
    if (!request.intake().empty()) {
        auto intake = storage::IntakeRepository(context.services.database).byId(request.intake());
        if (!intake && intake.error().code != ErrorCode::NotFound)
            return intake.takeError();
        if (!intake || intake->meta().presidio() != presidio)
            return makeError(ErrorCode::Invalid, "intake: no intake of this presidio has this id");
    }
    if (!request.responsible_operator().empty())
        SIGESS_TRY(checkResponsible(context, request.responsible_operator(), presidio));

    v1::Case record;
    v1::EntityMeta &meta = *record.mutable_meta();
    meta.set_id(context.services.ids.next().toString());
    meta.set_presidio(presidio);
    record.set_citizen(request.citizen());
    record.set_intake(request.intake());
    *record.mutable_target_groups() = request.target_groups();
    record.set_prevalent_target_group(request.prevalent_target_group());
    record.set_opened_on(core::isoDate(today(context)));
    // Naming the responsible operator at once is the presa in carico.
    const std::string_view state = request.responsible_operator().empty() ? stateOpen : stateTakenInCharge;
    SIGESS_TRY(checkCode(context, caseStateSystem, state, "state"));
    record.set_state(std::string(state));
    record.set_responsible_operator(request.responsible_operator());
    const Status written = writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &events) -> Status {
        SIGESS_TRY(writes.create(record));
        events.push_back(context.trail.access(call.principal, *decision, Action::Create, caseRecord(record)));
        return {};
    });
    if (!written)
        return written.error();
    return reply(record, http::status::created);
}

Result<Reply> readCase(Context &context, Call &call)
{
    auto record = loadCase(context, call.pathParameters.at(0));
    if (!record)
        return record.takeError();
    const audit::AccessedRecord accessed = caseRecord(*record);
    auto decision = authorizeCall(context, call, Resource::Case, Action::Read, caseTarget(context, *record), &accessed);
    if (!decision)
        return decision.takeError();
    SIGESS_TRY(auditRead(context, {context.trail.access(call.principal, *decision, Action::Read, accessed)}));
    return reply(*record);
}

Result<Reply> assignCase(Context &context, Call &call)
{
    v1::AssignCaseRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.responsible_operator().empty())
        return missingField("responsible_operator");
    return changeCase(context, call, Action::Assign, [&](v1::Case &record) -> Status {
        SIGESS_TRY(checkResponsible(context, request.responsible_operator(), record.meta().presidio()));
        if (record.state() == stateOpen || record.state() == stateReopened || record.state() == stateReferred) {
            SIGESS_TRY(checkTransition(context, record.state(), stateTakenInCharge));
            record.set_state(std::string(stateTakenInCharge));
        } else if (record.state() != stateTakenInCharge) {
            return makeError(ErrorCode::Conflict, "a case in state " + record.state() + " cannot be assigned");
        }
        record.set_responsible_operator(request.responsible_operator());
        return {};
    });
}

Result<Reply> closeCase(Context &context, Call &call)
{
    v1::CloseCaseRequest request;
    SIGESS_TRY(readBody(context, call, request));
    if (request.closure_reason().empty())
        return missingField("closure_reason");
    if (request.closure_reason().size() > 500)
        return makeError(ErrorCode::Invalid, "closure_reason is longer than 500 bytes");
    return changeCase(context, call, Action::Close, [&](v1::Case &record) -> Status {
        SIGESS_TRY(checkTransition(context, record.state(), stateClosed));
        record.set_state(std::string(stateClosed));
        record.set_closed_on(core::isoDate(today(context)));
        record.set_closure_reason(request.closure_reason());
        return {};
    });
}

Result<Reply> reopenCase(Context &context, Call &call)
{
    return changeCase(context, call, Action::Update, [&](v1::Case &record) -> Status {
        SIGESS_TRY(checkTransition(context, record.state(), stateReopened));
        record.set_state(std::string(stateReopened));
        record.clear_closed_on();
        record.clear_closure_reason();
        return {};
    });
}

} // namespace sigess::api::endpoints
