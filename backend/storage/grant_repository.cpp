#include "storage/grant_repository.h"

#include "storage/repository_support.h"

namespace sigess::storage {

Status GrantRepository::create(std::string_view id, std::string_view holder, const v1::Grant &grant)
{
    const std::string what = "a grant to '" + std::string(holder) + "'";
    SIGESS_TRY(require(!id.empty(), what, "an id"));
    SIGESS_TRY(require(!holder.empty(), what, "a holder"));
    Result<SqlBytes> data = serialized(grant);
    if (!data.ok())
        return data.takeError();
    return insertRow(m_sql, "break_glass_grants",
                     {
                         {"id", id},
                         {"holder", holder},
                         {"expires_ms", static_cast<std::int64_t>(grant.expires_at_ms())},
                         {"data", *data},
                     },
                     what);
}

Result<std::vector<v1::Grant>> GrantRepository::unexpired(std::string_view holder, std::uint64_t nowMs)
{
    std::vector<v1::Grant> grants;
    Status read = m_sql.query("SELECT data FROM break_glass_grants WHERE holder = $1 AND expires_ms > $2"
                              " ORDER BY expires_ms, id",
                              {holder, static_cast<std::int64_t>(nowMs)},
                              [&](const SqlRow &row) { return parseStored(row.bytes(0), grants.emplace_back()); });
    if (!read.ok())
        return read.takeError();
    return grants;
}

Result<std::int64_t> GrantRepository::removeAllOf(std::string_view holder)
{
    return m_sql.execute("DELETE FROM break_glass_grants WHERE holder = $1", {holder});
}

Result<std::int64_t> GrantRepository::removeExpired(std::uint64_t nowMs)
{
    return m_sql.execute("DELETE FROM break_glass_grants WHERE expires_ms <= $1", {static_cast<std::int64_t>(nowMs)});
}

} // namespace sigess::storage
