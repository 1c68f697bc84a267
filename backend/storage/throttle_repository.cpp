#include "storage/throttle_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

Result<std::optional<std::uint64_t>> ThrottleRepository::lockedUntilMs(std::string_view username)
{
    std::optional<std::uint64_t> until;
    Status read = m_sql.query("SELECT locked_until_ms FROM login_throttle WHERE username = $1", {username},
                              [&](const SqlRow &row) -> Status {
                                  if (row.int64(0) > 0)
                                      until = static_cast<std::uint64_t>(row.int64(0));
                                  return {};
                              });
    if (!read.ok())
        return read.takeError();
    return until;
}

Result<std::uint64_t> ThrottleRepository::countFailure(std::string_view username, std::uint64_t nowMs,
                                                       std::uint64_t forgetUpToMs)
{
    std::uint64_t failures = 0;
    // One statement, so two failures at once on two instances are both counted.
    Status counted = readOne(
        m_sql,
        "INSERT INTO login_throttle (username, failures, last_failure_ms, locked_until_ms) VALUES ($1, 1, $2, 0)"
        " ON CONFLICT (username) DO UPDATE SET"
        " failures = CASE WHEN login_throttle.last_failure_ms <= $3 THEN 1 ELSE login_throttle.failures + 1 END,"
        " locked_until_ms = CASE WHEN login_throttle.last_failure_ms <= $3 THEN 0"
        " ELSE login_throttle.locked_until_ms END,"
        " last_failure_ms = $2"
        " RETURNING failures",
        {username, static_cast<std::int64_t>(nowMs), static_cast<std::int64_t>(forgetUpToMs)},
        [&](const SqlRow &row) -> Status {
            failures = static_cast<std::uint64_t>(row.int64(0));
            return {};
        },
        "the failed sign-in was not counted");
    if (!counted.ok())
        return counted.takeError();
    return failures;
}

Status ThrottleRepository::lock(std::string_view username, std::uint64_t untilMs)
{
    return updateRow(m_sql, "login_throttle", {"username", username},
                     {{"locked_until_ms", static_cast<std::int64_t>(untilMs)}},
                     "the sign-in record of '" + std::string(username) + "'");
}

Status ThrottleRepository::clear(std::string_view username)
{
    Result<std::int64_t> removed = m_sql.execute("DELETE FROM login_throttle WHERE username = $1", {username});
    if (!removed.ok())
        return removed.takeError();
    return {};
}

Result<std::int64_t> ThrottleRepository::forget(std::uint64_t forgetUpToMs, std::uint64_t nowMs)
{
    return m_sql.execute("DELETE FROM login_throttle WHERE last_failure_ms <= $1 AND locked_until_ms <= $2",
                         {static_cast<std::int64_t>(forgetUpToMs), static_cast<std::int64_t>(nowMs)});
}

} // namespace sigess::storage
