// Endpoints on the records of people and their visits: citizens, intakes and tickets.
#include "api/context.h"

#include "core/codice_fiscale.h"
#include "policy/kiosk_intake.h"
#include "sigess/v1/api.pb.h"
#include "storage/citizen_repository.h"
#include "storage/intake_repository.h"
#include "storage/ticket_repository.h"

#include <algorithm>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

namespace sigess::api::endpoints {

namespace http = boost::beast::http;
using policy::Action;
using policy::Resource;

namespace {

constexpr std::size_t maxTextFieldBytes = 500;

// No text field of a record holds an essay; a bound keeps rows and logs sane.
Status checkTextLengths(const google::protobuf::Message &message)
{
    const auto *descriptor = message.GetDescriptor();
    const auto *reflection = message.GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const auto *field = descriptor->field(i);
        if (field->type() != google::protobuf::FieldDescriptor::TYPE_STRING)
            continue;
        const auto tooLong = [&](const std::string &value) { return value.size() > maxTextFieldBytes; };
        bool over = false;
        if (field->is_repeated()) {
            for (int k = 0; k < reflection->FieldSize(message, field); ++k)
                over = over || tooLong(reflection->GetRepeatedString(message, field, k));
        } else {
            over = tooLong(reflection->GetString(message, field));
        }
        if (over) {
            return makeError(ErrorCode::Invalid,
                             field->name() + " is longer than " + std::to_string(maxTextFieldBytes) + " bytes");
        }
    }
    return {};
}

// The client names at most the owning presidio; ids and stamps are the server's.
Status checkClientMeta(const v1::EntityMeta &meta, bool idAllowed)
{
    if (!idAllowed && !meta.id().empty())
        return makeError(ErrorCode::Invalid, "meta.id is assigned by the server");
    if (meta.has_created() || meta.has_updated())
        return makeError(ErrorCode::Invalid, "meta.created and meta.updated are stamped by the server");
    if (!meta.origin_device().empty())
        return makeError(ErrorCode::Invalid, "meta.origin_device is set by the server");
    return {};
}

bool isIsoDate(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (text[i] < '0' || text[i] > '9')
            return false;
    }
    const auto number = [&](std::size_t from, std::size_t count) {
        int value = 0;
        for (std::size_t i = from; i < from + count; ++i)
            value = value * 10 + (text[i] - '0');
        return value;
    };
    const std::chrono::year_month_day date {std::chrono::year(number(0, 4)),
                                            std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                            std::chrono::day(static_cast<unsigned>(number(8, 2)))};
    return date.ok();
}

bool isLetters(std::string_view text, std::size_t length, char first, char last)
{
    return text.size() == length && std::ranges::all_of(text, [&](char c) { return c >= first && c <= last; });
}

// Validates what a client may write in a citizen record; normalises the codice fiscale.
Status checkCitizen(const Context &context, v1::Citizen &citizen)
{
    SIGESS_TRY(checkTextLengths(citizen));
    if (citizen.family_name().empty())
        return missingField("family_name");
    if (citizen.given_name().empty())
        return missingField("given_name");
    if (!citizen.codice_fiscale().empty()) {
        auto parsed = core::parseCodiceFiscale(citizen.codice_fiscale(), today(context));
        if (!parsed)
            return makeError(ErrorCode::Invalid, "codice_fiscale: " + parsed.error().message);
        citizen.set_codice_fiscale(parsed->code);
    }
    if (!citizen.birth_date().empty() && !isIsoDate(citizen.birth_date()))
        return makeError(ErrorCode::Invalid, "birth_date: a date is written YYYY-MM-DD");
    if (!v1::Sex_IsValid(citizen.sex()))
        return makeError(ErrorCode::Invalid, "sex: not one of the known values");
    if (!citizen.citizenship().empty() && !isLetters(citizen.citizenship(), 2, 'A', 'Z'))
        return makeError(ErrorCode::Invalid, "citizenship: an ISO 3166-1 alpha-2 code such as \"IT\"");
    if (!citizen.preferred_language().empty() && !isLetters(citizen.preferred_language(), 2, 'a', 'z'))
        return makeError(ErrorCode::Invalid, "preferred_language: an ISO 639-1 code such as \"it\"");
    if (!citizen.merged_into().empty())
        return makeError(ErrorCode::Invalid, "merged_into is set by a merge, not by an edit");
    return {};
}

audit::AccessedRecord citizenRecord(const v1::Citizen &citizen)
{
    return {v1::ENTITY_TYPE_CITIZEN, citizen.meta().id(), citizen.meta().id(), citizen.meta().presidio()};
}

