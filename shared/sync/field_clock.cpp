#include "sync/field_clock.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

namespace sigess::sync {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::io::StringOutputStream;

const FieldWrite *FieldClock::find(int field) const
{
    const auto found = m_writes.find(field);
    return found == m_writes.end() ? nullptr : &found->second;
}

bool FieldClock::isSupersededBy(int field, const core::HlcStamp &stamp, std::string_view device) const
{
    const FieldWrite *current = find(field);
    return current == nullptr || core::compareWrites(stamp, device, current->stamp, current->device) > 0;
}

void FieldClock::record(int field, const core::HlcStamp &stamp, std::string_view device)
{
    m_writes[field] = FieldWrite { stamp, std::string(device) };
}

// Each write as three varints and the device's bytes: field number, packed stamp,
// device length, device.
std::string FieldClock::serialize() const
{
    std::string bytes;
    {
        StringOutputStream stream(&bytes);
        CodedOutputStream out(&stream);
        for (const auto &[field, write] : m_writes) {
            out.WriteVarint32(static_cast<std::uint32_t>(field));
            out.WriteVarint64(write.stamp.pack());
            out.WriteVarint32(static_cast<std::uint32_t>(write.device.size()));
            out.WriteString(write.device);
        }
    }
    return bytes;
}

Result<FieldClock> FieldClock::parse(std::string_view bytes)
{
    CodedInputStream in(reinterpret_cast<const std::uint8_t *>(bytes.data()), static_cast<int>(bytes.size()));
    FieldClock clock;
    while (!in.ExpectAtEnd()) {
        std::uint32_t field = 0;
        std::uint64_t packed = 0;
        std::uint32_t deviceSize = 0;
        std::string device;
        if (!in.ReadVarint32(&field) || !in.ReadVarint64(&packed) || !in.ReadVarint32(&deviceSize)
            || !in.ReadString(&device, static_cast<int>(deviceSize)) || field == 0
            || field > static_cast<std::uint32_t>(google::protobuf::FieldDescriptor::kMaxNumber))
            return makeError(ErrorCode::Corrupt, "a stored field clock is damaged");
        clock.record(static_cast<int>(field), core::HlcStamp::unpack(packed), device);
    }
    return clock;
}

} // namespace sigess::sync
