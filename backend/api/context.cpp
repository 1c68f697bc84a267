#include "api/context.h"

#include "api/json_body.h"
#include "core/text_codec.h"
#include "storage/case_repository.h"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sigess::api {

namespace {

// Every case of a citizen, whatever the caller's scope: the policy needs them all to
// know who is responsible for the citizen.
Result<std::vector<v1::Case>> casesOfCitizen(Context &context, const std::string &citizenId)
{
    std::vector<v1::Case> cases;
    if (citizenId.empty())
        return cases;
    storage::CaseRepository repository(context.services.database);
    storage::CaseFilter filter;
    filter.scope = storage::Scope::city();
    filter.citizen = citizenId;
    storage::PageRequest page;
    page.limit = storage::PageRequest::maxLimit;
    do {
        auto listed = repository.list(filter, page);
        if (!listed)
            return listed.takeError();
        std::ranges::move(listed->items, std::back_inserter(cases));
        page.cursor = listed->nextCursor;
    } while (!page.cursor.empty());
    return cases;
}

// The list a cursor belongs to: who asks, what, and with which filters (all but the
// cursor itself), so that a cursor is good for that list only.
std::string bindingOf(const Call &call)
{
    std::string binding = call.principal.operatorId + "|" + call.principal.deviceId + "|";
    binding += call.endpoint.path;
    for (const std::string &parameter : call.pathParameters)
        binding += "|" + parameter;
    for (const auto &[name, value] : call.query) {
        if (name != "cursor" && name != "limit")
            binding += "|" + name + "=" + value;
    }
    return binding;
}

} // namespace

Context::Context(ApiServices servicesIn, ApiOptions options)
    : services(servicesIn)
    , maxBodyBytes(options.maxBodyBytes)
    , cursors(std::move(options.cursorKey))
    , trail(servicesIn.database, servicesIn.clock, servicesIn.ids)
{
    for (const v1::PresidioInfo &presidio : services.catalog.release().presidi())
        municipioOfPresidio.emplace(presidio.code(), presidio.municipio());
}

std::string Context::municipioOf(std::string_view presidio) const
{
    const auto found = municipioOfPresidio.find(presidio);
    return found == municipioOfPresidio.end() ? std::string() : found->second;
}

std::string Call::queryValue(std::string_view name) const
{
    const auto found = query.find(name);
    return found == query.end() ? std::string() : found->second;
}

Credentials credentialsOf(const net::Request &request)
{
    const auto header = request.find(boost::beast::http::field::authorization);
    if (header == request.end())
        return {};
    const std::string_view value(header->value().data(), header->value().size());
    const std::size_t space = value.find(' ');
    if (space == std::string_view::npos)
        return {value, {}};
    std::string_view secret = value.substr(space + 1);
    while (!secret.empty() && secret.front() == ' ')
        secret.remove_prefix(1);
    return {value.substr(0, space), secret};
}

