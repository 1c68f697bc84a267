#include "sync/sync_audit.h"

#include "sigess/v1/entities.pb.h"
#include "sync/entity_registry.h"

#include <memory>
#include <utility>
#include <set>

namespace sigess::syncserver {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string stringField(const Message &entity, const char *name)
{
    const FieldDescriptor *field = entity.GetDescriptor()->FindFieldByName(name);
    if (field == nullptr || field->is_repeated() || field->type() != FieldDescriptor::TYPE_STRING)
        return {};
    return entity.GetReflection()->GetString(entity, field);
}

bool hasField(const Message &entity, const char *name)
{
    return entity.GetDescriptor()->FindFieldByName(name) != nullptr;
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
            return caseRecord->has_value() ? stringField(*(*caseRecord)->message, "citizen") : std::string();
        };
    }
}

Result<std::optional<std::string>> SyncAudit::citizenOf(v1::EntityType type, const std::string &id,
                                                        const Message &entity)
{
    if (type == v1::ENTITY_TYPE_CITIZEN)
        return std::optional<std::string>(id);
    if (!hasField(entity, "case_id")) {
        std::string citizen = stringField(entity, "citizen");
        return citizen.empty() ? std::optional<std::string>() : std::optional<std::string>(std::move(citizen));
    }
    const std::string caseId = stringField(entity, "case_id");
    if (caseId.empty())
        return std::optional<std::string>();
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

Result<std::optional<v1::AuditEvent>> SyncAudit::written(const policy::Principal &principal, policy::Action action,
                                                         const Message &merged)
{
    const sync::EntityKind *kind = sync::findEntityKind(merged.GetDescriptor());
    if (kind == nullptr || !isPersonalRecord(kind->type))
        return std::optional<v1::AuditEvent>();
    const v1::EntityMeta &meta = sync::entityMeta(merged);
    Result<std::optional<std::string>> citizen = citizenOf(kind->type, meta.id(), merged);
    if (!citizen.ok())
        return citizen.takeError();
    return std::optional<v1::AuditEvent>(event(principal, action,
                                               {kind->type, meta.id(), citizen->value_or(std::string()), meta.presidio()},
                                               "pushed by the device through sync, within its write rights"));
}

Result<std::vector<v1::AuditEvent>> SyncAudit::sent(const policy::Principal &principal,
                                                    std::span<const LoggedOperation> sent)
{
    std::vector<v1::AuditEvent> events;
    std::set<std::pair<v1::EntityType, std::string_view>> seen;
    SyncRepository repository(m_sql);
    for (const LoggedOperation &logged : sent) {
        if (!isPersonalRecord(logged.type) || !seen.emplace(logged.type, logged.entityId).second)
            continue;
        const sync::EntityKind *kind = sync::findEntityKind(logged.type);
        if (kind == nullptr)
            continue;
        std::unique_ptr<Message> patch = kind->newMessage();
        // A patch that does not parse was refused when it was pushed; the stored entity
        // then names the citizen instead.
        std::optional<std::string> citizen;
        if (patch->ParseFromString(logged.operation.patch())) {
            Result<std::optional<std::string>> fromPatch = citizenOf(logged.type, logged.entityId, *patch);
            if (!fromPatch.ok())
                return fromPatch.takeError();
            citizen = std::move(fromPatch).value();
        }
        if (!citizen) {
            Result<std::optional<sync::EntityState>> stored = repository.loadEntity(*kind, logged.entityId);
            if (!stored.ok())
                return stored.takeError();
            if (stored->has_value()) {
                Result<std::optional<std::string>> fromEntity
                    = citizenOf(logged.type, logged.entityId, *(*stored)->message);
                if (!fromEntity.ok())
                    return fromEntity.takeError();
                citizen = std::move(fromEntity).value();
            }
        }
        events.push_back(event(principal, policy::Action::Read,
                               {logged.type, logged.entityId, citizen.value_or(std::string()), logged.presidio},
                               "sent to the device through sync, within its read scope"));
    }
    return events;
}

} // namespace sigess::syncserver
