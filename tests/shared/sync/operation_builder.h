// Builds operations by hand for the sync tests, the way a device's outbox would.
#pragma once

#include "core/hlc.h"
#include "sigess/v1/sync.pb.h"
#include "sync/entity_registry.h"

#include <cstdio>
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
    return core::HlcStamp{operation.hlc().wall_ms(), operation.hlc().counter()};
}

inline v1::Operation makeOperation(const std::string &opId, const std::string &device, core::HlcStamp stamp,
                                   v1::OpKind kind, const std::string &entityId,
                                   const google::protobuf::Message &patch, const std::vector<int> &fields)
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

} // namespace sigess::sync::testing
