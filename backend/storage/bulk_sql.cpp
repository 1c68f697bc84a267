#include "storage/bulk_sql.h"

#include "core/text_codec.h"

#include <charconv>
#include <optional>
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

// One PostgreSQL array parameter: every `stride`-th value from `first`, as the text
// form of an array ("{1,NULL,3}", "{\"a\",\"b\"}") and its array type. Text form, not
// binary: SqlValue has no array kind, and a text parameter cast in the statement
// ($1::text[]) needs nothing of the driver. Arrays of a column with no value but NULL
// are text[]: PostgreSQL assigns a text NULL to a column of any type.
struct PgArray {
    std::string literal;
    std::string_view type;
};

void appendQuoted(std::string &out, std::string_view text)
{
    out += '"';
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '"';
}

// The one kind of the non-NULL values of a column (every `stride`-th value from
// `first`); none when every value is NULL.
Result<std::optional<SqlValue::Kind>> columnKind(const std::vector<SqlValue> &values, std::size_t first,
                                                 std::size_t stride)
{
    std::optional<SqlValue::Kind> kind;
    for (std::size_t i = first; i < values.size(); i += stride) {
        if (values[i].isNull())
            continue;
        if (kind && *kind != values[i].kind())
            return makeError(ErrorCode::Internal, "column " + std::to_string(first + 1)
                                                      + " of a multi-row statement holds values of two kinds");
        kind = values[i].kind();
    }
    return kind;
}

Status checkColumnKinds(const std::vector<SqlValue> &values, std::size_t columns)
{
    for (std::size_t column = 0; column < columns; ++column) {
        Result<std::optional<SqlValue::Kind>> kind = columnKind(values, column, columns);
        if (!kind.ok())
            return kind.takeError();
    }
    return {};
}

Result<PgArray> pgArray(const std::vector<SqlValue> &values, std::size_t first, std::size_t stride)
{
    Result<std::optional<SqlValue::Kind>> kind = columnKind(values, first, stride);
    if (!kind.ok())
        return kind.takeError();
    PgArray array;
    switch (kind->value_or(SqlValue::Kind::Text)) {
    case SqlValue::Kind::Int64: array.type = "int8[]"; break;
    case SqlValue::Kind::Double: array.type = "float8[]"; break;
    case SqlValue::Kind::Bytes: array.type = "bytea[]"; break;
    default: array.type = "text[]"; break;
    }
    std::string &out = array.literal;
    out += '{';
    for (std::size_t i = first; i < values.size(); i += stride) {
        if (i != first)
            out += ',';
        const SqlValue &value = values[i];
        switch (value.kind()) {
        case SqlValue::Kind::Null: out += "NULL"; break;
        case SqlValue::Kind::Int64: out += std::to_string(value.int64()); break;
        case SqlValue::Kind::Double: {
            char buffer[32];
            out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, value.real()).ptr);
            break;
        }
        case SqlValue::Kind::Text: appendQuoted(out, value.text()); break;
        case SqlValue::Kind::Bytes:
            // bytea's hex input form, its backslash escaped for the array's quoting.
            out += "\"\\\\x";
            for (const char c : value.bytes()) {
                const auto byte = static_cast<unsigned char>(c);
                out += core::hexDigit(byte >> 4);
                out += core::hexDigit(byte & 0x0F);
            }
            out += '"';
            break;
        }
    }
    out += '}';
    return array;
}

// "$first::int8[], $first+1::text[] ..." for `columns` arrays of the rows in `values`,
// their literals appended to params.
Result<std::string> pgArrays(const std::vector<SqlValue> &values, std::size_t columns, SqlParams &params)
{
    std::string markers;
    for (std::size_t column = 0; column < columns; ++column) {
        Result<PgArray> array = pgArray(values, column, columns);
        if (!array.ok())
            return array.takeError();
        params.emplace_back(std::move(array->literal));
        if (column > 0)
            markers += ", ";
        markers.append("$").append(std::to_string(params.size())).append("::").append(array->type);
    }
    return markers;
}

} // namespace

Status executeRows(SqlExecutor &sql, std::string_view head, std::string_view tail, std::size_t columns,
                   const std::vector<SqlValue> &values)
{
    if (columns == 0 || values.size() % columns != 0)
        return makeError(ErrorCode::Internal, "a multi-row statement was given a partial row");
    if (values.empty())
        return {};
    if (sql.dialect() == Dialect::Postgres) {
        SqlParams params;
        Result<std::string> arrays = pgArrays(values, columns, params);
        if (!arrays.ok())
            return arrays.takeError();
        std::string statement(head);
        statement.append(" SELECT * FROM unnest(").append(*arrays).append(") ").append(tail);
        Result<std::int64_t> ran = sql.execute(statement, params);
        if (!ran.ok())
            return ran.takeError();
        return {};
    }
    SIGESS_TRY(checkColumnKinds(values, columns));
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

Status insertRows(SqlExecutor &sql, std::string_view table, std::span<const std::string_view> columns,
                  OnKeyConflict onConflict, const std::vector<SqlValue> &values)
{
    if (columns.empty())
        return makeError(ErrorCode::Internal, "a multi-row insert into " + std::string(table) + " names no column");
    std::string head = "INSERT INTO " + std::string(table) + " (";
    std::string tail;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        head.append(i > 0 ? ", " : "").append(columns[i]);
        if (i == 0 || onConflict == OnKeyConflict::Fail)
            continue;
        tail.append(i > 1 ? ", " : "").append(columns[i]).append(" = excluded.").append(columns[i]);
    }
    head += ')';
    if (onConflict == OnKeyConflict::Replace)
        tail = "ON CONFLICT (" + std::string(columns.front()) + ") DO UPDATE SET " + tail;
    return executeRows(sql, head, tail, columns.size(), values);
}

Status queryIn(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
               const std::vector<SqlValue> &keys, const SqlRowVisitor &visit)
{
    if (keys.empty())
        return {};
    if (sql.dialect() == Dialect::Postgres) {
        SqlParams params = fixed;
        Result<std::string> array = pgArrays(keys, 1, params);
        if (!array.ok())
            return array.takeError();
        std::string statement(head);
        statement.append(" = ANY(").append(*array).append(") ").append(tail);
        return sql.query(statement, params, visit);
    }
    SIGESS_TRY(checkColumnKinds(keys, 1));
    for (std::size_t done = 0; done < keys.size();) {
        const std::size_t chunk = chunkFor(keys.size() - done);
        std::string statement(head);
        statement.append(" IN ").append(rowMarkers(1, chunk, fixed.size() + 1)).append(" ").append(tail);
        SqlParams params = fixed;
        const auto begin = keys.begin() + static_cast<std::ptrdiff_t>(done);
        params.insert(params.end(), begin, begin + static_cast<std::ptrdiff_t>(chunk));
        SIGESS_TRY(sql.query(statement, params, visit));
        done += chunk;
    }
    return {};
}

} // namespace sigess::storage
