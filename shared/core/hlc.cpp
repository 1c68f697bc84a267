#include "core/hlc.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sigess::core {

namespace {

constexpr int counterBits = 16;

Status checkLimits(const HlcStamp &stamp)
{
    if (stamp.wallMs > HlcStamp::maxWallMs) {
        return makeError(ErrorCode::Invalid,
            "HLC wall time " + std::to_string(stamp.wallMs) + " ms is beyond the limit of "
                + std::to_string(HlcStamp::maxWallMs));
    }
    if (stamp.counter > HlcStamp::maxCounter) {
        return makeError(ErrorCode::Invalid,
            "HLC counter " + std::to_string(stamp.counter) + " is beyond the limit of "
                + std::to_string(HlcStamp::maxCounter));
    }
    return {};
}

} // namespace

std::uint64_t HlcStamp::pack() const
{
    if (const Status status = checkLimits(*this); !status)
        throw std::out_of_range(status.error().message);
    return (wallMs << counterBits) | counter;
}

HlcStamp HlcStamp::unpack(std::uint64_t packed)
{
    return HlcStamp { packed >> counterBits, static_cast<std::uint32_t>(packed & maxCounter) };
}

Result<HlcStamp> HlcStamp::fromProto(const v1::Hlc &message)
{
    const HlcStamp stamp { message.wall_ms(), message.counter() };
    SIGESS_TRY(checkLimits(stamp));
    return stamp;
}

v1::Hlc HlcStamp::toProto() const
{
    v1::Hlc message;
    message.set_wall_ms(wallMs);
    message.set_counter(counter);
    return message;
}

std::strong_ordering compareWrites(
    const HlcStamp &stampA, std::string_view deviceA, const HlcStamp &stampB, std::string_view deviceB)
{
    if (const auto order = stampA <=> stampB; order != 0)
        return order;
    return deviceA <=> deviceB;
}

HybridLogicalClock::HybridLogicalClock(const Clock &clock, std::uint64_t maxDriftMs)
    : m_clock(clock)
    , m_maxDriftMs(maxDriftMs)
{
}

HlcStamp HybridLogicalClock::now()
{
    const std::lock_guard lock(m_mutex);
    const std::uint64_t wallMs = m_clock.nowMs();
    if (wallMs > m_last.wallMs) {
        m_last = HlcStamp { wallMs, 0 };
    } else {
        ++m_last.counter;
        carryCounter();
    }
    return m_last;
}

Result<HlcStamp> HybridLogicalClock::receive(const HlcStamp &remote)
{
    SIGESS_TRY(checkLimits(remote));
    const std::lock_guard lock(m_mutex);
    const std::uint64_t wallMs = m_clock.nowMs();
    if (remote.wallMs > wallMs && remote.wallMs - wallMs > m_maxDriftMs) {
        return makeError(ErrorCode::Invalid,
            "remote HLC stamp is " + std::to_string(remote.wallMs - wallMs)
                + " ms ahead of the local clock, more than the " + std::to_string(m_maxDriftMs)
                + " ms allowed");
    }
    const std::uint64_t mergedMs = std::max({ m_last.wallMs, remote.wallMs, wallMs });
    const bool localAtMerged = m_last.wallMs == mergedMs;
    const bool remoteAtMerged = remote.wallMs == mergedMs;
    if (localAtMerged && remoteAtMerged)
        m_last.counter = std::max(m_last.counter, remote.counter) + 1;
    else if (localAtMerged)
        ++m_last.counter;
    else if (remoteAtMerged)
        m_last.counter = remote.counter + 1;
    else
        m_last.counter = 0;
    m_last.wallMs = mergedMs;
    carryCounter();
    return m_last;
}

void HybridLogicalClock::carryCounter()
{
    if (m_last.counter > HlcStamp::maxCounter) {
        ++m_last.wallMs;
        m_last.counter = 0;
    }
}

} // namespace sigess::core
