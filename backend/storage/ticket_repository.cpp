#include "storage/ticket_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

namespace {

// Queues restart their numbering every day, so a number is unique only within its day.
std::int64_t issuedDay(const v1::Ticket &ticket)
{
    return TicketRepository::dayOf(ticket.issued().wall_ms());
}

Result<std::vector<Column>> columnsOf(const v1::Ticket &ticket)
{
    const std::string what = "ticket '" + ticket.number() + "'";
    SIGESS_TRY(require(!ticket.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!ticket.meta().presidio().empty(), what, "a presidio"));
    SIGESS_TRY(require(!ticket.number().empty(), what, "a number"));
    Result<SqlBytes> data = serialized(ticket);
    if (!data.ok())
        return data.takeError();
    return std::vector<Column>{
        {"presidio", ticket.meta().presidio()},
        {"number", ticket.number()},
        {"issued_day", issuedDay(ticket)},
        {"state", static_cast<std::int64_t>(ticket.state())},
        {"data", std::move(data).value()},
    };
}

} // namespace

Status TicketRepository::create(const v1::Ticket &ticket)
{
    Result<std::vector<Column>> columns = columnsOf(ticket);
    if (!columns.ok())
        return columns.takeError();
    columns->push_back({"id", ticket.meta().id()});
    return insertRow(m_sql, "tickets", *columns, "ticket '" + ticket.number() + "'");
}

Status TicketRepository::update(const v1::Ticket &ticket)
{
    Result<std::vector<Column>> columns = columnsOf(ticket);
    if (!columns.ok())
        return columns.takeError();
    return updateRow(m_sql, "tickets", {"id", ticket.meta().id()}, *columns, "ticket '" + ticket.meta().id() + "'");
}

Status TicketRepository::storeAll(std::span<const v1::Ticket *const> tickets, OnKeyConflict onConflict)
{
    return storeRecords(m_sql, "tickets", tickets, onConflict, columnsOf, std::to_string(tickets.size()) + " tickets");
}

Result<v1::Ticket> TicketRepository::byId(std::string_view id)
{
    return readMessage<v1::Ticket>(m_sql, "SELECT data FROM tickets WHERE id = $1", {id},
                                   "no ticket '" + std::string(id) + "'");
}

Result<v1::Ticket> TicketRepository::byNumber(std::string_view presidio, std::int64_t day, std::string_view number)
{
    return readMessage<v1::Ticket>(m_sql, "SELECT data FROM tickets WHERE presidio = $1 AND issued_day = $2 AND number = $3",
                                   {presidio, day, number}, "no ticket '" + std::string(number) + "' that day");
}

Result<Page<v1::Ticket>> TicketRepository::listByPresidio(std::string_view presidio, v1::TicketState state,
                                                          const PageRequest &page)
{
    SqlBuilder query("SELECT data, id FROM tickets WHERE 1 = 1");
    query.andInScope("presidio", Scope::presidio(std::string(presidio)));
    if (state != v1::TICKET_STATE_UNSPECIFIED)
        query.append(" AND state = ").append(query.bind(static_cast<std::int64_t>(state)));
    return readMessagePage<v1::Ticket>(m_sql, std::move(query), "id", page);
}

Result<std::vector<v1::Ticket>> TicketRepository::listWaiting(std::string_view presidio, std::int64_t day)
{
    std::vector<v1::Ticket> tickets;
    Status read = m_sql.query("SELECT data FROM tickets WHERE presidio = $1 AND state = $2 AND issued_day = $3",
                              {presidio, static_cast<std::int64_t>(v1::TICKET_STATE_WAITING), day},
                              [&](const SqlRow &row) { return parseStored(row.bytes(0), tickets.emplace_back()); });
    if (!read.ok())
        return read.takeError();
    return tickets;
}

std::int64_t TicketRepository::dayOf(std::uint64_t wallMs)
{
    constexpr std::uint64_t millisecondsPerDay = 86'400'000;
    return static_cast<std::int64_t>(wallMs / millisecondsPerDay);
}

} // namespace sigess::storage
