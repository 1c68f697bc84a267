// Slows down password guessing against one username. The first few failures are free;
// each further one locks the username for twice as long as the last, up to a ceiling,
// and a success clears the record. Usernames that do not exist are throttled exactly
// like real ones, so the lock reveals nothing about which accounts exist. Old records
// are forgotten, and the table is bounded, so a flood of made-up usernames cannot grow
// it without limit. Time comes from the Clock.
//
// The record lives in this process: with several backend instances each throttles on
// its own, which multiplies an attacker's budget by the number of instances, no more.
//
// Thread safety: all members may be called from any thread (one mutex).
#pragma once

#include "core/clock.h"

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sigess::identity {

struct ThrottleOptions {
    unsigned freeFailures = 5;
    std::uint64_t firstLockMs = 30'000;
    std::uint64_t maxLockMs = 15 * 60'000;
    std::uint64_t forgetAfterMs = 60 * 60'000;  // since the last failure
    std::size_t maxTracked = 100'000;
};

class LoginThrottle {
public:
    LoginThrottle(const core::Clock &clock, ThrottleOptions options);

    // When the username may try again; nullopt when it may try now.
    std::optional<std::uint64_t> lockedUntilMs(std::string_view username) const;
    void recordFailure(std::string_view username);
    void recordSuccess(std::string_view username);

private:
    struct Record {
        unsigned failures = 0;
        std::uint64_t lastFailureMs = 0;
        std::uint64_t lockedUntilMs = 0;
    };

    void forgetOld(std::uint64_t nowMs);

    const core::Clock &m_clock;
    ThrottleOptions m_options;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Record> m_records;
};

} // namespace sigess::identity
