#include "storage/bulk_sql.h"

#include <string>

namespace sigess::storage {

namespace {

constexpr std::size_t largestChunk = 64;

std::size_t chunkFor(std::size_t remaining)
{
    std::size_t chunk = largestChunk;
    while (chunk > remaining)
        chunk /= 2;
    return chunk;
}

// "($first, $first+1 ...), (...)" for `rows` rows of `columns` parameters.
std::string rowMarkers(std::size_t rows, std::size_t columns, std::size_t first)
{
    std::string markers;
    std::size_t next = first;
    for (std::size_t row = 0; row < rows; ++row) {
        markers += row == 0 ? "(" : ", (";
        for (std::size_t column = 0; column < columns; ++column) {
            if (column > 0)
                markers += ", ";
            markers += '$' + std::to_string(next++);
        }
        markers += ')';
    }
    return markers;
}

} // namespace

Status executeRows(SqlExecutor &sql, std::string_view head, std::string_view tail, std::size_t columns,
                   const std::vector<SqlValue> &values)
{
    if (columns == 0 || values.size() % columns != 0)
        return makeError(ErrorCode::Internal, "a multi-row statement was given a partial row");
    const std::size_t rows = values.size() / columns;
    for (std::size_t done = 0; done < rows;) {
        const std::size_t chunk = chunkFor(rows - done);
        std::string statement(head);
        statement.append(" VALUES ").append(rowMarkers(chunk, columns, 1)).append(" ").append(tail);
        const auto begin = values.begin() + static_cast<std::ptrdiff_t>(done * columns);
        const SqlParams params(begin, begin + static_cast<std::ptrdiff_t>(chunk * columns));
        Result<std::int64_t> ran = sql.execute(statement, params);
        if (!ran.ok())
            return ran.takeError();
        done += chunk;
    }
    return {};
}

Status queryIn(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
               const std::vector<SqlValue> &keys, const SqlRowVisitor &visit)
{
    for (std::size_t done = 0; done < keys.size();) {
        const std::size_t chunk = chunkFor(keys.size() - done);
        std::string statement(head);
        std::string markers = rowMarkers(1, chunk, fixed.size() + 1);
        statement.append(" IN ").append(markers).append(" ").append(tail);
        SqlParams params = fixed;
        const auto begin = keys.begin() + static_cast<std::ptrdiff_t>(done);
        params.insert(params.end(), begin, begin + static_cast<std::ptrdiff_t>(chunk));
        SIGESS_TRY(sql.query(statement, params, visit));
        done += chunk;
    }
    return {};
}

} // namespace sigess::storage
