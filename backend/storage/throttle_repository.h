// The login throttle's record per username (identity/login_throttle.h decides the
// policy): failures counted since the last success, the time of the last one, and the
// lock they earned. Kept in the store so that a restart does not reset an attacker's
// budget and several backend instances on one PostgreSQL throttle together. Counting a
// failure is one atomic upsert, so concurrent failures are all counted.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace sigess::storage {

class ThrottleRepository {
public:
    explicit ThrottleRepository(SqlExecutor &sql) : m_sql(sql) {}

    // The lock on record for the username (possibly already past); nullopt for none.
    Result<std::optional<std::uint64_t>> lockedUntilMs(std::string_view username);
    // Counts a failure at nowMs and returns the count, which starts again from 1 (and
    // the lock from none) when the previous failure was at or before forgetUpToMs.
    Result<std::uint64_t> countFailure(std::string_view username, std::uint64_t nowMs, std::uint64_t forgetUpToMs);
    Status lock(std::string_view username, std::uint64_t untilMs);
    Status clear(std::string_view username);
    // Drops the records whose last failure is at or before forgetUpToMs and whose lock
    // has ended by nowMs; returns how many.
    Result<std::int64_t> forget(std::uint64_t forgetUpToMs, std::uint64_t nowMs);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
