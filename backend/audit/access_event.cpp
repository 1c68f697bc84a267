#include "audit/access_event.h"

#include <utility>

namespace sigess::audit {

namespace {

v1::AuditEvent eventBy(std::string eventId, const policy::Principal &principal, std::uint64_t atMs)
{
    v1::AuditEvent event;
    event.mutable_meta()->set_id(std::move(eventId));
    event.mutable_meta()->mutable_created()->set_wall_ms(atMs);
    event.mutable_meta()->mutable_updated()->set_wall_ms(atMs);
    event.mutable_meta()->set_origin_device(principal.deviceId);
    event.set_actor(principal.operatorId.empty() ? principal.deviceId : principal.operatorId);
    event.set_role(principal.role);
    event.set_device(principal.deviceId);
    event.set_at_ms(atMs);
    return event;
}

v1::EntityType grantRecordType(policy::GrantScope scope)
{
    switch (scope) {
    case policy::GrantScope::Citizen: return v1::ENTITY_TYPE_CITIZEN;
    case policy::GrantScope::Case: return v1::ENTITY_TYPE_CASE;
    case policy::GrantScope::Presidio: return v1::ENTITY_TYPE_PRESIDIO;
    }
    return v1::ENTITY_TYPE_UNSPECIFIED;
}

} // namespace

v1::AuditEvent accessEvent(std::string eventId, const policy::Principal &principal, const policy::Decision &decision,
                           policy::Action action, const AccessedRecord &record, std::uint64_t atMs)
{
    v1::AuditEvent event = eventBy(std::move(eventId), principal, atMs);
    event.mutable_meta()->set_presidio(record.presidio);
    event.set_record_type(record.type);
    event.set_record_id(record.id);
    event.set_citizen(record.citizen);
    std::string actionText(policy::actionName(action));
    if (!decision.allowed)
        actionText += "_denied";
    event.set_action(std::move(actionText));
    event.set_reason(decision.breakGlassUsed ? decision.breakGlassReason : decision.reason);
    event.set_break_glass(decision.breakGlassUsed);
    return event;
}

v1::AuditEvent accessEvent(std::string eventId, const policy::Principal &principal, const policy::Decision &decision,
                           policy::Action action, std::span<const AccessedRecord> records, std::uint64_t atMs)
{
    v1::AuditEvent event = accessEvent(std::move(eventId), principal, decision, action, records.front(), atMs);
    event.mutable_also_records()->Reserve(static_cast<int>(records.size() - 1));
    for (const AccessedRecord &record : records.subspan(1)) {
        v1::AuditedRecord &also = *event.add_also_records();
        also.set_type(record.type);
        also.set_id(record.id);
    }
    return event;
}

v1::AuditEvent breakGlassEvent(std::string eventId, const policy::Principal &principal,
                               const policy::BreakGlassGrant &grant, std::uint64_t atMs)
{
    v1::AuditEvent event = eventBy(std::move(eventId), principal, atMs);
    event.set_record_type(grantRecordType(grant.scope));
    event.set_record_id(grant.subject);
    if (grant.scope == policy::GrantScope::Citizen)
        event.set_citizen(grant.subject);
    if (grant.scope == policy::GrantScope::Presidio)
        event.mutable_meta()->set_presidio(grant.subject);
    event.set_action("break_glass");
    event.set_reason(grant.reason);
    event.set_break_glass(true);
    return event;
}

} // namespace sigess::audit
