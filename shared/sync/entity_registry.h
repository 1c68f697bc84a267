// The one table of replicated entity types: which Protobuf message each v1::EntityType
// stands for, and whether its records are append-only (written once, never updated, so
// they never conflict). The merge, the server's rules and the device replica find an
// entity's message through it and then work on field numbers by reflection, so a new
// entity type needs a line here and nothing else.
// Every registered message has an EntityMeta as field 1 (checked when the table is
// built; a message breaking that rule is a programming error and throws).
// Thread safety: the table is built once, on first use, and read-only afterwards.
#pragma once

#include "sigess/v1/common.pb.h"

#include <google/protobuf/message.h>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace sigess::sync {

enum class WriteRule {
    Mutable, // created once, then updated field by field
    AppendOnly, // created once and never changed (notes, visits, assessments, audit)
};

struct EntityKind {
    v1::EntityType type;
    const google::protobuf::Message *prototype;
    WriteRule writeRule;
    // The singular string fields that tie a record to a case, a citizen or an operator,
    // null where the kind has none. Found once, when the table is built: a look-up by
    // name builds a string and searches the descriptor for every operation the server
    // stores or sends.
    const google::protobuf::FieldDescriptor *caseField = nullptr;                // case_id
    const google::protobuf::FieldDescriptor *citizenField = nullptr;             // citizen
    const google::protobuf::FieldDescriptor *responsibleOperatorField = nullptr; // responsible_operator
    // The prototype's, kept: a generated message's GetDescriptor() passes through
    // protobuf's once-only initialization check at every call.
    const google::protobuf::Descriptor *messageDescriptor = nullptr;

    const google::protobuf::Descriptor *descriptor() const { return messageDescriptor; }
    // "Citizen", "AuditEvent": the message name, for sentences shown to people.
    std::string_view name() const;
    std::unique_ptr<google::protobuf::Message> newMessage() const;
};

// Field 1 of every entity.
inline constexpr int metaFieldNumber = 1;

std::span<const EntityKind> entityKinds();
// Null for ENTITY_TYPE_UNSPECIFIED and for values this build does not know.
const EntityKind *findEntityKind(v1::EntityType type);
const EntityKind *findEntityKind(const google::protobuf::Descriptor *descriptor);

// The value of one of EntityKind's string fields in `entity`, a message of that kind;
// empty when the kind has no such field (`field` is null).
std::string stringField(const google::protobuf::Message &entity, const google::protobuf::FieldDescriptor *field);

// The EntityMeta of a registered entity message.
const v1::EntityMeta &entityMeta(const google::protobuf::Message &entity);
v1::EntityMeta &mutableEntityMeta(google::protobuf::Message &entity);

} // namespace sigess::sync
