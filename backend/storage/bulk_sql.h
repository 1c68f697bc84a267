// Statements over many rows at once, for writers that store a whole batch (a device's
// Push, a chain of audit events). On PostgreSQL every statement is a round trip and on
// the encrypted store every statement runs the VDBE and touches pages again, so a batch
// costs a handful of multi-row statements instead of one statement per row.
//
// The rows go in chunks of 64, 32, 16, 8, 4, 2 and 1, so one statement shape has at
// most seven texts, each prepared once per connection by the drivers' statement caches.
//
// Thread safety: free functions over the caller's executor.
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace sigess::storage {

// Runs `head VALUES (...), (...) tail` for the rows in `values` (row after row, each of
// `columns` values), e.g. head "INSERT INTO t (a, b)" and tail "" or an ON CONFLICT
// clause. An error stops at the chunk that failed; the caller's transaction undoes it.
Status executeRows(SqlExecutor &sql, std::string_view head, std::string_view tail, std::size_t columns,
                   const std::vector<SqlValue> &values);

// Runs `head IN (...) tail` for each chunk of `keys`, with `fixed` as parameters $1..$n
// before the keys, and hands every row to visit. Rows come chunk by chunk, so a caller
// that needs an order sorts them itself.
Status queryIn(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
               const std::vector<SqlValue> &keys, const SqlRowVisitor &visit);

} // namespace sigess::storage
