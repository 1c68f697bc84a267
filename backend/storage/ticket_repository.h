// Queue tickets, stored whole with the owning presidio (meta.presidio), the state and
// the number as columns. A ticket number is unique within its presidio and the day it
// was issued (queues restart each day; kiosks keep numbers apart offline through their
// device's ticket prefix). Lists run oldest first
// (id order; ids are UUIDv7).
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/bulk_sql.h"
#include "storage/page.h"
#include "storage/sql.h"

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sigess::storage {

class TicketRepository {
public:
    explicit TicketRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without meta.id, meta.presidio or a number; Conflict when the id, or
    // the number within the presidio, exists.
    Status create(const v1::Ticket &ticket);
    // Replaces the stored message (state, desk, called...). Whether a state change is
    // allowed is the caller's rule, not the store's. NotFound for an unknown id.
    Status update(const v1::Ticket &ticket);
    // Stores many at once, in one statement on PostgreSQL (a few on the embedded store):
    // OnKeyConflict::Fail as create() for each, Replace as update() or, for an id not
    // stored, create(). Invalid for the first that create() would refuse so, before
    // anything is written; Conflict as create() for any of them.
    Status storeAll(std::span<const v1::Ticket *const> tickets, OnKeyConflict onConflict);
    Result<v1::Ticket> byId(std::string_view id);
    // The ticket of the presidio that holds `number` on `day` (see dayOf); NotFound when
    // none does.
    Result<v1::Ticket> byNumber(std::string_view presidio, std::int64_t day, std::string_view number);
    // TICKET_STATE_UNSPECIFIED lists every state.
    Result<Page<v1::Ticket>> listByPresidio(std::string_view presidio, v1::TicketState state,
                                            const PageRequest &page);

    // The presidio's tickets issued on `day` (see dayOf) that wait, in no order. Read
    // without a lock: a desk that moves one locks its entity first (sync/server_writes.h).
    Result<std::vector<v1::Ticket>> listWaiting(std::string_view presidio, std::int64_t day);
    // The queue day of an instant: days since the epoch, UTC (presidi are closed around
    // midnight, where UTC and Rome's day differ).
    static std::int64_t dayOf(std::uint64_t wallMs);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