audit::AccessedRecord intakeRecord(const v1::Intake &intake)
{
    return {v1::ENTITY_TYPE_INTAKE, intake.meta().id(), intake.citizen(), intake.meta().presidio()};
}

Status checkPresidio(const Context &context, const std::string &presidio)
{
    if (!context.municipioOfPresidio.contains(presidio))
        return makeError(ErrorCode::NotFound, "no presidio has this code in the catalog");
    return {};
}

Status checkIntake(Context &context, const v1::Intake &intake)
{
    SIGESS_TRY(checkTextLengths(intake));
    for (const std::string &need : intake.needs())
        SIGESS_TRY(checkCode(context, "NEED", need, "needs"));
    if (!intake.access_channel().empty())
        SIGESS_TRY(checkCode(context, "ACCESS_CHANNEL", intake.access_channel(), "access_channel"));
    if (!intake.referral_source().empty())
        SIGESS_TRY(checkCode(context, "REFERRAL_SOURCE", intake.referral_source(), "referral_source"));
    const auto &languages = context.services.catalog.release().languages();
    if (!intake.language().empty() && std::ranges::find(languages, intake.language()) == languages.end())
        return makeError(ErrorCode::Invalid, "language: not a kiosk language of the catalog");
    if (!intake.codice_fiscale().empty()) {
        auto parsed = core::parseCodiceFiscale(intake.codice_fiscale(), today(context));
        if (!parsed)
            return makeError(ErrorCode::Invalid, "codice_fiscale: " + parsed.error().message);
    }
    if (!intake.citizen().empty()) {
        auto citizen = storage::CitizenRepository(context.services.database).byId(intake.citizen());
        if (!citizen) {
            return citizen.error().code == ErrorCode::NotFound
                       ? makeError(ErrorCode::Invalid, "citizen: no citizen has this id")
                       : citizen.takeError();
        }
    }
    return {};
}

Result<v1::TicketState> ticketStateFilter(const Call &call)
{
    const std::string text = call.queryValue("state");
    v1::TicketState state = v1::TICKET_STATE_UNSPECIFIED;
    if (!text.empty() && (!v1::TicketState_Parse(text, &state) || state == v1::TICKET_STATE_UNSPECIFIED))
        return makeError(ErrorCode::Invalid, "state is one of TICKET_STATE_WAITING, _CALLED, _SERVED, _NO_SHOW, _REFERRED");
    return state;
}

} // namespace

Result<Reply> searchCitizens(Context &context, Call &call)
{
    const std::string text = call.queryValue("q");
    if (text.size() > storage::CitizenSearch::maxTextBytes)
        return makeError(ErrorCode::Invalid, "q is longer than " + std::to_string(storage::CitizenSearch::maxTextBytes) + " bytes");
    const std::string presidio = listPresidio(call);
    if (presidio.empty())
        return makeError(ErrorCode::Invalid, "name the presidio to search in (presidio=...)");
    SIGESS_TRY(authorizeCall(context, call, Resource::Citizen, Action::List, presidioTarget(context, presidio)));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto found = storage::CitizenRepository(context.services.database)
                     .search(storage::CitizenSearch {text, storage::Scope::presidio(presidio)}, *page);
    if (!found)
        return found.takeError();
    v1::CitizenList list;
    std::vector<v1::AuditEvent> events;
    for (v1::Citizen &citizen : found->items) {
        auto target = citizenTarget(context, citizen);
        if (!target)
            return target.takeError();
        const auto decision = policy::authorize(call.principal, Resource::Citizen, Action::Read, *target,
                                                context.services.clock);
        if (!decision.allowed)
            continue;
        events.push_back(context.trail.access(call.principal, decision, Action::List, citizenRecord(citizen)));
        *list.add_citizens() = std::move(citizen);
    }
    SIGESS_TRY(auditRead(context, events));
    list.set_next_cursor(sealCursor(context, call, found->nextCursor));
    return reply(list);
}

Result<Reply> createCitizen(Context &context, Call &call)
{
    v1::Citizen citizen;
    SIGESS_TRY(readBody(context, call, citizen));
    SIGESS_TRY(checkClientMeta(citizen.meta(), false));
    SIGESS_TRY(checkCitizen(context, citizen));
    v1::EntityMeta &meta = *citizen.mutable_meta();
    if (meta.presidio().empty())
        meta.set_presidio(call.principal.presidio);
    if (meta.presidio().empty())
        return missingField("meta.presidio");
    SIGESS_TRY(checkPresidio(context, meta.presidio()));
    const audit::AccessedRecord record {v1::ENTITY_TYPE_CITIZEN, {}, {}, meta.presidio()};
    auto decision = authorizeCall(context, call, Resource::Citizen, Action::Create,
                                  presidioTarget(context, meta.presidio()), &record);
    if (!decision)
        return decision.takeError();
    meta.set_id(context.services.ids.next().toString());
    const Status written = writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &events) -> Status {
        SIGESS_TRY(writes.create(citizen));
        events.push_back(context.trail.access(call.principal, *decision, Action::Create, citizenRecord(citizen)));
        return {};
    });
    if (!written)
        return written.error();
    return reply(citizen, http::status::created);
}

