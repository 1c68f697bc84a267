// Hybrid logical clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014):
// stamps that stay close to wall-clock time yet respect causality across devices
// whose clocks disagree. Every local change takes a stamp from now(); every change
// received from another device passes its stamp through receive(), so whatever this
// device stamps next is ordered after it. Stamps order last-writer-wins merges.
// Thread safety: HlcStamp is a value type; HybridLogicalClock may be used from any
// thread (one mutex).
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "sigess/v1/common.pb.h"

#include <compare>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace sigess::core {

struct HlcStamp {
    // Limits of the packed form; the clock never issues a stamp beyond them.
    static constexpr std::uint64_t maxWallMs = (std::uint64_t { 1 } << 48) - 1; // year 10889
    static constexpr std::uint32_t maxCounter = 0xFFFF;

    std::uint64_t wallMs = 0;
    std::uint32_t counter = 0;

    friend constexpr auto operator<=>(const HlcStamp &, const HlcStamp &) = default;

    // One integer for storage and indexes, ordered exactly like the stamps:
    // wallMs in the high 48 bits, counter in the low 16. Throws std::out_of_range for
    // a stamp beyond the limits, which only a programming error can build.
    std::uint64_t pack() const;
    static HlcStamp unpack(std::uint64_t packed);

    // A stamp from the wire is checked against the limits: Invalid if beyond them.
    static Result<HlcStamp> fromProto(const v1::Hlc &message);
    v1::Hlc toProto() const;
};

// Orders two writes of the same field for last-writer-wins: the later stamp wins and,
// should two devices produce the very same stamp, the greater device id wins, so every
// replica picks the same winner. Device ids are canonical UUID text.
std::strong_ordering compareWrites(
    const HlcStamp &stampA, std::string_view deviceA, const HlcStamp &stampB, std::string_view deviceB);

class HybridLogicalClock {
public:
    static constexpr std::uint64_t defaultMaxDriftMs = 5 * 60 * 1000;

    // maxDriftMs: how far ahead of our wall clock a remote stamp may be. A device with
    // a clock set days ahead would otherwise drag every clock it talks to along.
    explicit HybridLogicalClock(const Clock &clock, std::uint64_t maxDriftMs = defaultMaxDriftMs);

    // A stamp for a local event or a message to send: greater than every stamp this
    // clock has issued or received, even if the wall clock stalls or jumps back.
    HlcStamp now();

    // Merges a stamp received from another device and returns a stamp greater than
    // both it and everything issued so far. Invalid, leaving the clock untouched, if
    // the remote stamp is further ahead of our wall clock than the allowed drift.
    Result<HlcStamp> receive(const HlcStamp &remote);

private:
    // Keeps the counter within the packed form by moving into the next millisecond.
    void carryCounter();

    const Clock &m_clock;
    const std::uint64_t m_maxDriftMs;
    std::mutex m_mutex;
    HlcStamp m_last;
};

} // namespace sigess::core
