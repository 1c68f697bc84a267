#include "storage/session_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

Status SessionRepository::create(const SessionRecord &session)
{
    SIGESS_TRY(require(!session.tokenHash.empty(), "a session", "a token hash"));
    SIGESS_TRY(require(!session.operatorId.empty(), "a session", "an operator"));
    return insertRow(m_sql, "sessions",
                     {
                         {"token_hash", SqlBytes{session.tokenHash}},
                         {"operator_id", session.operatorId},
                         {"device_id", session.deviceId},
                         {"created_ms", static_cast<std::int64_t>(session.createdMs)},
                         {"expires_ms", static_cast<std::int64_t>(session.expiresMs)},
                         {"revoked", session.revoked},
                     },
                     "a session of operator '" + session.operatorId + "'");
}

Result<SessionRecord> SessionRepository::byTokenHash(std::string_view tokenHash)
{
    SessionRecord session;
    Status read = readOne(
        m_sql,
        "SELECT operator_id, device_id, created_ms, expires_ms, revoked FROM sessions WHERE token_hash = $1",
        {SqlBytes{std::string(tokenHash)}},
        [&](const SqlRow &row) -> Status {
            session.tokenHash = std::string(tokenHash);
            session.operatorId = std::string(row.text(0));
            session.deviceId = std::string(row.text(1));
            session.createdMs = static_cast<std::uint64_t>(row.int64(2));
            session.expiresMs = static_cast<std::uint64_t>(row.int64(3));
            session.revoked = row.int64(4) != 0;
            return {};
        },
        "no such session");
    if (!read.ok())
        return read.takeError();
    return session;
}

Status SessionRepository::revoke(std::string_view tokenHash)
{
    return updateRow(m_sql, "sessions", {"token_hash", SqlBytes{std::string(tokenHash)}}, {{"revoked", true}},
                     "a session");
}

Result<std::int64_t> SessionRepository::revokeAllForOperator(std::string_view operatorId)
{
    return m_sql.execute("UPDATE sessions SET revoked = 1 WHERE operator_id = $1 AND revoked = 0", {operatorId});
}

Result<std::int64_t> SessionRepository::revokeAllForDevice(std::string_view deviceId)
{
    return m_sql.execute("UPDATE sessions SET revoked = 1 WHERE device_id = $1 AND revoked = 0", {deviceId});
}

Result<std::int64_t> SessionRepository::deleteExpired(std::uint64_t nowMs)
{
    return m_sql.execute("DELETE FROM sessions WHERE expires_ms <= $1", {static_cast<std::int64_t>(nowMs)});
}

} // namespace sigess::storage