Result<Reply> readCitizen(Context &context, Call &call)
{
    auto citizen = storage::CitizenRepository(context.services.database).byId(call.pathParameters.at(0));
    if (!citizen)
        return citizen.takeError();
    auto target = citizenTarget(context, *citizen);
    if (!target)
        return target.takeError();
    const audit::AccessedRecord record = citizenRecord(*citizen);
    auto decision = authorizeCall(context, call, Resource::Citizen, Action::Read, *target, &record);
    if (!decision)
        return decision.takeError();
    SIGESS_TRY(auditRead(context, {context.trail.access(call.principal, *decision, Action::Read, record)}));
    return reply(*citizen);
}

Result<Reply> updateCitizen(Context &context, Call &call)
{
    auto stored = storage::CitizenRepository(context.services.database).byId(call.pathParameters.at(0));
    if (!stored)
        return stored.takeError();
    auto target = citizenTarget(context, *stored);
    if (!target)
        return target.takeError();
    const audit::AccessedRecord record = citizenRecord(*stored);
    auto decision = authorizeCall(context, call, Resource::Citizen, Action::Update, *target, &record);
    if (!decision)
        return decision.takeError();

    v1::Citizen citizen;
    SIGESS_TRY(readBody(context, call, citizen));
    if (!citizen.meta().id().empty() && citizen.meta().id() != stored->meta().id())
        return makeError(ErrorCode::Invalid, "meta.id differs from the citizen in the path");
    if (!citizen.meta().presidio().empty() && citizen.meta().presidio() != stored->meta().presidio())
        return makeError(ErrorCode::Invalid, "meta.presidio cannot be changed by an edit");
    v1::EntityMeta clientMeta = citizen.meta();
    clientMeta.clear_id();
    SIGESS_TRY(checkClientMeta(clientMeta, false));
    SIGESS_TRY(checkCitizen(context, citizen));
    *citizen.mutable_meta() = stored->meta();
    citizen.set_merged_into(stored->merged_into());
    const Status written = writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &events) -> Status {
        SIGESS_TRY(writes.write(citizen));
        events.push_back(context.trail.access(call.principal, *decision, Action::Update, record));
        return {};
    });
    if (!written)
        return written.error();
    return reply(citizen);
}

Result<Reply> listIntakes(Context &context, Call &call)
{
    const std::string &presidio = call.pathParameters.at(0);
    SIGESS_TRY(checkPresidio(context, presidio));
    SIGESS_TRY(authorizeCall(context, call, Resource::Intake, Action::List, presidioTarget(context, presidio)));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto listed = storage::IntakeRepository(context.services.database).listByPresidio(presidio, *page);
    if (!listed)
        return listed.takeError();
    v1::IntakeList list;
    std::vector<v1::AuditEvent> events;
    for (v1::Intake &intake : listed->items) {
        auto target = intakeTarget(context, intake);
        if (!target)
            return target.takeError();
        const auto decision = policy::authorize(call.principal, Resource::Intake, Action::Read, *target,
                                                context.services.clock);
        if (!decision.allowed)
            continue;
        events.push_back(context.trail.access(call.principal, decision, Action::List, intakeRecord(intake)));
        *list.add_intakes() = std::move(intake);
    }
    SIGESS_TRY(auditRead(context, events));
    list.set_next_cursor(sealCursor(context, call, listed->nextCursor));
    return reply(list);
}

Result<Reply> createIntake(Context &context, Call &call)
{
    const std::string &presidio = call.pathParameters.at(0);
    SIGESS_TRY(checkPresidio(context, presidio));
    v1::Intake intake;
    SIGESS_TRY(readBody(context, call, intake));
    const audit::AccessedRecord attempted {v1::ENTITY_TYPE_INTAKE, {}, intake.citizen(), presidio};
    auto decision = authorizeCall(context, call, Resource::Intake, Action::Create, presidioTarget(context, presidio),
                                  &attempted);
    if (!decision)
        return decision.takeError();
    if (call.principal.role == v1::ROLE_KIOSK)
        SIGESS_TRY(policy::checkKioskIntake(intake));
    // A kiosk names its intakes itself (it works offline), so a resent intake is a 409,
    // not a second copy.
    SIGESS_TRY(checkClientMeta(intake.meta(), true));
    if (!intake.meta().id().empty() && !core::Uuid::parse(intake.meta().id()))
        return makeError(ErrorCode::Invalid, "meta.id: not a UUID in canonical form");
    if (!intake.meta().presidio().empty() && intake.meta().presidio() != presidio)
        return makeError(ErrorCode::Invalid, "meta.presidio differs from the presidio in the path");
    SIGESS_TRY(checkIntake(context, intake));

    v1::EntityMeta &meta = *intake.mutable_meta();
    if (meta.id().empty())
        meta.set_id(context.services.ids.next().toString());
    else
        meta.set_id(core::Uuid::parse(meta.id())->toString());
    meta.set_presidio(presidio);
    const Status written = writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &events) -> Status {
        SIGESS_TRY(writes.create(intake));
        events.push_back(context.trail.access(call.principal, *decision, Action::Create, intakeRecord(intake)));
        return {};
    });
    if (!written)
        return written.error();
    return reply(intake, http::status::created);
}

