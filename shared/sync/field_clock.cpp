#include "sync/field_clock.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>

namespace sigess::sync {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::io::StringOutputStream;

namespace {

// The first byte of the indexed form. The per-field form starts with a field number's
// varint, never zero.
constexpr std::uint8_t indexedFormat = 0;

Error damaged()
{
    return makeError(ErrorCode::Corrupt, "a stored field clock is damaged");
}

bool isFieldNumber(std::uint32_t field)
{
    return field != 0 && field <= static_cast<std::uint32_t>(google::protobuf::FieldDescriptor::kMaxNumber);
}

// The position of `value` in `seen`, appended when new.
template <typename T>
std::uint32_t indexIn(std::vector<T> &seen, const T &value)
{
    const auto found = std::find(seen.begin(), seen.end(), value);
    if (found != seen.end())
        return static_cast<std::uint32_t>(found - seen.begin());
    seen.push_back(value);
    return static_cast<std::uint32_t>(seen.size() - 1);
}

} // namespace

std::vector<FieldClock::Write>::const_iterator FieldClock::lowerBound(int field) const
{
    return std::lower_bound(m_writes.begin(), m_writes.end(), field,
                            [](const Write &write, int number) { return write.field < number; });
}

std::optional<FieldWrite> FieldClock::find(int field) const
{
    const auto found = lowerBound(field);
    if (found == m_writes.end() || found->field != field)
        return std::nullopt;
    return FieldWrite{found->stamp, m_devices[found->device]};
}

bool FieldClock::isSupersededBy(int field, const core::HlcStamp &stamp, std::string_view device) const
{
    const std::optional<FieldWrite> current = find(field);
    return !current || core::compareWrites(stamp, device, current->stamp, current->device) > 0;
}

std::uint32_t FieldClock::deviceIndex(std::string_view device)
{
    const auto found = std::find(m_devices.begin(), m_devices.end(), device);
    if (found != m_devices.end())
        return static_cast<std::uint32_t>(found - m_devices.begin());
    m_devices.emplace_back(device);
    return static_cast<std::uint32_t>(m_devices.size() - 1);
}

void FieldClock::record(int field, const core::HlcStamp &stamp, std::string_view device)
{
    const std::uint32_t index = deviceIndex(device);
    const auto position = m_writes.begin() + (lowerBound(field) - m_writes.cbegin());
    if (position != m_writes.end() && position->field == field) {
        position->stamp = stamp;
        position->device = index;
        return;
    }
    m_writes.insert(position, Write{field, stamp, index});
}

bool operator==(const FieldClock &left, const FieldClock &right)
{
    return std::equal(left.m_writes.begin(), left.m_writes.end(), right.m_writes.begin(), right.m_writes.end(),
                      [&](const FieldClock::Write &a, const FieldClock::Write &b) {
                          return a.field == b.field && a.stamp == b.stamp
                                 && left.m_devices[a.device] == right.m_devices[b.device];
                      });
}

// The indexed form: the marker byte; the devices (count, then each as length and
// bytes) and the packed stamps (count, then each) in the order the fields first name
// them; then each field as three varints: number, stamp index, device index.
std::string FieldClock::serialize() const
{
    std::string bytes;
    if (m_writes.empty())
        return bytes;
    std::vector<std::uint32_t> devices;  // indexes into m_devices, in order of first use
    std::vector<std::uint64_t> stamps;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> indexes;
    indexes.reserve(m_writes.size());
    for (const Write &write : m_writes)
        indexes.emplace_back(indexIn(stamps, write.stamp.pack()), indexIn(devices, write.device));
    {
        StringOutputStream stream(&bytes);
        CodedOutputStream out(&stream);
        out.WriteRaw(&indexedFormat, 1);
        out.WriteVarint32(static_cast<std::uint32_t>(devices.size()));
        for (const std::uint32_t device : devices) {
            out.WriteVarint32(static_cast<std::uint32_t>(m_devices[device].size()));
            out.WriteString(m_devices[device]);
        }
        out.WriteVarint32(static_cast<std::uint32_t>(stamps.size()));
        for (const std::uint64_t stamp : stamps)
            out.WriteVarint64(stamp);
        for (std::size_t i = 0; i < m_writes.size(); ++i) {
            out.WriteVarint32(static_cast<std::uint32_t>(m_writes[i].field));
            out.WriteVarint32(indexes[i].first);
            out.WriteVarint32(indexes[i].second);
        }
    }
    return bytes;
}

Result<FieldClock> FieldClock::parse(std::string_view bytes)
{
    if (bytes.empty())
        return FieldClock{};
    if (static_cast<std::uint8_t>(bytes.front()) == indexedFormat)
        return parseIndexed(bytes.substr(1));
    return parsePerField(bytes);
}

Result<FieldClock> FieldClock::parseIndexed(std::string_view bytes)
{
    CodedInputStream in(reinterpret_cast<const std::uint8_t *>(bytes.data()), static_cast<int>(bytes.size()));
    FieldClock clock;
    std::uint32_t deviceCount = 0;
    // Each device takes at least its length byte: a count beyond the bytes left is damage.
    if (!in.ReadVarint32(&deviceCount) || deviceCount > bytes.size())
        return damaged();
    clock.m_devices.resize(deviceCount);
    for (std::string &device : clock.m_devices) {
        std::uint32_t size = 0;
        if (!in.ReadVarint32(&size) || !in.ReadString(&device, static_cast<int>(size)))
            return damaged();
    }
    std::uint32_t stampCount = 0;
    if (!in.ReadVarint32(&stampCount) || stampCount > bytes.size())
        return damaged();
    std::vector<core::HlcStamp> stamps(stampCount);
    for (core::HlcStamp &stamp : stamps) {
        std::uint64_t packed = 0;
        if (!in.ReadVarint64(&packed))
            return damaged();
        stamp = core::HlcStamp::unpack(packed);
    }
    while (!in.ExpectAtEnd()) {
        std::uint32_t field = 0;
        std::uint32_t stamp = 0;
        std::uint32_t device = 0;
        if (!in.ReadVarint32(&field) || !in.ReadVarint32(&stamp) || !in.ReadVarint32(&device) || !isFieldNumber(field)
            || stamp >= stamps.size() || device >= deviceCount
            || (!clock.m_writes.empty() && static_cast<int>(field) <= clock.m_writes.back().field))
            return damaged();
        clock.m_writes.push_back(Write{static_cast<int>(field), stamps[stamp], device});
    }
    return clock;
}

// The older form: per field, its number, packed stamp, device length and device.
Result<FieldClock> FieldClock::parsePerField(std::string_view bytes)
{
    CodedInputStream in(reinterpret_cast<const std::uint8_t *>(bytes.data()), static_cast<int>(bytes.size()));
    FieldClock clock;
    std::string device;
    while (!in.ExpectAtEnd()) {
        std::uint32_t field = 0;
        std::uint64_t packed = 0;
        std::uint32_t deviceSize = 0;
        if (!in.ReadVarint32(&field) || !in.ReadVarint64(&packed) || !in.ReadVarint32(&deviceSize)
            || !in.ReadString(&device, static_cast<int>(deviceSize)) || !isFieldNumber(field))
            return damaged();
        clock.record(static_cast<int>(field), core::HlcStamp::unpack(packed), device);
    }
    return clock;
}

} // namespace sigess::sync
