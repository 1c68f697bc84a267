#include "identity/login_throttle.h"

#include "storage/throttle_repository.h"

#include <algorithm>

namespace sigess::identity {

LoginThrottle::LoginThrottle(storage::SqlDatabase &database, const core::Clock &clock, ThrottleOptions options)
    : m_database(database)
    , m_clock(clock)
    , m_options(options)
{
}

Result<std::optional<std::uint64_t>> LoginThrottle::lockedUntilMs(std::string_view username) const
{
    auto until = storage::ThrottleRepository(m_database).lockedUntilMs(username);
    if (!until)
        return until.takeError();
    if (*until && **until <= m_clock.nowMs())
        return std::optional<std::uint64_t>();
    return until;
}

Status LoginThrottle::recordFailure(std::string_view username)
{
    const std::uint64_t now = m_clock.nowMs();
    const std::uint64_t forgetUpTo = now - std::min(now, m_options.forgetAfterMs);
    auto forgotten = storage::ThrottleRepository(m_database).forget(forgetUpTo, now);
    if (!forgotten)
        return forgotten.takeError();
    return m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
        storage::ThrottleRepository records(sql);
        auto failures = records.countFailure(username, now, forgetUpTo);
        if (!failures)
            return failures.takeError();
        if (*failures <= m_options.freeFailures)
            return {};
        // Doubling from the first lock; the shift is capped so it cannot overflow.
        const std::uint64_t doublings = std::min<std::uint64_t>(*failures - m_options.freeFailures - 1, 32);
        const std::uint64_t lockMs = std::min(m_options.firstLockMs << doublings, m_options.maxLockMs);
        return records.lock(username, now + lockMs);
    });
}

Status LoginThrottle::recordSuccess(std::string_view username)
{
    return storage::ThrottleRepository(m_database).clear(username);
}

} // namespace sigess::identity
