#include "sync/entity_registry.h"

#include "sigess/v1/entities.pb.h"

#include <array>
#include <stdexcept>
#include <string>

namespace sigess::sync {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const FieldDescriptor *singularString(const Descriptor &descriptor, const std::string &name)
{
    const FieldDescriptor *field = descriptor.FindFieldByName(name);
    return field != nullptr && !field->is_repeated() && field->type() == FieldDescriptor::TYPE_STRING ? field : nullptr;
}

std::array<EntityKind, 15> buildKinds()
{
    using enum WriteRule;
    std::array<EntityKind, 15> kinds = { {
        { v1::ENTITY_TYPE_PRESIDIO, &v1::Presidio::default_instance(), Mutable },
        { v1::ENTITY_TYPE_OPERATOR, &v1::Operator::default_instance(), Mutable },
        { v1::ENTITY_TYPE_DEVICE, &v1::Device::default_instance(), Mutable },
        { v1::ENTITY_TYPE_CITIZEN, &v1::Citizen::default_instance(), Mutable },
        { v1::ENTITY_TYPE_HOUSEHOLD_LINK, &v1::HouseholdLink::default_instance(), Mutable },
        { v1::ENTITY_TYPE_INTAKE, &v1::Intake::default_instance(), Mutable },
        { v1::ENTITY_TYPE_TICKET, &v1::Ticket::default_instance(), Mutable },
        { v1::ENTITY_TYPE_CASE, &v1::Case::default_instance(), Mutable },
        { v1::ENTITY_TYPE_ASSESSMENT, &v1::Assessment::default_instance(), AppendOnly },
        { v1::ENTITY_TYPE_VISIT, &v1::Visit::default_instance(), AppendOnly },
        { v1::ENTITY_TYPE_NOTE, &v1::Note::default_instance(), AppendOnly },
        { v1::ENTITY_TYPE_CARE_PLAN_GOAL, &v1::CarePlanGoal::default_instance(), Mutable },
        { v1::ENTITY_TYPE_INTERVENTION, &v1::Intervention::default_instance(), Mutable },
        { v1::ENTITY_TYPE_CONSENT, &v1::Consent::default_instance(), Mutable },
        { v1::ENTITY_TYPE_AUDIT_EVENT, &v1::AuditEvent::default_instance(), AppendOnly },
    } };
    for (EntityKind &kind : kinds) {
        kind.messageDescriptor = kind.prototype->GetDescriptor();
        const FieldDescriptor *meta = kind.descriptor()->FindFieldByNumber(metaFieldNumber);
        if (meta == nullptr || meta->is_repeated() || meta->message_type() != v1::EntityMeta::descriptor())
            throw std::logic_error(std::string(kind.name()) + ": field 1 must be an EntityMeta");
        kind.caseField = singularString(*kind.descriptor(), "case_id");
        kind.citizenField = singularString(*kind.descriptor(), "citizen");
        kind.responsibleOperatorField = singularString(*kind.descriptor(), "responsible_operator");
    }
    return kinds;
}

const FieldDescriptor &metaField(const Message &entity)
{
    const FieldDescriptor *field = entity.GetDescriptor()->FindFieldByNumber(metaFieldNumber);
    if (field == nullptr || field->message_type() != v1::EntityMeta::descriptor())
        throw std::logic_error(entity.GetTypeName() + " is not an entity message");
    return *field;
}

} // namespace

std::string_view EntityKind::name() const
{
    return descriptor()->name();
}

std::unique_ptr<Message> EntityKind::newMessage() const
{
    return std::unique_ptr<Message>(prototype->New());
}

std::span<const EntityKind> entityKinds()
{
    static const std::array<EntityKind, 15> kinds = buildKinds();
    return kinds;
}

const EntityKind *findEntityKind(v1::EntityType type)
{
    for (const EntityKind &kind : entityKinds()) {
        if (kind.type == type)
            return &kind;
    }
    return nullptr;
}

const EntityKind *findEntityKind(const Descriptor *descriptor)
{
    for (const EntityKind &kind : entityKinds()) {
        if (kind.descriptor() == descriptor)
            return &kind;
    }
    return nullptr;
}

std::string stringField(const Message &entity, const FieldDescriptor *field)
{
    return field != nullptr ? entity.GetReflection()->GetString(entity, field) : std::string();
}

const v1::EntityMeta &entityMeta(const Message &entity)
{
    const Message &meta = entity.GetReflection()->GetMessage(entity, &metaField(entity));
    const auto *typed = google::protobuf::DynamicCastToGenerated<v1::EntityMeta>(&meta);
    if (typed == nullptr)
        throw std::logic_error(entity.GetTypeName() + " is not a generated entity message");
    return *typed;
}

v1::EntityMeta &mutableEntityMeta(Message &entity)
{
    Message *meta = entity.GetReflection()->MutableMessage(&entity, &metaField(entity));
    auto *typed = google::protobuf::DynamicCastToGenerated<v1::EntityMeta>(meta);
    if (typed == nullptr)
        throw std::logic_error(entity.GetTypeName() + " is not a generated entity message");
    return *typed;
}

} // namespace sigess::sync
