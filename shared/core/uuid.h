// Identifiers of SIgeSS: RFC 9562 UUIDs, generated as version 7 (a 48-bit Unix
// millisecond timestamp first, so ids sort by creation time and index well).
// Uuid is a plain value type. UuidV7Generator hands out ids that are strictly
// increasing within the process, as bytes and as canonical text, even when its clock
// stalls or jumps back; it is thread-safe (one mutex). It draws its randomness ahead, so
// a process forked without exec must make a generator of its own.
#pragma once

#include "core/clock.h"
#include "core/result.h"

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace sigess::core {

class Uuid {
public:
    using Bytes = std::array<std::uint8_t, 16>;

    // The nil UUID (all zero bits).
    constexpr Uuid() = default;
    constexpr explicit Uuid(const Bytes &bytes)
        : m_bytes(bytes)
    {
    }

    // Accepts only the canonical 8-4-4-4-12 hexadecimal form (either case).
    static Result<Uuid> parse(std::string_view text);

    // Canonical lower-case form, "0190b6c4-7f3a-7c1e-9a2b-3c4d5e6f7a8b". Its byte order
    // and its text order agree, so ids compared as text sort like ids compared as bytes.
    std::string toString() const;

    const Bytes &bytes() const { return m_bytes; }
    bool isNil() const;
    // The version field (7 for the ids made here, 4 for random ids).
    int version() const;
    // The Unix millisecond timestamp held by a version 7 id.
    std::uint64_t timestampMs() const;

    friend constexpr auto operator<=>(const Uuid &, const Uuid &) = default;

private:
    Bytes m_bytes {};
};

// Layout of each id, RFC 9562 section 6.2 "Method 1" (fixed-length dedicated counter):
//   unix_ts_ms (48) | ver=7 (4) | counter (12, in rand_a) | var=10 (2) | random (62)
// The counter restarts at a random value, with its top bit clear, whenever the
// timestamp moves forward, and counts up by one for each id in the same millisecond;
// that leaves at least 2048 ids per millisecond before it overflows, and then the
// timestamp is bumped by one millisecond ahead of the clock. A stalled or backward
// clock is treated the same way: the last timestamp is kept and the counter goes on,
// so ids never repeat nor go back. A longer counter would eat into the 62 random bits
// that make ids unguessable; 2 million ids per second is far beyond any device here.
class UuidV7Generator {
public:
    // Initialises libsodium; throws std::runtime_error if it cannot (a start-up failure).
    explicit UuidV7Generator(const Clock &clock);

    Uuid next();

private:
    static constexpr std::size_t randomBytesPerId = 10;
    static constexpr std::size_t idsPerDraw = 256;

    const Clock &m_clock;
    std::mutex m_mutex;
    std::uint64_t m_lastMs = 0;
    std::uint16_t m_counter = 0;
    // Random bytes drawn ahead, each handed out once and then wiped.
    std::array<std::uint8_t, randomBytesPerId * idsPerDraw> m_random {};
    std::size_t m_randomUsed = m_random.size();
};

} // namespace sigess::core
