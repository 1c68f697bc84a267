// The kiosk's encrypted local store and what it does with it: every check-in writes an
// intake and its ticket through the sync Replica (offline first: the outbox holds them
// until the backend acknowledges them), numbers tickets without asking anyone, keeps
// today's queue of the presidio in memory for wait estimates and the waiting-room
// display, and, once the backend has acknowledged an intake, purges its personal fields
// (kiosk minimisation, DESIGN.md). The database key is wrapped by the device secret alone.
//
// The intake is written before its ticket, each in its own transaction: a crash between
// the two leaves an intake whose ticket was never shown, which desk staff see as an
// intake without a ticket, never the reverse.
//
// Thread safety: none inside; one thread (the kiosk's store thread) uses it.
#pragma once

#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "kiosk_config.h"
#include "ticket_queue.h"
#include "sigess/v1/entities.pb.h"
#include "sigess/v1/sync.pb.h"
#include "store/database.h"
#include "store/device_secret.h"
#include "store/key_vault.h"
#include "sync/replica.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sigess::kiosk {

struct CheckIn {
    v1::Ticket ticket;
    WaitEstimate wait;
};

class CheckInStore {
public:
    // Opens (creating when missing) the store named by the config; argon2 is the cost of
    // wrapping a new key (Argon2Cost::moderate() on a kiosk). The clock must outlive it.
    static Result<std::unique_ptr<CheckInStore>> open(
        const KioskConfig &config, const core::Clock &clock, store::Argon2Cost argon2);
    ~CheckInStore();

    // Records the intake (its personal fields as the citizen gave them; meta, ticket and
    // access channel are set here) and issues its ticket.
    Result<CheckIn> checkIn(v1::Intake intake);

    // The presidio's tickets issued today, in the order desks call them.
    std::vector<v1::Ticket> todaysQueue() const;

    // Sync runs through shared/sync_client's SyncDriver over this replica, on the store
    // thread; the kiosk adds two steps of its own. After an Ack: the personal fields of
    // every intake the backend now holds are forgotten. After Changes (a desk's call,
    // another kiosk's ticket): today's queue is read again.
    sync::Replica &replica();
    Status purgeAcknowledged();
    Status reloadQueue();
    Result<std::size_t> outboxSize();

    // The entity as stored, for tests and the review of what the kiosk still holds.
    Result<std::optional<v1::Intake>> intake(const std::string &id);

    // Intake fields a kiosk forgets once the backend holds them.
    static const std::vector<int> &personalIntakeFields();

private:
    struct Parts;
    explicit CheckInStore(std::unique_ptr<Parts> parts);

    std::unique_ptr<Parts> m_parts;
};

// Erases what a revoked kiosk holds (its device was revoked: DESIGN.md "Security"): the
// encrypted store with its WAL, shared-memory and journal files, the wrapped key, and
// the device credential, so that neither the data nor a connection can come back. The
// store must be closed. Unavailable, naming the first file that stays, when one cannot
// be removed; the others are removed all the same.
Status eraseKioskFiles(const KioskConfig &config);

} // namespace sigess::kiosk
