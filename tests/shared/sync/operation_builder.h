// Builds operations by hand for the sync tests, the way a device's outbox would.
#pragma once

#include "core/hlc.h"
#include "sigess/v1/sync.pb.h"
#include "sync/entity_registry.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace sigess::sync::testing {

// A canonical UUID (version 7 layout) whose last digits are n: readable in failures.
inline std::string testUuid(unsigned long long n)
{
    char text[37];
    std::snprintf(text, sizeof text, "0190a8e0-0000-7000-8000-%012llx", n);
    return text;
}

inline core::HlcStamp stampOf(const v1::Operation &operation)
{
    return core::HlcStamp { operation.hlc().wall_ms(), operation.hlc().counter() };
}

inline v1::Operation makeOperation(const std::string &opId, const std::string &device, core::HlcStamp stamp,
    v1::OpKind kind, const std::string &entityId, const google::protobuf::Message &patch,
    const std::vector<int> &fields)
{
    v1::Operation operation;
    operation.set_op_id(opId);
    *operation.mutable_hlc() = stamp.toProto();
    operation.set_device(device);
    operation.set_entity_type(findEntityKind(patch.GetDescriptor())->type);
    operation.set_entity_id(entityId);
    operation.set_kind(kind);
    for (const int field : fields)
        operation.add_fields(static_cast<std::uint32_t>(field));
    operation.set_patch(patch.SerializeAsString());
    return operation;
}

// A copy of the message with every field but `field` cleared: compares one field.
inline std::unique_ptr<google::protobuf::Message> onlyField(
    const google::protobuf::Message &message, int field)
{
    std::unique_ptr<google::protobuf::Message> copy(message.New());
    copy->CopyFrom(message);
    const auto *descriptor = copy->GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        if (descriptor->field(i)->number() != field)
            copy->GetReflection()->ClearField(copy.get(), descriptor->field(i));
    }
    return copy;
}

// Among the operations on an entity, the last write of a field by (HLC, device); null
// when none lists it.
inline const v1::Operation *latestWrite(
    const std::vector<v1::Operation> &operations, const std::string &entityId, int field)
{
    const v1::Operation *latest = nullptr;
    for (const v1::Operation &operation : operations) {
        if (operation.entity_id() != entityId
            || std::find(operation.fields().begin(), operation.fields().end(), std::uint32_t(field))
                == operation.fields().end())
            continue;
        if (latest == nullptr
            || core::compareWrites(stampOf(operation), operation.device(), stampOf(*latest), latest->device())
                > 0)
            latest = &operation;
    }
    return latest;
}

} // namespace sigess::sync::testing
