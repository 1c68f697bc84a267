#include "sync/sync_audit.h"

#include "sigess/v1/entities.pb.h"
#include "sync/entity_registry.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <set>
#include <utility>

namespace sigess::syncserver {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The value of a singular string field in a serialized message, read off the wire
// without parsing the message (the last one wins, as in a parse); empty when the
// field is absent, nothing when the bytes do not parse as fields.
std::optional<std::string> wireString(std::string_view bytes, int number)
{
    using google::protobuf::internal::WireFormatLite;
    google::protobuf::io::CodedInputStream input(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                                                 static_cast<int>(bytes.size()));
    std::string value;
    while (const std::uint32_t tag = input.ReadTag()) {
        if (WireFormatLite::GetTagFieldNumber(tag) == number
            && WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
            if (!WireFormatLite::ReadString(&input, &value))
                return std::nullopt;
        } else if (!WireFormatLite::SkipField(&input, tag)) {
            return std::nullopt;
        }
    }
    if (!input.ConsumedEntireMessage())
        return std::nullopt;
    return value;
}

} // namespace

bool isPersonalRecord(v1::EntityType type)
{
    switch (type) {
    case v1::ENTITY_TYPE_CITIZEN:
    case v1::ENTITY_TYPE_HOUSEHOLD_LINK:
    case v1::ENTITY_TYPE_INTAKE:
    case v1::ENTITY_TYPE_CASE:
    case v1::ENTITY_TYPE_ASSESSMENT:
    case v1::ENTITY_TYPE_VISIT:
    case v1::ENTITY_TYPE_NOTE:
    case v1::ENTITY_TYPE_CARE_PLAN_GOAL:
    case v1::ENTITY_TYPE_INTERVENTION:
    case v1::ENTITY_TYPE_CONSENT:
        return true;
    default:
        return false;
    }
}

SyncAudit::SyncAudit(storage::SqlExecutor &sql, const core::Clock &clock, core::UuidV7Generator &ids,
                     CitizenOfCase citizenOfCase)
    : m_sql(sql), m_clock(clock), m_ids(ids), m_citizenOfCase(std::move(citizenOfCase))
{
    if (!m_citizenOfCase) {
        m_citizenOfCase = [this](const std::string &caseId) -> Result<std::string> {
            Result<std::optional<sync::EntityState>> caseRecord
                = SyncRepository(m_sql).loadEntity(*sync::findEntityKind(v1::ENTITY_TYPE_CASE), caseId);
            if (!caseRecord.ok())
                return caseRecord.takeError();
            return caseRecord->has_value() ? sync::stringField(*(*caseRecord)->message, (*caseRecord)->kind->citizenField)
                                           : std::string();
        };
    }
}

Result<std::optional<std::string>> SyncAudit::citizenOf(v1::EntityType type, const std::string &id,
                                                        const Message &entity)
{
    if (type == v1::ENTITY_TYPE_CITIZEN)
        return std::optional<std::string>(id);
    std::optional<std::string> named;
    std::string caseId;
    if (!tellsCitizen(type, id, entity, named, caseId) || named)
        return named;
    if (const auto known = m_knownCitizens.find(caseId); known != m_knownCitizens.end())
        return std::optional<std::string>(known->second);
    Result<std::string> citizen = m_citizenOfCase(caseId);
    if (!citizen.ok())
        return citizen.takeError();
    m_knownCitizens.emplace(caseId, *citizen);
    return std::optional<std::string>(std::move(citizen).value());
}

v1::AuditEvent SyncAudit::event(const policy::Principal &principal, policy::Action action,
                                const audit::AccessedRecord &record, std::string reason)
{
    policy::Decision decision;
    decision.allowed = true;
    decision.reason = std::move(reason);
    return audit::accessEvent(m_ids.next().toString(), principal, decision, action, record, m_clock.nowMs());
}

Status SyncAudit::written(policy::Action action, const Message &merged)
{
    const sync::EntityKind *kind = sync::findEntityKind(merged.GetDescriptor());
    if (kind == nullptr || !isPersonalRecord(kind->type))
        return {};
    const v1::EntityMeta &meta = sync::entityMeta(merged);
    Result<std::optional<std::string>> citizen = citizenOf(kind->type, meta.id(), merged);
    if (!citizen.ok())
        return citizen.takeError();
    audit::AccessedRecord record{kind->type, meta.id(), std::move(*citizen).value_or(std::string()), meta.presidio()};
    const auto [group, added]
        = m_writeGroups.try_emplace(std::make_tuple(record.citizen, record.presidio, action), m_writes.size());
    if (added)
        m_writes.push_back(AccessGroup{action, {}});
    m_writes[group->second].records.push_back(std::move(record));
    return {};
}

std::vector<v1::AuditEvent> SyncAudit::takeWriteEvents(const policy::Principal &principal)
{
    std::vector<v1::AuditEvent> events
        = eventsOf(principal, "pushed by the device through sync, within its write rights", m_writes);
    m_writes.clear();
    m_writeGroups.clear();
    return events;
}

std::vector<v1::AuditEvent> SyncAudit::eventsOf(const policy::Principal &principal, std::string why,
                                                const std::vector<AccessGroup> &groups)
{
    policy::Decision decision;
    decision.allowed = true;
    decision.reason = std::move(why);
    std::vector<v1::AuditEvent> events;
    events.reserve(groups.size());
    const std::uint64_t now = m_clock.nowMs();
    for (const AccessGroup &group : groups)
        events.push_back(audit::accessEvent(m_ids.next().toString(), principal, decision, group.action, group.records, now));
    return events;
}

