#include "storage/audit_repository.h"

#include "storage/bulk_sql.h"
#include "storage/repository_support.h"

#include <array>
#include <string_view>

namespace sigess::storage {

namespace {

// The stored form of an event, which must carry its id and hash.
Result<SqlBytes> storable(const v1::AuditEvent &event)
{
    const std::string what = "audit event '" + event.meta().id() + "'";
    SIGESS_TRY(require(!event.meta().id().empty(), what, "an id"));
    SIGESS_TRY(require(!event.hash().empty(), what, "a hash"));
    return serialized(event);
}

} // namespace

Result<AuditHead> AuditRepository::head()
{
    return readHead("SELECT sequence, hash FROM audit_head WHERE id = 1");
}

Result<AuditHead> AuditRepository::lockHead()
{
    // Under READ COMMITTED a writer that waited for the lock reads the row as its holder
    // committed it, so it links after the latest event instead of failing the
    // compare-and-set. SQLite has no row locks and needs none: its writer is alone.
    if (m_sql.dialect() == Dialect::Postgres)
        return readHead("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE");
    return head();
}

Result<AuditHead> AuditRepository::readHead(std::string_view statement)
{
    AuditHead head;
    Status read = readOne(
        m_sql, statement, {},
        [&](const SqlRow &row) -> Status {
            head.sequence = row.int64(0);
            head.hash = row.bytes(1);
            return {};
        },
        "the audit log is empty");
    if (!read.ok() && read.error().code != ErrorCode::NotFound)
        return read.takeError();
    return head;
}

Result<std::int64_t> AuditRepository::append(const v1::AuditEvent &event)
{
    const std::string what = "audit event '" + event.meta().id() + "'";
    Result<SqlBytes> data = storable(event);
    if (!data.ok())
        return data.takeError();
    const Error moved = makeError(ErrorCode::Conflict, "cannot append " + what
                                                           + ": the audit log has moved on since its previous hash");
    std::int64_t sequence = 0;
    // The head moves and the event lands together, or neither does.
    Status appended = m_sql.transaction([&](SqlExecutor &transaction) -> Status {
        if (event.previous_hash().empty()) {
            // The first event: inserting the head row fails (Conflict) if one exists.
            sequence = 1;
            Status started = insertRow(transaction, "audit_head",
                                       {{"id", 1}, {"sequence", sequence}, {"hash", SqlBytes{event.hash()}}}, what);
            if (!started.ok())
                return started.error().code == ErrorCode::Conflict ? moved : started;
        } else {
            Status advanced = readOne(
                transaction,
                "UPDATE audit_head SET sequence = sequence + 1, hash = $1 WHERE id = 1 AND hash = $2"
                " RETURNING sequence",
                {SqlBytes{event.hash()}, SqlBytes{event.previous_hash()}},
                [&](const SqlRow &row) -> Status {
                    sequence = row.int64(0);
                    return {};
                },
                moved.message);
            if (!advanced.ok())
                return advanced.error().code == ErrorCode::NotFound ? moved : advanced;
        }
        return insertRow(transaction, "audit_events",
                         {
                             {"sequence", sequence},
                             {"id", event.meta().id()},
                             {"actor", event.actor()},
                             {"citizen", event.citizen()},
                             {"at_ms", static_cast<std::int64_t>(event.at_ms())},
                             {"data", *data},
                         },
                         what);
    });
    if (!appended.ok())
        return appended.takeError();
    return sequence;
}

Status AuditRepository::appendAll(std::span<const v1::AuditEvent> events)
{
    if (events.empty())
        return {};
    // The first event of the log makes the head row, which append() knows how to do.
    if (events.front().previous_hash().empty()) {
        Result<std::int64_t> first = append(events.front());
        if (!first.ok())
            return first.takeError();
        return appendAll(events.subspan(1));
    }
    std::vector<SqlBytes> data;
    data.reserve(events.size());
    for (const v1::AuditEvent &event : events) {
        Result<SqlBytes> bytes = storable(event);
        if (!bytes.ok())
            return bytes.takeError();
        data.push_back(std::move(bytes).value());
    }
    const auto count = static_cast<std::int64_t>(events.size());
    const std::string moved = "cannot append " + std::to_string(count) + " audit events: the audit log has moved on "
                              "since the previous hash of the first";
    return m_sql.transaction([&](SqlExecutor &transaction) -> Status {
        std::int64_t last = 0;
        Status advanced = readOne(
            transaction,
            "UPDATE audit_head SET sequence = sequence + $1, hash = $2 WHERE id = 1 AND hash = $3 RETURNING sequence",
            {count, SqlBytes{events.back().hash()}, SqlBytes{events.front().previous_hash()}},
            [&](const SqlRow &row) -> Status {
                last = row.int64(0);
                return {};
            },
            moved);
        if (!advanced.ok())
            return advanced.error().code == ErrorCode::NotFound ? makeError(ErrorCode::Conflict, moved) : advanced;
        std::vector<SqlValue> rows;
        rows.reserve(events.size() * 6);
        for (std::size_t i = 0; i < events.size(); ++i) {
            const v1::AuditEvent &event = events[i];
            rows.emplace_back(last - count + 1 + static_cast<std::int64_t>(i));
            rows.emplace_back(event.meta().id());
            rows.emplace_back(event.actor());
            rows.emplace_back(event.citizen());
            rows.emplace_back(static_cast<std::int64_t>(event.at_ms()));
            rows.emplace_back(std::move(data[i]));
        }
        static constexpr std::array<std::string_view, 6> columns{"sequence", "id", "actor", "citizen", "at_ms", "data"};
        if (Status appended = appendRows(transaction, "audit_events", columns, rows); !appended.ok())
            return inContext(appended.error(), "cannot append audit events");
        return {};
    });
}

Result<std::vector<AuditEntry>> AuditRepository::scan(std::int64_t afterSequence, std::size_t limit)
{
    if (limit == 0 || limit > PageRequest::maxLimit)
        return makeError(ErrorCode::Invalid, "a scan reads 1 to " + std::to_string(PageRequest::maxLimit)
                                                 + " events, not " + std::to_string(limit));
    std::vector<AuditEntry> entries;
    Status read = m_sql.query(
        "SELECT sequence, data FROM audit_events WHERE sequence > $1 ORDER BY sequence LIMIT $2",
        {afterSequence, static_cast<std::int64_t>(limit)}, [&](const SqlRow &row) {
            AuditEntry &entry = entries.emplace_back();
            entry.sequence = row.int64(0);
            return parseStored(row.bytes(1), entry.event);
        });
    if (!read.ok())
        return read.takeError();
    return entries;
}

Result<Page<AuditEntry>> AuditRepository::byCitizen(std::string_view citizenId, const PageRequest &page)
{
    Result<std::string> limit = limitClause(page);
    if (!limit.ok())
        return limit.takeError();
    SqlBuilder query("SELECT sequence, data FROM audit_events WHERE citizen = ");
    query.append(query.bind(citizenId));
    if (!page.cursor.empty()) {
        Result<std::vector<std::string>> after = decodeCursor(page.cursor, 1);
        if (!after.ok())
            return after.takeError();
        std::int64_t sequence = 0;
        for (const char c : after->front()) {
            if (c < '0' || c > '9' || sequence > (INT64_MAX - 9) / 10)
                return makeError(ErrorCode::Invalid, "the page cursor is malformed");
            sequence = sequence * 10 + (c - '0');
        }
        query.append(" AND sequence > ").append(query.bind(sequence));
    }
    query.append(" ORDER BY sequence").append(*limit);
    return readPage<AuditEntry>(
        m_sql, query, page,
        [](const SqlRow &row, AuditEntry &entry) {
            entry.sequence = row.int64(0);
            return parseStored(row.bytes(1), entry.event);
        },
        [](const SqlRow &row) { return encodeCursor({std::to_string(row.int64(0))}); });
}

} // namespace sigess::storage
