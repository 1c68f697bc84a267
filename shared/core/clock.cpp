#include "core/clock.h"

#include <chrono>

namespace sigess::core {

Clock::~Clock() = default;

std::uint64_t SystemClock::nowMs() const
{
    const auto sinceEpoch = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(sinceEpoch).count());
}

ManualClock::ManualClock(std::uint64_t startMs)
    : m_nowMs(startMs)
{
}

std::uint64_t ManualClock::nowMs() const
{
    return m_nowMs.load();
}

void ManualClock::set(std::uint64_t ms)
{
    m_nowMs.store(ms);
}

void ManualClock::advance(std::uint64_t deltaMs)
{
    m_nowMs.fetch_add(deltaMs);
}

} // namespace sigess::core
