#include "ctl/store_checks.h"

#include "storage/audit_repository.h"
#include "storage/page.h"
#include "storage/schema.h"

#include <array>
#include <string>
#include <utility>

namespace sigess::ctl {

namespace {

Result<std::int64_t> countRows(storage::SqlExecutor &sql, std::string_view table)
{
    std::int64_t count = 0;
    Status read
        = sql.query("SELECT count(*) FROM " + std::string(table), {}, [&](const storage::SqlRow &row) {
              count = row.int64(0);
              return Status {};
          });
    if (!read.ok())
        return read.takeError();
    return count;
}

// Every row of a one-column check, one per line; empty when the check found nothing.
Result<std::string> checkLines(storage::SqlDatabase &database, std::string_view pragma)
{
    std::string lines;
    Status read = database.query(pragma, {}, [&](const storage::SqlRow &row) {
        lines += row.text(0);
        lines += '\n';
        return Status {};
    });
    if (!read.ok())
        return read.takeError();
    return lines;
}

Status checkPages(storage::SqlDatabase &database, std::ostream &out)
{
    if (database.dialect() != storage::Dialect::Sqlite) {
        out << "page integrity: checked by PostgreSQL itself\n";
        return {};
    }
    Result<std::string> structure = checkLines(database, "PRAGMA integrity_check");
    if (!structure.ok())
        return structure.takeError();
    if (*structure != "ok\n")
        return makeError(ErrorCode::Corrupt, "integrity_check failed:\n" + *structure);
    Result<std::string> cipher = checkLines(database, "PRAGMA cipher_integrity_check");
    if (!cipher.ok())
        return cipher.takeError();
    if (!cipher->empty())
        return makeError(ErrorCode::Corrupt, "cipher_integrity_check failed:\n" + *cipher);
    out << "page integrity: ok (integrity_check, cipher_integrity_check)\n";
    return {};
}

} // namespace

bool RecordCounts::holdsCity() const
{
    return operators + devices + citizens + intakes + tickets + cases + auditEvents > 0;
}

Result<RecordCounts> countRecords(storage::SqlExecutor &sql)
{
    RecordCounts counts;
    const std::array<std::pair<std::string_view, std::int64_t *>, 8> tables = { {
        { "presidi", &counts.presidi },
        { "operators", &counts.operators },
        { "devices", &counts.devices },
        { "citizens", &counts.citizens },
        { "intakes", &counts.intakes },
        { "tickets", &counts.tickets },
        { "cases", &counts.cases },
        { "audit_events", &counts.auditEvents },
    } };
    for (const auto &[table, count] : tables) {
        Result<std::int64_t> rows = countRows(sql, table);
        if (!rows.ok())
            return rows.takeError();
        *count = *rows;
    }
    return counts;
}

void printCounts(const RecordCounts &counts, std::ostream &out)
{
    out << "presidi " << counts.presidi << ", operators " << counts.operators << ", devices "
        << counts.devices << ", citizens " << counts.citizens << ", intakes " << counts.intakes
        << ", tickets " << counts.tickets << ", cases " << counts.cases << ", audit events "
        << counts.auditEvents << '\n';
}

Result<audit::VerifyReport> verifyAuditLog(storage::SqlDatabase &database)
{
    storage::AuditRepository log(database);
    Result<storage::AuditHead> head = log.head();
    if (!head.ok())
        return head.takeError();
    const audit::ChainHead expectedEnd { static_cast<std::uint64_t>(head->sequence), head->hash };

    audit::ChainVerifier verifier;
    std::int64_t after = 0;
    while (after < head->sequence) {
        Result<std::vector<storage::AuditEntry>> page = log.scan(after, storage::PageRequest::maxLimit);
        if (!page.ok())
            return makeError(page.error().code,
                "reading the audit events after sequence " + std::to_string(after) + ": "
                    + page.error().message);
        if (page->empty())
            break;
        for (const storage::AuditEntry &entry : *page) {
            if (entry.sequence > head->sequence)
                break;
            verifier.add(entry.event);
            after = entry.sequence;
        }
        if (verifier.finish().fault)
            return verifier.finish();
        if (page->back().sequence > head->sequence)
            break;
    }
    return verifier.finish(expectedEnd);
}

Status verifyStore(storage::SqlDatabase &database, std::ostream &out)
{
    Result<int> version = storage::schemaVersion(database);
    if (!version.ok())
        return makeError(version.error().code, "no SIgeSS schema: " + version.error().message);
    if (*version < 1 || *version > storage::latestSchemaVersion())
        return makeError(ErrorCode::Corrupt,
            "schema version " + std::to_string(*version) + " is not one this program knows (1 to "
                + std::to_string(storage::latestSchemaVersion()) + ")");
    out << "schema version: " << *version << '\n';
    SIGESS_TRY(checkPages(database, out));
    Result<audit::VerifyReport> chain = verifyAuditLog(database);
    if (!chain.ok())
        return chain.takeError();
    SIGESS_TRY(chain->status());
    out << "audit chain: intact, " << chain->eventsChecked << " events\n";
    return {};
}

} // namespace sigess::ctl
