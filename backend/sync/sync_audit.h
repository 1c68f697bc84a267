// The audit of sync, like the JSON API's: every personal record a device writes or is
// sent is an access event (who, role, device, record, whose record, action) in the
// hash-chained log (audit/event_log.h), committed with what it records.
//  - Push: every personal record an operation wrote, in the transaction that stores
//    the operation; a kiosk's intake is audited as the kiosk device. One event per
//    citizen, action and presidio of a Push lists each record written, in the order
//    written (audit/access_event.h): a tablet's Push of a case with its visits and
//    notes is one event, not ten, and costs one hash and one row. A citizen's access
//    report still shows every write of every record (access_report.h).
//  - Pull: a tablet's first download sends tens of thousands of records, and an event
//    per operation (several per record) would double that cost again. So each record of
//    a frame is audited once, as a "read", in one event per citizen (and presidio) that
//    lists the citizen's records in the order sent (AuditEvent.also_records: a citizen
//    with the case and its parts is one event, not ten), and the frame's events are
//    appended in one transaction before the frame is sent: nothing reaches a device
//    that the log does not know about, for the price of one batched append per frame,
//    like a page of an API list. Whose record each is comes from the frame's
//    operations where they tell (a case's operation names the citizen of its case file,
//    read off the patch's bytes without parsing it); the rest is read from the store
//    in one statement per entity type, not one per record.
// Personal records are every entity about a citizen: the citizen, household links,
// intakes, cases and everything of a case (assessments, visits, notes, care plan goals,
// interventions), consents. Tickets carry numbers, never names, and presidi, operators,
// devices and audit events are not about a citizen: none is audited here.
// Thread safety: a SyncAudit is used by one push or pull on one thread; the functions
// run on the caller's transaction or database.
#pragma once

#include "audit/access_event.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/uuid.h"
#include "policy/principal.h"
#include "sigess/v1/sync.pb.h"
#include "storage/sql.h"
#include "sync/sync_repository.h"

#include <google/protobuf/message.h>

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace sigess::syncserver {

bool isPersonalRecord(v1::EntityType type);

class SyncAudit {
public:
    // The citizen a case is about; empty when the case is not held.
    using CitizenOfCase = std::function<Result<std::string>(const std::string &caseId)>;

    // sql: the transaction of a push, or the database for a pull; cases are read from it
    // unless `citizenOfCase` is given (a push's working set, which holds cases the store
    // does not have yet). All borrowed.
    SyncAudit(storage::SqlExecutor &sql, const core::Clock &clock, core::UuidV7Generator &ids,
              CitizenOfCase citizenOfCase = {});

    // Notes a device's write (Create or Update) of `merged`, when it is a personal record.
    Status written(policy::Action action, const google::protobuf::Message &merged);
    // The events of the writes noted since the last call, by `principal`: one per
    // citizen, action and presidio, listing its records in the order written.
    std::vector<v1::AuditEvent> takeWriteEvents(const policy::Principal &principal);
    // The read events of the personal records among the operations `sent`: one per
    // citizen and presidio, listing each of the citizen's records once, in order.
    Result<std::vector<v1::AuditEvent>> sent(const policy::Principal &principal, std::span<const LoggedOperation> sent);

private:
    // Whose record an entity is: its own id for a citizen, its citizen field, or the
    // citizen of its case (read from the sync store once per case). Nothing when
    // `entity` holds only some fields (an update's patch) and none of those.
    Result<std::optional<std::string>> citizenOf(v1::EntityType type, const std::string &id,
                                                 const google::protobuf::Message &entity);
    // Whether `entity` (an operation's patch or a stored entity) tells whose record it
    // is: the citizen it names, or the case whose citizen it takes (caseId). A case
    // naming its citizen is remembered for the parts of its case file.
    bool tellsCitizen(v1::EntityType type, const std::string &id, const google::protobuf::Message &entity,
                      std::optional<std::string> &citizen, std::string &caseId);
    // The same from the value of the field that tells: its case id when the entity is
    // part of a case file, else the citizen it names; an empty value tells nothing.
    bool told(v1::EntityType type, const std::string &id, bool partOfCase, std::string value,
              std::optional<std::string> &citizen, std::string &caseId);
    // Reads the citizens of the cases not known yet, in a few statements.
    Status learnCitizensOfCases(std::vector<std::string> caseIds);
    v1::AuditEvent event(const policy::Principal &principal, policy::Action action, const audit::AccessedRecord &record,
                         std::string reason);

    storage::SqlExecutor &m_sql;
    const core::Clock &m_clock;
    core::UuidV7Generator &m_ids;
    CitizenOfCase m_citizenOfCase;
    std::map<std::string, std::string, std::less<>> m_knownCitizens;
    // Records accessed together with one action: one audit event.
    struct AccessGroup {
        policy::Action action;
        std::vector<audit::AccessedRecord> records;
    };
    // Sync has applied the device's rights before it reads or writes, so each group's
    // event records an allowed access, for `why`.
    std::vector<v1::AuditEvent> eventsOf(const policy::Principal &principal, std::string why,
                                         const std::vector<AccessGroup> &groups);

    // Writes noted, grouped by (citizen, presidio, action) in the order each group first
    // appeared.
    std::vector<AccessGroup> m_writes;
    std::map<std::tuple<std::string, std::string, policy::Action>, std::size_t> m_writeGroups;
};

} // namespace sigess::syncserver
