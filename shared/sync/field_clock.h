// The per-field write stamps kept beside every replicated entity: for each field
// number, the HLC stamp and device of the write that set its current value. The merge
// compares an incoming write with them (last writer wins, ties to the greater device
// id), so every replica that has seen the same writes keeps the same values.
// Stored as a compact byte string next to the entity's message: each distinct device
// and stamp once, then per field two small indexes (a whole record written by one
// operation costs one device id and one stamp, not one per field). The older form, a
// device id and a stamp per field, still parses, so stores written before read on.
// Thread safety: a value type.
#pragma once

#include "core/hlc.h"
#include "core/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::sync {

// A write as the clock holds it; `device` views the clock's own copy, valid until the
// clock changes or goes.
struct FieldWrite {
    core::HlcStamp stamp;
    std::string_view device;

    friend bool operator==(const FieldWrite &, const FieldWrite &) = default;
};

class FieldClock {
public:
    // Nothing when the field has never been written.
    std::optional<FieldWrite> find(int field) const;
    // True when a write (stamp, device) of the field wins over the one it holds.
    bool isSupersededBy(int field, const core::HlcStamp &stamp, std::string_view device) const;
    void record(int field, const core::HlcStamp &stamp, std::string_view device);

    bool empty() const { return m_writes.empty(); }
    std::size_t size() const { return m_writes.size(); }

    // The same writes serialize to the same bytes, whatever order they were recorded in.
    std::string serialize() const;
    // Corrupt if the bytes were not made by serialize() (of this version or the older one).
    static Result<FieldClock> parse(std::string_view bytes);

    // Equal when they hold the same stamp and device for the same fields.
    friend bool operator==(const FieldClock &left, const FieldClock &right);

private:
    struct Write {
        int field = 0;
        core::HlcStamp stamp;
        std::uint32_t device = 0;  // index in m_devices
    };

    std::vector<Write>::const_iterator lowerBound(int field) const;
    std::uint32_t deviceIndex(std::string_view device);
    static Result<FieldClock> parseIndexed(std::string_view bytes);
    static Result<FieldClock> parsePerField(std::string_view bytes);

    std::vector<Write> m_writes;  // ascending field numbers
    // Every device a write has named; one overwritten since may linger until the clock
    // is serialized and parsed again, which keeps only those still named.
    std::vector<std::string> m_devices;
};

} // namespace sigess::sync
