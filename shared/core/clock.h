// The seam between SIgeSS and the wall clock. Everything that needs the time (ids,
// hybrid logical clock stamps, "today" for a codice fiscale) takes a `const Clock&`,
// so production passes a SystemClock and tests pass a ManualClock they move by hand
// instead of sleeping.
// Thread safety: both implementations may be read and (ManualClock) moved from any
// thread at once.
#pragma once

#include <atomic>
#include <cstdint>

namespace sigess::core {

class Clock {
public:
    virtual ~Clock();
    // Milliseconds since the Unix epoch (UTC). No promise of monotonicity: a real wall
    // clock can stall or jump back, and every user must cope with that.
    virtual std::uint64_t nowMs() const = 0;
};

class SystemClock final : public Clock {
public:
    std::uint64_t nowMs() const override;
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(std::uint64_t startMs = 0);

    std::uint64_t nowMs() const override;
    void set(std::uint64_t ms);
    void advance(std::uint64_t deltaMs);

private:
    std::atomic<std::uint64_t> m_nowMs;
};

} // namespace sigess::core
