// The presidi, copied from the catalog release into the store so that scopes can be
// resolved in SQL (a municipio scope covers the records of its presidi). Keyed by the
// presidio's catalog code. The list is bounded by the catalog, so it is not paged.
// Thread safety: see operator_repository.h.
#pragma once

#include "core/result.h"
#include "sigess/v1/entities.pb.h"
#include "storage/scope.h"
#include "storage/sql.h"

#include <string_view>
#include <vector>

namespace sigess::storage {

class PresidioRepository {
public:
    explicit PresidioRepository(SqlExecutor &sql) : m_sql(sql) {}

    // Inserts or replaces by code. Invalid without a code or a municipio.
    Status upsert(const v1::Presidio &presidio);
    Result<v1::Presidio> byCode(std::string_view code);
    // The presidi of a scope, ordered by code.
    Result<std::vector<v1::Presidio>> list(const Scope &scope);

private:
    SqlExecutor &m_sql;
};

} // namespace sigess::storage
