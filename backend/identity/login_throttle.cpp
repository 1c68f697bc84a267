#include "identity/login_throttle.h"

#include <algorithm>

namespace sigess::identity {

LoginThrottle::LoginThrottle(const core::Clock &clock, ThrottleOptions options)
    : m_clock(clock)
    , m_options(options)
{
}

std::optional<std::uint64_t> LoginThrottle::lockedUntilMs(std::string_view username) const
{
    const std::uint64_t now = m_clock.nowMs();
    const std::lock_guard lock(m_mutex);
    const auto found = m_records.find(std::string(username));
    if (found == m_records.end() || found->second.lockedUntilMs <= now)
        return std::nullopt;
    return found->second.lockedUntilMs;
}

void LoginThrottle::recordFailure(std::string_view username)
{
    const std::uint64_t now = m_clock.nowMs();
    const std::lock_guard lock(m_mutex);
    if (m_records.size() >= m_options.maxTracked)
        forgetOld(now);
    auto &record = m_records[std::string(username)];
    if (record.failures > 0 && now - std::min(now, record.lastFailureMs) >= m_options.forgetAfterMs)
        record = Record {};
    ++record.failures;
    record.lastFailureMs = now;
    if (record.failures <= m_options.freeFailures)
        return;
    // Doubling from the first lock; the shift is capped so it cannot overflow.
    const unsigned doublings = std::min(record.failures - m_options.freeFailures - 1, 32u);
    const std::uint64_t lockMs = std::min(m_options.firstLockMs << doublings, m_options.maxLockMs);
    record.lockedUntilMs = now + lockMs;
}

void LoginThrottle::recordSuccess(std::string_view username)
{
    const std::lock_guard lock(m_mutex);
    m_records.erase(std::string(username));
}

void LoginThrottle::forgetOld(std::uint64_t nowMs)
{
    std::erase_if(m_records, [&](const auto &entry) {
        return entry.second.lockedUntilMs <= nowMs
            && nowMs - std::min(nowMs, entry.second.lastFailureMs) >= m_options.forgetAfterMs;
    });
    // Still full: a flood of fresh usernames. Dropping the unlocked records keeps the
    // locks that matter (those earned by real guessing) while bounding memory.
    if (m_records.size() >= m_options.maxTracked)
        std::erase_if(m_records, [&](const auto &entry) { return entry.second.lockedUntilMs <= nowMs; });
}

} // namespace sigess::identity
