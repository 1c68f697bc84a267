// The per-field write stamps kept beside every replicated entity: for each field
// number, the HLC stamp and device of the write that set its current value. The merge
// compares an incoming write with them (last writer wins, ties to the greater device
// id), so every replica that has seen the same writes keeps the same values.
// Stored as a compact byte string next to the entity's message.
// Thread safety: a value type.
#pragma once

#include "core/hlc.h"
#include "core/result.h"

#include <map>
#include <string>
#include <string_view>

namespace sigess::sync {

struct FieldWrite {
    core::HlcStamp stamp;
    std::string device;

    friend bool operator==(const FieldWrite &, const FieldWrite &) = default;
};

class FieldClock {
public:
    // Null when the field has never been written.
    const FieldWrite *find(int field) const;
    // True when a write (stamp, device) of the field wins over the one it holds.
    bool isSupersededBy(int field, const core::HlcStamp &stamp, std::string_view device) const;
    void record(int field, const core::HlcStamp &stamp, std::string_view device);

    bool empty() const { return m_writes.empty(); }
    const std::map<int, FieldWrite> &writes() const { return m_writes; }

    std::string serialize() const;
    // Corrupt if the bytes were not made by serialize().
    static Result<FieldClock> parse(std::string_view bytes);

    friend bool operator==(const FieldClock &, const FieldClock &) = default;

private:
    std::map<int, FieldWrite> m_writes;
};

} // namespace sigess::sync
