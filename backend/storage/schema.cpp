#include "storage/schema.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sigess::storage {

namespace {

// Each step is written once for both dialects, with two type words that differ:
//   {KEY}    text compared byte by byte (SQLite's default; PostgreSQL's "C" collation,
//            so ordering and ranges of ids and codes agree between the two stores)
//   {BYTES}  raw bytes (BLOB, BYTEA)
// Statements are separated by ";\n" so each runs on its own through SqlExecutor.
// A step that names a dialect changes a layout only that store needs: on the other it
// records its version and runs nothing, so the versions stay one sequence for both.
struct Step {
    int version;
    std::string_view sql;
    std::optional<Dialect> only = std::nullopt;
};

constexpr Step steps[] = {
    {1, R"sql(
CREATE TABLE presidi (
    code {KEY} PRIMARY KEY,
    municipio {KEY} NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX presidi_municipio ON presidi (municipio, code);
CREATE TABLE operators (
    id {KEY} PRIMARY KEY,
    username {KEY} NOT NULL UNIQUE,
    presidio {KEY} NOT NULL,
    role BIGINT NOT NULL,
    disabled BIGINT NOT NULL,
    password_hash TEXT NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX operators_presidio ON operators (presidio, username);
CREATE TABLE sessions (
    token_hash {BYTES} PRIMARY KEY,
    operator_id {KEY} NOT NULL,
    device_id {KEY} NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    revoked BIGINT NOT NULL
);
CREATE INDEX sessions_operator ON sessions (operator_id);
CREATE INDEX sessions_device ON sessions (device_id);
CREATE INDEX sessions_expires ON sessions (expires_ms);
CREATE TABLE enrollment_codes (
    code_hash {BYTES} PRIMARY KEY,
    presidio {KEY} NOT NULL,
    kind BIGINT NOT NULL,
    issued_by {KEY} NOT NULL,
    issued_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    redeemed_by {KEY}
);
CREATE TABLE devices (
    id {KEY} PRIMARY KEY,
    presidio {KEY} NOT NULL,
    kind BIGINT NOT NULL,
    revoked BIGINT NOT NULL,
    credential_hash {BYTES} NOT NULL UNIQUE,
    data {BYTES} NOT NULL
);
CREATE INDEX devices_presidio ON devices (presidio, id);
CREATE TABLE citizens (
    id {KEY} PRIMARY KEY,
    presidio {KEY} NOT NULL,
    codice_fiscale {KEY} UNIQUE,
    name_key {BYTES} NOT NULL,
    alt_name_key {BYTES} NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX citizens_presidio_name ON citizens (presidio, name_key, id);
CREATE INDEX citizens_name ON citizens (name_key, id);
CREATE INDEX citizens_alt_name ON citizens (alt_name_key);
CREATE TABLE intakes (
    id {KEY} PRIMARY KEY,
    presidio {KEY} NOT NULL,
    citizen {KEY} NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX intakes_presidio ON intakes (presidio, id);
CREATE INDEX intakes_citizen ON intakes (citizen);
CREATE TABLE tickets (
    id {KEY} PRIMARY KEY,
    presidio {KEY} NOT NULL,
    number {KEY} NOT NULL,
    issued_day BIGINT NOT NULL,
    state BIGINT NOT NULL,
    data {BYTES} NOT NULL,
    UNIQUE (presidio, issued_day, number)
);
CREATE INDEX tickets_presidio ON tickets (presidio, id);
CREATE INDEX tickets_presidio_state ON tickets (presidio, state, id);
CREATE TABLE cases (
    id {KEY} PRIMARY KEY,
    presidio {KEY} NOT NULL,
    citizen {KEY} NOT NULL,
    responsible_operator {KEY} NOT NULL,
    state {KEY} NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX cases_presidio ON cases (presidio, id);
CREATE INDEX cases_operator ON cases (responsible_operator, id);
CREATE INDEX cases_citizen ON cases (citizen, id);
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    sequence BIGINT NOT NULL,
    hash {BYTES} NOT NULL
);
CREATE TABLE audit_events (
    sequence BIGINT PRIMARY KEY,
    id {KEY} NOT NULL UNIQUE,
    actor {KEY} NOT NULL,
    citizen {KEY} NOT NULL,
    at_ms BIGINT NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX audit_events_citizen ON audit_events (citizen, sequence)
)sql"},
    // Sync: the merged state of every replicated entity, and the log of the operations
    // merged into it, numbered by sync_head so that a cursor is a position in that log.
    // sync_head's row is updated by every writer last, right before its commit: its lock
    // orders PostgreSQL's concurrent writers' sequences, so they become visible in order
    // and no cursor skips one (sync/sync_repository.h).
    {2, R"sql(
CREATE TABLE sync_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    sequence BIGINT NOT NULL
);
INSERT INTO sync_head (id, sequence) VALUES (1, 0);
CREATE TABLE sync_entities (
    entity_type BIGINT NOT NULL,
    id {KEY} NOT NULL,
    presidio {KEY} NOT NULL,
    assigned {KEY} NOT NULL,
    data {BYTES} NOT NULL,
    clock {BYTES} NOT NULL,
    PRIMARY KEY (entity_type, id)
);
CREATE TABLE sync_ops (
    sequence BIGINT PRIMARY KEY,
    op_id {KEY} NOT NULL UNIQUE,
    entity_type BIGINT NOT NULL,
    entity_id {KEY} NOT NULL,
    presidio {KEY} NOT NULL,
    assigned {KEY} NOT NULL,
    operation {BYTES} NOT NULL
)
)sql"},
    // What several backend instances on one PostgreSQL must agree on, and what must
    // outlive a restart: break-the-glass grants (the message, with the columns that find
    // a holder's live grants) and the login throttle's record per username. And the
    // indexes that let a citizen search read one range per name key (and codice
    // fiscale) within a presidio, already in page order, without visiting the rows;
    // and the one that finds a presidio's queue of the day for a desk calling the next.
    {3, R"sql(
CREATE INDEX citizens_presidio_alt_name ON citizens (presidio, alt_name_key, name_key, id);
CREATE INDEX citizens_presidio_codice_fiscale ON citizens (presidio, codice_fiscale, name_key, id);
CREATE INDEX tickets_presidio_state_day ON tickets (presidio, state, issued_day);
CREATE TABLE break_glass_grants (
    id {KEY} PRIMARY KEY,
    holder {KEY} NOT NULL,
    expires_ms BIGINT NOT NULL,
    data {BYTES} NOT NULL
);
CREATE INDEX break_glass_grants_holder ON break_glass_grants (holder, expires_ms);
CREATE INDEX break_glass_grants_expires ON break_glass_grants (expires_ms);
CREATE TABLE login_throttle (
    username {KEY} PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_ms BIGINT NOT NULL,
    locked_until_ms BIGINT NOT NULL
);
CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_ms)
)sql"},
    // The log of one entity (the history a device gains with a reassigned case, the scope
    // an entity had before an operation) and the case-file parts held with an operator
    // (what leaves a device with a case), without reading the whole log or store.
    {4, R"sql(
CREATE INDEX sync_ops_entity ON sync_ops (entity_type, entity_id, sequence);
CREATE INDEX sync_entities_assigned ON sync_entities (assigned, entity_type)
)sql"},
    // The same look-ups with keys in the order rows arrive: an entity id (a UUIDv7)
    // first, so a Push appends its log rows' entries at one end of the index instead of
    // at the end of each entity type's range (each such insertion point dirtied a few
    // pages of its own per commit); and a case-file part found by its operator alone,
    // since the look-up reads every part's row anyway.
    {5, R"sql(
DROP INDEX sync_ops_entity;
CREATE INDEX sync_ops_entity_id ON sync_ops (entity_id, entity_type, sequence);
DROP INDEX sync_entities_assigned;
CREATE INDEX sync_entities_assignee ON sync_entities (assigned)
)sql"},
    // SQLite keys a table by its rowid, and only a column declared INTEGER PRIMARY KEY is
    // that rowid: keyed by a BIGINT, every log row went into the table and again into an
    // index on its sequence, and a pull's scan in sequence order went through that index
    // to each row. The log is rebuilt keyed by its sequence (its rows, in order, and its
    // indexes as they were). PostgreSQL's tables are heaps whatever the key, so its log
    // stays as it is.
    {6, R"sql(
CREATE TABLE sync_ops_by_sequence (
    sequence INTEGER PRIMARY KEY,
    op_id {KEY} NOT NULL,
    entity_type BIGINT NOT NULL,
    entity_id {KEY} NOT NULL,
    presidio {KEY} NOT NULL,
    assigned {KEY} NOT NULL,
    operation {BYTES} NOT NULL
);
INSERT INTO sync_ops_by_sequence (sequence, op_id, entity_type, entity_id, presidio, assigned, operation)
    SELECT sequence, op_id, entity_type, entity_id, presidio, assigned, operation FROM sync_ops ORDER BY sequence;
DROP TABLE sync_ops;
ALTER TABLE sync_ops_by_sequence RENAME TO sync_ops;
CREATE UNIQUE INDEX sync_ops_op_id ON sync_ops (op_id);
CREATE INDEX sync_ops_entity_id ON sync_ops (entity_id, entity_type, sequence)
)sql",
     Dialect::Sqlite},
    // The log's epoch: a random id of its history, which a device's cursor names beside
    // its position. Every restore of a backup gives the log a new one (renewLogEpoch),
    // so a cursor issued before the restore is known as one of another history even
    // where its position still lies within the restored log.
    {7, R"sql(
ALTER TABLE sync_head ADD COLUMN epoch {KEY} NOT NULL DEFAULT '';
{RENEW_EPOCH}
)sql"},
};

// 32 lowercase hexadecimal digits from each store's own random source.
constexpr std::string_view renewEpochSql = "UPDATE sync_head SET epoch = {RANDOM_ID} WHERE id = 1";

std::string forDialect(std::string_view sql, Dialect dialect)
{
    const std::string_view key = dialect == Dialect::Postgres ? "TEXT COLLATE \"C\"" : "TEXT";
    const std::string_view bytes = dialect == Dialect::Postgres ? "BYTEA" : "BLOB";
    const std::string_view randomId
        = dialect == Dialect::Postgres ? "replace(gen_random_uuid()::text, '-', '')" : "lower(hex(randomblob(16)))";
    std::string out;
    std::size_t position = 0;
    for (;;) {
        const std::size_t open = sql.find('{', position);
        out += sql.substr(position, open - position);
        if (open == std::string_view::npos)
            return out;
        const std::size_t close = sql.find('}', open);
        const std::string_view word = sql.substr(open, close - open + 1);
        if (word == "{RENEW_EPOCH}")
            out += forDialect(renewEpochSql, dialect);
        else
            out += word == "{KEY}" ? key : word == "{RANDOM_ID}" ? randomId : bytes;
        position = close + 1;
    }
}

Status applyStep(SqlExecutor &transaction, const Step &step)
{
    // The version row goes first: of two instances migrating at once, the second
    // waits on it and then fails with Conflict instead of running the DDL twice.
    Result<std::int64_t> recorded = transaction.execute("INSERT INTO schema_version (version) VALUES ($1)",
                                                        {step.version});
    if (!recorded.ok())
        return recorded.takeError();
    if (step.only && *step.only != transaction.dialect())
        return {};
    const std::string sql = forDialect(step.sql, transaction.dialect());
    std::size_t position = 0;
    while (position < sql.size()) {
        std::size_t end = sql.find(";\n", position);
        if (end == std::string::npos)
            end = sql.size();
        const std::string statement = sql.substr(position, end - position);
        if (statement.find_first_not_of(" \n") != std::string::npos) {
            Result<std::int64_t> ran = transaction.execute(statement, {});
            if (!ran.ok())
                return makeError(ran.error().code, "schema step " + std::to_string(step.version)
                                                       + " failed: " + ran.error().message);
        }
        position = end + 2;
    }
    return {};
}

} // namespace

std::string renewLogEpochStatement(Dialect dialect)
{
    return forDialect(renewEpochSql, dialect);
}

int latestSchemaVersion()
{
    return std::span(steps).back().version;
}

Result<int> schemaVersion(SqlDatabase &database)
{
    int version = 0;
    Status read = database.query("SELECT max(version) FROM schema_version", {}, [&](const SqlRow &row) -> Status {
        if (!row.isNull(0))
            version = static_cast<int>(row.int64(0));
        return {};
    });
    if (!read.ok())
        return read.takeError();
    return version;
}

Status migrateSchema(SqlDatabase &database)
{
    return migrateSchemaTo(database, latestSchemaVersion());
}

Status migrateSchemaTo(SqlDatabase &database, int target)
{
    Result<std::int64_t> created =
        database.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY)", {});
    // Conflict: another instance created the table at the same moment, which is fine.
    if (!created.ok() && created.error().code != ErrorCode::Conflict)
        return created.takeError();
    int lostRaceAt = -1;
    for (;;) {
        Result<int> version = schemaVersion(database);
        if (!version.ok())
            return version.takeError();
        const int latest = latestSchemaVersion();
        if (*version > latest)
            return makeError(ErrorCode::Conflict, "the store's schema is at version " + std::to_string(*version)
                                                      + ", newer than this program's "
                                                      + std::to_string(latest) + "; upgrade the program");
        if (*version >= target)
            return {};
        const Step &next = steps[*version];
        Status applied = database.transaction([&](SqlExecutor &transaction) { return applyStep(transaction, next); });
        // Conflict: another instance applied this step first, so the version read
        // again has moved on; if it has not, the Conflict came from the step itself.
        if (!applied.ok() && (applied.error().code != ErrorCode::Conflict || lostRaceAt == *version))
            return applied;
        lostRaceAt = applied.ok() ? -1 : *version;
    }
}

} // namespace sigess::storage