bool sameWord(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

Reply reply(const google::protobuf::Message &message, boost::beast::http::status status)
{
    return Reply {status, toJson(message)};
}

Status readBody(const Context &context, const Call &call, google::protobuf::Message &message)
{
    return parseJsonBody(call.body(), context.maxBodyBytes, message);
}

Error missingField(std::string_view field)
{
    return makeError(ErrorCode::Invalid, "missing required field '" + std::string(field) + "'");
}

Result<policy::Decision> authorizeCall(Context &context, Call &call, policy::Resource resource, policy::Action action,
                                       const policy::Target &target, const audit::AccessedRecord *record)
{
    policy::Decision decision = policy::authorize(call.principal, resource, action, target, context.services.clock);
    if (decision.allowed)
        return decision;
    if (record != nullptr) {
        // The refusal stands whether or not the log takes it; a log that is down
        // must not turn a 403 into a 503.
        static_cast<void>(context.trail.record({context.trail.access(call.principal, decision, action, *record)}));
    }
    return decision.status().error();
}

Status auditRead(Context &context, const std::vector<v1::AuditEvent> &events)
{
    if (events.empty())
        return {};
    return context.trail.record(events);
}

Result<storage::PageRequest> pageRequest(const Context &context, const Call &call)
{
    storage::PageRequest page;
    const std::string limit = call.queryValue("limit");
    if (!limit.empty()) {
        std::size_t value = 0;
        const auto [end, error] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
        if (error != std::errc {} || end != limit.data() + limit.size() || value < 1
            || value > storage::PageRequest::maxLimit) {
            return makeError(ErrorCode::Invalid, "limit is a whole number from 1 to "
                                                     + std::to_string(storage::PageRequest::maxLimit));
        }
        page.limit = value;
    }
    auto inner = context.cursors.open(bindingOf(call), call.queryValue("cursor"));
    if (!inner)
        return inner.takeError();
    page.cursor = std::move(inner).value();
    return page;
}

std::string sealCursor(const Context &context, const Call &call, std::string_view inner)
{
    return context.cursors.seal(bindingOf(call), inner);
}

Result<policy::Target> citizenTarget(Context &context, const v1::Citizen &citizen)
{
    policy::Target target;
    target.id = citizen.meta().id();
    target.presidio = citizen.meta().presidio();
    target.municipio = context.municipioOf(target.presidio);
    target.citizen = citizen.meta().id();
    auto cases = casesOfCitizen(context, target.citizen);
    if (!cases)
        return cases.takeError();
    for (const v1::Case &caseRecord : *cases) {
        const std::string &responsible = caseRecord.responsible_operator();
        if (!responsible.empty() && std::ranges::find(target.assignedOperators, responsible) == target.assignedOperators.end())
            target.assignedOperators.push_back(responsible);
    }
    return target;
}

Result<policy::Target> intakeTarget(Context &context, const v1::Intake &intake)
{
    policy::Target target;
    target.id = intake.meta().id();
    target.presidio = intake.meta().presidio();
    target.municipio = context.municipioOf(target.presidio);
    target.citizen = intake.citizen();
    auto cases = casesOfCitizen(context, intake.citizen());
    if (!cases)
        return cases.takeError();
    for (const v1::Case &caseRecord : *cases) {
        if (caseRecord.intake() != intake.meta().id())
            continue;
        target.caseId = caseRecord.meta().id();
        if (!caseRecord.responsible_operator().empty())
            target.assignedOperators.push_back(caseRecord.responsible_operator());
    }
    return target;
}

policy::Target caseTarget(const Context &context, const v1::Case &caseRecord)
{
    policy::Target target;
    target.id = caseRecord.meta().id();
    target.presidio = caseRecord.meta().presidio();
    target.municipio = context.municipioOf(target.presidio);
    target.caseId = caseRecord.meta().id();
    target.citizen = caseRecord.citizen();
    if (!caseRecord.responsible_operator().empty())
        target.assignedOperators.push_back(caseRecord.responsible_operator());
    return target;
}

policy::Target presidioTarget(const Context &context, std::string_view presidio)
{
    policy::Target target;
    target.presidio = std::string(presidio);
    target.municipio = context.municipioOf(presidio);
    return target;
}

std::string listPresidio(const Call &call)
{
    const std::string asked = call.queryValue("presidio");
    return asked.empty() ? call.principal.presidio : asked;
}

v1::Hlc stampNow(Context &context)
{
    return context.services.hlc.now().toProto();
}

Status writeRecords(Context &context, const RecordWriteBody &body)
{
    syncserver::PendingChanges committed;
    const Status written = context.trail.write([&](storage::SqlExecutor &sql, std::vector<v1::AuditEvent> &events) -> Status {
        // Made anew for each run of the transaction, so a rolled-back run publishes nothing.
        syncserver::ServerWrites writes(sql, context.services.hlc, context.services.ids);
        SIGESS_TRY(body(writes, events));
        Result<syncserver::PendingChanges> logged = writes.finish();
        if (!logged.ok())
            return logged.takeError();
        committed = std::move(logged).value();
        return {};
    });
    if (written.ok())
        committed.publishTo(context.services.feed, nullptr);
    return written;
}

Status checkCode(const Context &context, std::string_view system, std::string_view code, std::string_view field)
{
    auto valid = context.services.catalog.validate(system, code);
    if (valid)
        return {};
    std::string message = std::string(field) + ": ";
    if (valid.error().code == ErrorCode::NotFound)
        message += "'" + std::string(code) + "' is not a " + std::string(system) + " code of the catalog";
    else
        message += valid.error().message;
    return makeError(ErrorCode::Invalid, std::move(message));
}

std::chrono::year_month_day today(const Context &context)
{
    return core::utcDay(context.services.clock.nowMs());
}

} // namespace sigess::api
