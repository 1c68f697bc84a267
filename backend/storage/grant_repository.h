// Break-the-glass grants on record, shared by every backend instance on the store and
// kept across restarts. Each grant is stored whole (a v1::Grant) under its holder, with
// its expiry as a column, so finding a holder's live grants is one index range. Whether
// a grant may be made is policy's business (policy/break_glass.h); this only keeps it.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/api.pb.h"
#include "storage/sql.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace sigess::storage {

class GrantRepository {
public:
    explicit GrantRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Invalid without an id or a holder; Conflict for an id on record.
    Status create(std::string_view id, std::string_view holder, const v1::Grant &grant);
    // The holder's grants that have not expired at nowMs, oldest first.
    Result<std::vector<v1::Grant>> unexpired(std::string_view holder, std::uint64_t nowMs);
    // These return how many grants they removed.
    Result<std::int64_t> removeAllOf(std::string_view holder);
    Result<std::int64_t> removeExpired(std::uint64_t nowMs);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
