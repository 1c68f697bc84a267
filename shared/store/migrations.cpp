#include "store/migrations.h"

#include "store/transaction.h"

#include <string>

namespace sigess::store {

namespace {

constexpr std::string_view createVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY NOT NULL)";

Status checkNumbering(std::span<const Migration> steps)
{
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].version != static_cast<int>(i) + 1)
            return makeError(ErrorCode::Invalid, "migration steps must be numbered 1, 2, 3... in order; step "
                                                     + std::to_string(i + 1) + " is numbered "
                                                     + std::to_string(steps[i].version));
    }
    return {};
}

Result<std::int64_t> queryInt64(Database &database, std::string_view sql)
{
    Result<Statement> query = database.prepare(sql);
    if (!query.ok())
        return query.takeError();
    Result<bool> row = query->step();
    if (!row.ok())
        return row.takeError();
    return query->columnInt64(0);
}

Status applyStep(Database &database, const Migration &step)
{
    Result<Transaction> transaction = Transaction::begin(database);
    if (!transaction.ok())
        return transaction.takeError();
    Status applied = database.exec(step.sql);
    if (!applied.ok())
        return makeError(applied.error().code, "schema migration " + std::to_string(step.version)
                                                   + " failed: " + applied.error().message);
    Result<Statement> record = database.prepare("INSERT INTO schema_version (version) VALUES (?)");
    if (!record.ok())
        return record.takeError();
    SIGESS_TRY(record->bindInt64(1, step.version).run());
    return transaction->commit();
}

} // namespace

Result<int> schemaVersion(Database &database)
{
    // Read-only, so that inspecting a store (sigessctl store verify) never writes to it.
    Result<std::int64_t> tables = queryInt64(
        database, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
    if (!tables.ok())
        return tables.takeError();
    if (*tables == 0)
        return 0;
    Result<std::int64_t> version = queryInt64(database, "SELECT coalesce(max(version), 0) FROM schema_version");
    if (!version.ok())
        return version.takeError();
    return static_cast<int>(*version);
}

Status migrate(Database &database, std::span<const Migration> steps)
{
    SIGESS_TRY(checkNumbering(steps));
    Result<int> current = schemaVersion(database);
    if (!current.ok())
        return current.takeError();
    SIGESS_TRY(database.exec(createVersionTable));
    const int latest = static_cast<int>(steps.size());
    if (*current > latest)
        return makeError(ErrorCode::Conflict, "the store " + database.path() + " is at schema version "
                                                  + std::to_string(*current) + ", newer than this program knows ("
                                                  + std::to_string(latest) + "); update the program");
    for (const Migration &step : steps.subspan(static_cast<std::size_t>(*current)))
        SIGESS_TRY(applyStep(database, step));
    return {};
}

} // namespace sigess::store
