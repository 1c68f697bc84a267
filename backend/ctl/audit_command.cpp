// sigessctl audit verify|citizen: the hash-chained audit log (audit/chain.h).
// verify walks the whole chain page by page up to the head row the store keeps apart
// from the events, so a changed, deleted, reordered or inserted event, or events cut
// off the end, are found; it names the first fault and exits 0 only for an intact log.
// citizen answers a GDPR access request: who accessed the citizen's records, when, in
// which role, doing what and why, and whether they broke the glass.
#include "audit/access_report.h"
#include "ctl/admin_store.h"
#include "ctl/command.h"
#include "ctl/command_support.h"
#include "ctl/store_checks.h"
#include "storage/audit_repository.h"
#include "storage/device_repository.h"
#include "storage/operator_repository.h"

#include <map>
#include <ostream>

namespace sigess::ctl {

namespace {

constexpr std::string_view kCommand = "audit";
constexpr std::string_view kUsage
    = "usage: sigessctl audit verify [--config FILE]\n"
      "       sigessctl audit citizen CITIZEN_ID [--config FILE]\n"
      "  verify exits 0 only when the whole chain is intact, 1 naming the first fault.\n";

int usage(CommandIo io, std::string_view problem)
{
    return usageError(io, kCommand, problem, std::string(kUsage) + std::string(configUsage));
}

std::string hexOf(std::string_view bytes)
{
    constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (const unsigned char byte : bytes) {
        hex += digits[byte >> 4];
        hex += digits[byte & 0xF];
    }
    return hex;
}

int verify(AdminStore &store, CommandIo io)
{
    Result<audit::VerifyReport> report = verifyAuditLog(store.database());
    if (!report.ok())
        return failure(io, kCommand, "cannot verify: " + report.error().message);
    if (const auto &fault = report->fault) {
        io.out << "AUDIT CHAIN BROKEN: " << audit::tamperingName(fault->kind);
        if (fault->sequence != 0)
            io.out << " at sequence " << fault->sequence;
        if (!fault->eventId.empty())
            io.out << " (event " << fault->eventId << ')';
        io.out << "\n  " << fault->reason << "\n  " << report->eventsChecked
               << " events read up to the first fault\n";
        return exitFailure;
    }
    io.out << "audit chain intact: " << report->eventsChecked << " events";
    if (report->head.sequence != 0)
        io.out << ", head sequence " << report->head.sequence << ", hash " << hexOf(report->head.hash);
    io.out << '\n';
    return exitOk;
}

// Names the people and devices of a report, so the letter to the citizen is readable.
void printActors(AdminStore &store, std::span<const audit::AccessRecord> records, std::ostream &out)
{
    std::map<std::string, std::string> names;
    for (const audit::AccessRecord &record : records) {
        if (record.actor.empty() || names.contains(record.actor))
            continue;
        if (auto account = storage::OperatorRepository(store.database()).byId(record.actor); account.ok()) {
            const v1::Operator &profile = account->profile;
            names[record.actor] = profile.username()
                + (profile.display_name().empty() ? "" : " (" + profile.display_name() + ")");
        } else if (auto device = storage::DeviceRepository(store.database()).byId(record.actor);
                   device.ok()) {
            names[record.actor] = "device of presidio " + device->device.meta().presidio();
        } else {
            names[record.actor] = "no longer on record";
        }
    }
    if (names.empty())
        return;
    out << "who:\n";
    for (const auto &[id, name] : names)
        out << "  " << id << "  " << name << '\n';
}

int citizen(AdminStore &store, const std::string &citizenId, CommandIo io)
{
    storage::AuditRepository log(store.database());
    std::vector<v1::AuditEvent> events;
    storage::PageRequest page;
    page.limit = storage::PageRequest::maxLimit;
    do {
        Result<storage::Page<storage::AuditEntry>> listed = log.byCitizen(citizenId, page);
        if (!listed.ok())
            return failure(io, kCommand, listed.error().message);
        for (storage::AuditEntry &entry : listed->items)
            events.push_back(std::move(entry.event));
        page.cursor = listed->nextCursor;
    } while (!page.cursor.empty());

    const std::vector<audit::AccessRecord> records = audit::citizenAccessReport(events, citizenId);
    io.out << "accesses to the records of citizen " << citizenId << ": " << records.size() << '\n';
    io.out << audit::formatAccessReport(records);
    printActors(store, records, io.out);
    return exitOk;
}

} // namespace

int runAudit(const Args &args, CommandIo io)
{
    Result<ParsedArguments> arguments = parseArguments(args, { { "config" }, {} });
    if (!arguments.ok())
        return usage(io, arguments.error().message);
    const std::vector<std::string> &positional = arguments->positional();
    if (positional.empty())
        return usage(io, "which action: verify or citizen?");
    const std::string &action = positional[0];
    if (action == "verify" && positional.size() != 1)
        return usage(io, "verify takes no argument");
    if (action == "citizen" && positional.size() != 2)
        return usage(io, "citizen takes one CITIZEN_ID");
    if (action != "verify" && action != "citizen")
        return usage(io, "unknown action '" + action + "'");

    Result<std::unique_ptr<AdminStore>> store = AdminStore::open(*arguments);
    if (!store.ok())
        return failure(io, kCommand, store.error().message);
    if (action == "verify")
        return verify(**store, io);
    return citizen(**store, positional[1], io);
}

} // namespace sigess::ctl
