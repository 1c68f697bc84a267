// Statements over many rows at once, for writers that store a whole batch (a device's
// Push, a chain of audit events). On PostgreSQL every statement is a round trip and on
// the encrypted store every statement runs the VDBE and touches pages again, so a batch
// costs a handful of multi-row statements instead of one statement per row.
//
// On PostgreSQL a batch is one statement whatever its size: each column goes as one
// array parameter (INSERT ... SELECT unnest($1::int8[]), unnest($2::text[]) ..., and
// "= ANY($n::text[])" for a key list), so one statement text serves every batch and
// a Push costs one round trip per table; a write is planned once per connection
// (SqlExecutor::executeColumns), since its plan is the same for any rows. The arrays go in PostgreSQL's binary form
// (storage::SqlArray): no quoting or hex escapes to write, and no text literal for the
// server to parse. A text element passes the checks of a text parameter (valid UTF-8, no
// NUL), refused with ErrorCode::Invalid before the statement runs. On the embedded store the rows go in chunks
// of 64, 32, 16, 8, 4, 2 and 1 (SQLite has no arrays), so one statement shape has at
// most seven texts, each prepared once per connection by the driver's statement cache;
// an INSERT goes as INSERT OR FAIL, since a failure is the caller's transaction's to
// undo (below), which spares SQLite a copy of every page each chunk changes.
//
// Every value of one column must be of one kind (or NULL): an array has one element
// type. A column that mixes kinds is ErrorCode::Internal, a programming error.
//
// Thread safety: free functions over the caller's executor.
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace sigess::storage {

// Runs `head VALUES (...), (...) tail` for the rows in `values` (row after row, each of
// `columns` values), e.g. head "INSERT INTO t (a, b)" and tail "" or an ON CONFLICT
// clause; on PostgreSQL the rows come from unnest() instead of VALUES. Returns the rows
// the statements changed: with ON CONFLICT DO NOTHING, those inserted, so a writer
// learns that another transaction holds some of the keys. An error stops at the
// statement that failed and may leave rows of the earlier statements, and on the
// embedded store of the failed one, written: the caller's transaction or savepoint
// undoes them.
Result<std::int64_t> executeRows(SqlExecutor &sql, std::string_view head, std::string_view tail, std::size_t columns,
                                 const std::vector<SqlValue> &values);

// What a multi-row INSERT does with a row whose key is taken.
enum class OnKeyConflict {
    Fail,     // the statement fails with ErrorCode::Conflict
    Replace,  // the stored row takes the new row's other columns
};

// INSERT INTO table (columns...) of the rows in `values`, laid out as for executeRows.
// The first column is the key that OnKeyConflict::Replace matches on. A row that takes
// another unique value (not the key) is ErrorCode::Conflict either way.
Status insertRows(SqlExecutor &sql, std::string_view table, std::span<const std::string_view> columns,
                  OnKeyConflict onConflict, const std::vector<SqlValue> &values);

// Appends the rows in `values` (laid out as for executeRows) to `table`. On PostgreSQL
// they go through COPY in its binary form: no arrays for the server to take apart, and
// it inserts a page of rows at a time. COPY converts nothing, so each value must be of
// its column's own type there (a number for BIGINT or DOUBLE PRECISION, text for TEXT,
// bytes for BYTEA); a taken key or unique value is ErrorCode::Conflict, as for
// insertRows. On the embedded store this is insertRows.
Status appendRows(SqlExecutor &sql, std::string_view table, std::span<const std::string_view> columns,
                  const std::vector<SqlValue> &values);

// Runs `head IN (...) tail` (on PostgreSQL `head = ANY($n) tail`) for `keys`, with
// `fixed` as parameters $1..$n before the keys, and hands every row to visit. Rows come
// in no particular order, so a caller that needs an order sorts them itself.
Status queryIn(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
               const std::vector<SqlValue> &keys, const SqlRowVisitor &visit);

// queryIn with one index search per key, in the keys' order, on PostgreSQL: `head =
// keys.key tail` runs for each key as the inner side of a join with the key array. Given
// `head = ANY($n)` and a long list, the planner prefers to read the whole range the
// fixed parameters pin of a composite index (every entity of a type, for sync_entities'
// (entity_type, id)) and to filter it by the list, a cost that grows with the table
// instead of with the keys. A tail of `FOR UPDATE` locks the rows in the keys' order.
// The tail is PostgreSQL's alone; on the embedded store this is queryIn.
Status queryEachKey(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
                    const std::vector<SqlValue> &keys, const SqlRowVisitor &visit);

} // namespace sigess::storage