Result<std::vector<v1::AuditEvent>> SyncAudit::sent(const policy::Principal &principal,
                                                    std::span<const LoggedOperation> sent)
{
    // Whose each record is, from the operations themselves where they tell: a citizen is
    // its own, a record naming its citizen is that citizen's, and a case-file part is the
    // citizen's of its case, which a case's own operation in the frame names. The rest
    // is read from the store in a few statements per frame, not one per record.
    struct Record {
        const LoggedOperation *logged;
        std::optional<std::string> citizen;
        std::string caseId;  // of a case-file part whose citizen is its case's
    };
    std::vector<Record> records;
    std::set<std::pair<v1::EntityType, std::string_view>> seen;
    std::map<v1::EntityType, std::vector<std::string>> untold;  // records whose operation did not say
    for (const LoggedOperation &logged : sent) {
        if (!isPersonalRecord(logged.type) || !seen.emplace(logged.type, logged.entityId).second)
            continue;
        const sync::EntityKind *kind = sync::findEntityKind(logged.type);
        if (kind == nullptr)
            continue;
        Record &record = records.emplace_back(Record{&logged, std::nullopt, {}});
        if (logged.type == v1::ENTITY_TYPE_CITIZEN) {
            record.citizen = logged.entityId;
            continue;
        }
        // The one field that tells is read off the patch's bytes: a frame carries
        // thousands of notes, visits and assessments, and parsing each whole cost more
        // than the rest of the audit's reading. A patch that does not parse was refused
        // when it was pushed; the stored entity then names the citizen instead.
        const FieldDescriptor *telling = kind->caseField != nullptr ? kind->caseField : kind->citizenField;
        if (telling != nullptr) {
            std::optional<std::string> value = wireString(logged.patch(), telling->number());
            if (value && told(logged.type, logged.entityId, kind->caseField != nullptr, std::move(*value), record.citizen,
                              record.caseId))
                continue;
        }
        untold[logged.type].push_back(logged.entityId);
    }
    for (const auto &[type, ids] : untold) {
        Result<std::vector<sync::EntityState>> stored
            = SyncRepository(m_sql).loadEntities(*sync::findEntityKind(type), ids);
        if (!stored.ok())
            return stored.takeError();
        std::map<std::string_view, const Message *> byId;
        for (const sync::EntityState &entity : *stored)
            byId.emplace(entity.meta().id(), entity.message.get());
        for (Record &record : records) {
            const auto found = record.logged->type == type ? byId.find(record.logged->entityId) : byId.end();
            if (found != byId.end())
                tellsCitizen(type, record.logged->entityId, *found->second, record.citizen, record.caseId);
        }
    }
    std::vector<std::string> unknownCases;
    for (const Record &record : records) {
        if (!record.caseId.empty() && !m_knownCitizens.contains(record.caseId))
            unknownCases.push_back(record.caseId);
    }
    SIGESS_TRY(learnCitizensOfCases(unknownCases));

    // One read event per citizen (and owning presidio) of the frame, listing that
    // citizen's records in the order sent: a first download sends a citizen with the
    // case and its visits, notes and assessments, ten records that were ten events.
    std::vector<AccessGroup> groups;
    std::map<std::pair<std::string_view, std::string_view>, std::size_t> groupOf;
    const std::string nobody;
    for (Record &record : records) {
        if (!record.caseId.empty())
            record.citizen = m_knownCitizens.at(record.caseId);
        const LoggedOperation &logged = *record.logged;
        const std::string &citizen = record.citizen ? *record.citizen : nobody;
        const auto [group, added] = groupOf.try_emplace({citizen, logged.presidio}, groups.size());
        if (added)
            groups.push_back(AccessGroup{policy::Action::Read, {}});
        groups[group->second].records.push_back({logged.type, logged.entityId, citizen, logged.presidio});
    }
    return eventsOf(principal, "sent to the device through sync, within its read scope", groups);
}

bool SyncAudit::tellsCitizen(v1::EntityType type, const std::string &id, const Message &entity,
                             std::optional<std::string> &citizen, std::string &caseId)
{
    const sync::EntityKind &kind = *sync::findEntityKind(type);
    const bool partOfCase = kind.caseField != nullptr;
    return told(type, id, partOfCase, sync::stringField(entity, partOfCase ? kind.caseField : kind.citizenField),
                citizen, caseId);
}

bool SyncAudit::told(v1::EntityType type, const std::string &id, bool partOfCase, std::string value,
                     std::optional<std::string> &citizen, std::string &caseId)
{
    if (value.empty())
        return false;
    if (partOfCase) {
        caseId = std::move(value);
        return true;
    }
    // A case names the citizen of its case file too, for the parts that follow it.
    if (type == v1::ENTITY_TYPE_CASE)
        m_knownCitizens.insert_or_assign(id, value);
    citizen = std::move(value);
    return true;
}

Status SyncAudit::learnCitizensOfCases(std::vector<std::string> caseIds)
{
    std::sort(caseIds.begin(), caseIds.end());
    caseIds.erase(std::unique(caseIds.begin(), caseIds.end()), caseIds.end());
    if (caseIds.empty())
        return {};
    Result<std::vector<sync::EntityState>> cases
        = SyncRepository(m_sql).loadEntities(*sync::findEntityKind(v1::ENTITY_TYPE_CASE), caseIds);
    if (!cases.ok())
        return cases.takeError();
    // A case the server does not hold makes its parts nobody's.
    for (const std::string &caseId : caseIds)
        m_knownCitizens.emplace(caseId, std::string());
    for (const sync::EntityState &held : *cases)
        m_knownCitizens.insert_or_assign(held.meta().id(), sync::stringField(*held.message, held.kind->citizenField));
    return {};
}

} // namespace sigess::syncserver
