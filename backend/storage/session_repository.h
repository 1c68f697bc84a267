// Login sessions. Only the SHA-256 hash of a session token is stored, so a copy of
// the store does not let anyone log in. Expiry and revocation are recorded here and
// judged by the caller (identity/), which knows the time; revoking every session of an
// operator or a device is one statement, so disabling takes effect at once.
// Thread safety: see operator_repository.h (the same for every repository).
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace sigess::storage {

struct SessionRecord {
    std::string tokenHash;   // raw SHA-256 bytes of the token
    std::string operatorId;
    std::string deviceId;    // empty for a browser session
    std::uint64_t createdMs = 0;
    std::uint64_t expiresMs = 0;
    bool revoked = false;
};

class SessionRepository {
public:
    explicit SessionRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without a token hash or an operator; Conflict when the hash exists.
    Status create(const SessionRecord &session);
    // NotFound for an unknown hash; revoked and expired sessions are returned as they are.
    Result<SessionRecord> byTokenHash(std::string_view tokenHash);
    // NotFound for an unknown hash.
    Status revoke(std::string_view tokenHash);
    // These return how many sessions they changed.
    Result<std::int64_t> revokeAllForOperator(std::string_view operatorId);
    Result<std::int64_t> revokeAllForDevice(std::string_view deviceId);
    Result<std::int64_t> deleteExpired(std::uint64_t nowMs);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
