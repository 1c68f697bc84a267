// Endpoints of the desks of a presidio: the staff call the next ticket of the day's queue
// to their desk, call it again, and close it as served, not shown up or referred for
// presa in carico. Every move is a ticket state change written through the sync log
// (sync/server_writes.h) and published on the change feed after the commit, so the
// waiting-room displays (kiosks in --display mode) hear it at once.
//
// The queue is served by priority, then by arrival. Two desks calling at once get two
// different tickets, and two desks closing one ticket at once cannot both succeed: the
// tickets concerned are locked for the transaction, by their entity rows, before their
// table rows, as a device's Push of the same ticket locks them (ServerWrites::lockRecords).
#include "api/context.h"

#include "storage/ticket_repository.h"
#include "sync/entity_registry.h"
#include "sync/server_writes.h"

#include <algorithm>
#include <functional>
#include <tuple>

namespace sigess::api::endpoints {

namespace http = boost::beast::http;
using policy::Action;
using policy::Resource;

namespace {

constexpr std::size_t maxDeskLength = 20;

// A desk is named by the staff ("3", "Sportello B"): short, printable, one path segment.
Status checkDesk(std::string_view desk)
{
    if (desk.empty() || desk.size() > maxDeskLength)
        return makeError(ErrorCode::Invalid,
                         "a desk is named with 1 to " + std::to_string(maxDeskLength) + " letters, digits or spaces");
    const bool printable = std::ranges::all_of(desk, [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '-';
    });
    if (!printable)
        return makeError(ErrorCode::Invalid, "a desk name holds only letters, digits, spaces and '-'");
    return {};
}

// Priority first; then the earliest issued (an HLC stamp, so one order on every
// instance); the number settles the impossible tie so the choice never depends on the
// order the store returned them in.
bool servedBefore(const v1::Ticket &a, const v1::Ticket &b)
{
    const auto key = [](const v1::Ticket &ticket) {
        return std::tuple(!ticket.priority(), ticket.issued().wall_ms(), ticket.issued().counter(),
                          std::string_view(ticket.number()));
    };
    return key(a) < key(b);
}

std::string_view stateWord(v1::TicketState state)
{
    switch (state) {
    case v1::TICKET_STATE_WAITING: return "is still waiting";
    case v1::TICKET_STATE_CALLED: return "is called";
    case v1::TICKET_STATE_SERVED: return "was served";
    case v1::TICKET_STATE_NO_SHOW: return "was closed as not shown up";
    case v1::TICKET_STATE_REFERRED: return "was referred";
    default: return "has no state";
    }
}

// The tickets among ids, locked until the move commits; those that are not are left out.
Result<std::vector<v1::Ticket>> lockTickets(syncserver::ServerWrites &writes, const std::vector<std::string> &ids)
{
    Result<std::vector<sync::EntityState>> locked = writes.lockRecords(*sync::findEntityKind(v1::ENTITY_TYPE_TICKET), ids);
    if (!locked)
        return locked.takeError();
    std::vector<v1::Ticket> tickets;
    for (const sync::EntityState &state : *locked)
        tickets.push_back(static_cast<const v1::Ticket &>(*state.message));
    return tickets;
}

// A ticket move: the change is made under lock in one transaction through the sync log,
// and published once committed. `change` returns the ticket as it must become.
using TicketChange = std::function<Result<v1::Ticket>(syncserver::ServerWrites &writes)>;

Result<v1::Ticket> moveTicket(Context &context, const TicketChange &change)
{
    v1::Ticket moved;
    // A ticket carries a number, never a name: there is no access to audit.
    SIGESS_TRY(writeRecords(context, [&](syncserver::ServerWrites &writes, std::vector<v1::AuditEvent> &) -> Status {
        auto wanted = change(writes);
        if (!wanted)
            return wanted.takeError();
        moved = std::move(wanted).value();
        return writes.write(moved);
    }));
    return moved;
}

// The moves of a called ticket: from CALLED only, to `next` (CALLED again: a recall).
Result<Reply> moveCalled(Context &context, Call &call, v1::TicketState next)
{
    const std::string &id = call.pathParameters.at(0);
    auto moved = moveTicket(context, [&](syncserver::ServerWrites &writes) -> Result<v1::Ticket> {
        auto locked = lockTickets(writes, {id});
        if (!locked)
            return locked.takeError();
        if (locked->empty())
            return makeError(ErrorCode::NotFound, "no ticket '" + id + "'");
        v1::Ticket &ticket = locked->front();
        // Tickets carry numbers, never names: the presidio is all there is to authorize.
        SIGESS_TRY(authorizeCall(context, call, Resource::Ticket, Action::Update,
                                 presidioTarget(context, ticket.meta().presidio())));
        if (ticket.state() != v1::TICKET_STATE_CALLED)
            return makeError(ErrorCode::Conflict, "ticket " + ticket.number() + " " + std::string(stateWord(ticket.state()))
                                                      + "; only a called ticket can be called again or closed");
        ticket.set_state(next);
        // A recall is a new call: a new stamp is what makes the displays announce it again.
        if (next == v1::TICKET_STATE_CALLED)
            *ticket.mutable_called() = stampNow(context);
        return ticket;
    });
    if (!moved)
        return moved.takeError();
    return reply(*moved);
}

} // namespace

Result<Reply> callNextTicket(Context &context, Call &call)
{
    const std::string &presidio = call.pathParameters.at(0);
    const std::string &desk = call.pathParameters.at(1);
    if (!context.municipioOfPresidio.contains(presidio))
        return makeError(ErrorCode::NotFound, "no presidio has this code in the catalog");
    SIGESS_TRY(checkDesk(desk));
    SIGESS_TRY(authorizeCall(context, call, Resource::Ticket, Action::Update, presidioTarget(context, presidio)));
    const std::int64_t today = storage::TicketRepository::dayOf(context.services.clock.nowMs());
    auto called = moveTicket(context, [&](syncserver::ServerWrites &writes) -> Result<v1::Ticket> {
        auto listed = storage::TicketRepository(writes.transaction()).listWaiting(presidio, today);
        if (!listed)
            return listed.takeError();
        std::vector<std::string> ids;
        for (const v1::Ticket &ticket : *listed)
            ids.push_back(ticket.meta().id());
        auto waiting = lockTickets(writes, ids);
        if (!waiting)
            return waiting.takeError();
        // Read again under lock: another desk may have called some of them since the list.
        std::erase_if(*waiting, [](const v1::Ticket &ticket) { return ticket.state() != v1::TICKET_STATE_WAITING; });
        if (waiting->empty())
            return makeError(ErrorCode::NotFound, "nobody is waiting at this presidio today");
        v1::Ticket next = *std::ranges::min_element(*waiting, servedBefore);
        next.set_state(v1::TICKET_STATE_CALLED);
        next.set_desk(desk);
        *next.mutable_called() = stampNow(context);
        return next;
    });
    if (!called)
        return called.takeError();
    return reply(*called);
}

Result<Reply> recallTicket(Context &context, Call &call)
{
    return moveCalled(context, call, v1::TICKET_STATE_CALLED);
}

Result<Reply> serveTicket(Context &context, Call &call)
{
    return moveCalled(context, call, v1::TICKET_STATE_SERVED);
}

Result<Reply> closeTicketAsNoShow(Context &context, Call &call)
{
    return moveCalled(context, call, v1::TICKET_STATE_NO_SHOW);
}

Result<Reply> referTicket(Context &context, Call &call)
{
    return moveCalled(context, call, v1::TICKET_STATE_REFERRED);
}

} // namespace sigess::api::endpoints