Result<Reply> readIntake(Context &context, Call &call)
{
    auto intake = storage::IntakeRepository(context.services.database).byId(call.pathParameters.at(0));
    if (!intake)
        return intake.takeError();
    auto target = intakeTarget(context, *intake);
    if (!target)
        return target.takeError();
    const audit::AccessedRecord record = intakeRecord(*intake);
    auto decision = authorizeCall(context, call, Resource::Intake, Action::Read, *target, &record);
    if (!decision)
        return decision.takeError();
    SIGESS_TRY(auditRead(context, {context.trail.access(call.principal, *decision, Action::Read, record)}));
    return reply(*intake);
}

Result<Reply> listTickets(Context &context, Call &call)
{
    const std::string &presidio = call.pathParameters.at(0);
    SIGESS_TRY(checkPresidio(context, presidio));
    auto state = ticketStateFilter(call);
    if (!state)
        return state.takeError();
    // Tickets carry numbers, never names: the queue is authorized as a whole.
    SIGESS_TRY(authorizeCall(context, call, Resource::Ticket, Action::List, presidioTarget(context, presidio)));
    auto page = pageRequest(context, call);
    if (!page)
        return page.takeError();
    auto listed = storage::TicketRepository(context.services.database).listByPresidio(presidio, *state, *page);
    if (!listed)
        return listed.takeError();
    v1::TicketList list;
    for (v1::Ticket &ticket : listed->items) {
        // A kiosk shows the queue; which intake a ticket came from is not its business.
        if (call.principal.role == v1::ROLE_KIOSK)
            ticket.clear_intake();
        *list.add_tickets() = std::move(ticket);
    }
    list.set_next_cursor(sealCursor(context, call, listed->nextCursor));
    return reply(list);
}

Result<Reply> createTicket(Context &context, Call &call)
{
    const std::string &presidio = call.pathParameters.at(0);
    SIGESS_TRY(checkPresidio(context, presidio));
    v1::Ticket ticket;
    SIGESS_TRY(readBody(context, call, ticket));
    SIGESS_TRY(authorizeCall(context, call, Resource::Ticket, Action::Create, presidioTarget(context, presidio)));
    SIGESS_TRY(checkClientMeta(ticket.meta(), false));
    SIGESS_TRY(checkTextLengths(ticket));
    if (!ticket.meta().presidio().empty() && ticket.meta().presidio() != presidio)
        return makeError(ErrorCode::Invalid, "meta.presidio differs from the presidio in the path");
    if (ticket.number().empty())
        return missingField("number");
    if (ticket.state() != v1::TICKET_STATE_UNSPECIFIED && ticket.state() != v1::TICKET_STATE_WAITING)
        return makeError(ErrorCode::Invalid, "state: a new ticket waits; the desk moves it on");
    if (!ticket.desk().empty() || ticket.has_called() || ticket.has_issued())
        return makeError(ErrorCode::Invalid, "desk, called and issued are set by the server and the desk");
    if (!ticket.intake().empty()) {
        auto intake = storage::IntakeRepository(context.services.database).byId(ticket.intake());
        if (!intake && intake.error().code != ErrorCode::NotFound)
            return intake.takeError();
        if (!intake || intake->meta().presidio() != presidio)
            return makeError(ErrorCode::Invalid, "intake: no intake of this presidio has this id");
    }
    v1::EntityMeta &meta = *ticket.mutable_meta();
    meta.set_id(context.services.ids.next().toString());
    meta.set_presidio(presidio);
    ticket.set_state(v1::TICKET_STATE_WAITING);
    *ticket.mutable_issued() = stampNow(context);
    SIGESS_TRY(writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &) -> Status {
        return writes.create(ticket);
    }));
    return reply(ticket, http::status::created);
}

} // namespace sigess::api::endpoints
