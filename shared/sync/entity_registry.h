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

    const google::protobuf::Descriptor *descriptor() const { return prototype->GetDescriptor(); }
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

// The EntityMeta of a registered entity message.
const v1::EntityMeta &entityMeta(const google::protobuf::Message &entity);
v1::EntityMeta &mutableEntityMeta(google::protobuf::Message &entity);

} // namespace sigess::sync
