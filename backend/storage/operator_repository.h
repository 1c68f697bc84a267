// Operators (the people who log in) and their password hashes. The Operator message
// is stored whole; username, presidio (meta.presidio), role and disabled are also
// columns for look-ups and lists. The password hash is kept beside the message and
// never inside it, so it cannot leak through the message to the API or to sync.
//
// Thread safety: a repository is a thin view over the SqlExecutor it is given and is
// exactly as thread-safe as it: over a SqlDatabase any thread may call it; over a
// transaction's executor, only that transaction's thread, and only while it runs.
// The same holds for every repository in storage/.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/page.h"
#include "storage/scope.h"
#include "storage/sql.h"

#include <string>
#include <string_view>

namespace sigess::storage {

struct OperatorAccount {
    v1::Operator profile;
    std::string passwordHash;  // libsodium crypto_pwhash_str output
};

class OperatorRepository {
public:
    explicit OperatorRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without meta.id, username or a role; Conflict when the id or the
    // username is taken.
    Status create(const v1::Operator &profile, std::string_view passwordHash);
    // Replaces the stored message (name, role, presidio, disabled...) and keeps the
    // password hash. NotFound for an unknown id; Conflict when the new username is taken.
    Status update(const v1::Operator &profile);
    Status setPasswordHash(std::string_view id, std::string_view passwordHash);

    Result<OperatorAccount> byId(std::string_view id);
    Result<OperatorAccount> byUsername(std::string_view username);
    // The operators of a scope, ordered by username.
    Result<Page<v1::Operator>> list(const Scope &scope, const PageRequest &page);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
