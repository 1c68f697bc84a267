// The audit log's storage: events appended in a strict sequence (1, 2, 3...) next to a
// one-row head holding the last sequence and hash. Hashing and verification belong to
// audit/; this repository guarantees that the chain never forks: append() is a
// compare-and-set on the head, so of two concurrent appends that both read the same
// head, one gets ErrorCode::Conflict and must read the head again, re-hash and retry.
// A writer that reads the head with lockHead() inside its transaction never loses that
// race: concurrent writers queue on the head row instead (PostgreSQL's row lock; the
// embedded store has one writer at a time anyway).
// Each event is stored whole (its serialized message) with the actor, the citizen and
// the time as columns for the access report.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/page.h"
#include "storage/sql.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::storage {

struct AuditHead {
    std::int64_t sequence = 0;  // 0 for an empty log
    std::string hash;           // the last event's hash; empty for an empty log
};

struct AuditEntry {
    std::int64_t sequence = 0;
    v1::AuditEvent event;
};

class AuditRepository {
public:
    explicit AuditRepository(SqlExecutor &sql) : m_sql(sql) {}

    Result<AuditHead> head();
    // The head, held until the enclosing transaction ends so that no other writer can
    // move it in between (SELECT ... FOR UPDATE on PostgreSQL). Call it on a
    // transaction's executor, right before append().
    Result<AuditHead> lockHead();
    // Stores the event as sequence head().sequence + 1 and makes its hash the new head,
    // provided event.previous_hash equals the current head's hash; otherwise Conflict
    // and nothing is written. Invalid without meta.id or a hash. Returns the sequence.
    Result<std::int64_t> append(const v1::AuditEvent &event);
    // Stores a run of events already linked to each other, the first after the current
    // head, as append() would one by one: all or none, Conflict when the first one's
    // previous_hash is not the head's. Multi-row statements, for batches of thousands.
    Status appendAll(std::span<const v1::AuditEvent> events);
    // Events after a sequence number, in order, at most limit (1..PageRequest::maxLimit).
    Result<std::vector<AuditEntry>> scan(std::int64_t afterSequence, std::size_t limit);
    // Events about one citizen, in sequence order (for a GDPR access request).
    Result<Page<AuditEntry>> byCitizen(std::string_view citizenId, const PageRequest &page);

private:
    Result<AuditHead> readHead(std::string_view statement);

    SqlExecutor &m_sql;
};

} // namespace sigess::storage
