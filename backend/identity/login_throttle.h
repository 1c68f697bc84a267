// Slows down password guessing against one username. The first few failures are free;
// each further one locks the username for twice as long as the last, up to a ceiling,
// and a success clears the record. Usernames that do not exist are throttled exactly
// like real ones, so the lock reveals nothing about which accounts exist. A record is
// forgotten once its last failure is old and its lock has ended, so a flood of made-up
// usernames leaves at most an hour's worth of rows. Time comes from the Clock.
//
// The records live in the store (storage/throttle_repository.h): a restart does not
// reset an attacker's budget, and several backend instances on one PostgreSQL share it.
//
// Thread safety: all members may be called from any thread (the store serializes).
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "storage/sql.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sigess::identity {

struct ThrottleOptions {
    unsigned freeFailures = 5;
    std::uint64_t firstLockMs = 30'000;
    std::uint64_t maxLockMs = 15 * 60'000;
    std::uint64_t forgetAfterMs = 60 * 60'000;  // since the last failure
};

class LoginThrottle {
public:
    LoginThrottle(storage::SqlDatabase &database, const core::Clock &clock, ThrottleOptions options);

    // When the username may try again; nullopt when it may try now.
    Result<std::optional<std::uint64_t>> lockedUntilMs(std::string_view username) const;
    Status recordFailure(std::string_view username);
    Status recordSuccess(std::string_view username);

private:
    storage::SqlDatabase &m_database;
    const core::Clock &m_clock;
    ThrottleOptions m_options;
};

} // namespace sigess::identity
