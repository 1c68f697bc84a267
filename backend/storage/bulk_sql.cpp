#include "storage/bulk_sql.h"

#include "storage/parameter_check.h"

#include <bit>
#include <cstdint>
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

// The head of an embedded multi-row INSERT, as INSERT OR FAIL. A statement that may fail
// after writing some of its rows makes SQLite keep a statement journal: a copy of every
// page the statement changes, taken before its first change, to undo the statement
// alone. Callers undo a failed executeRows whole anyway, by their transaction or
// savepoint (its rows go in several statements), so FAIL, which leaves the failed
// statement's earlier rows to them, spares a copy of each page every chunk touches.
std::string sqliteHead(std::string_view head)
{
    constexpr std::string_view insert = "INSERT INTO ";
    if (!head.starts_with(insert))
        return std::string(head);
    return "INSERT OR FAIL INTO " + std::string(head.substr(insert.size()));
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

// Element type oids from PostgreSQL's catalog (pg_type.dat); stable across versions.
constexpr std::uint32_t int8Oid = 20;
constexpr std::uint32_t float8Oid = 701;
constexpr std::uint32_t textOid = 25;
constexpr std::uint32_t byteaOid = 17;

void appendBigEndian32(std::string &out, std::uint32_t value)
{
    const char bytes[] = {static_cast<char>(value >> 24), static_cast<char>(value >> 16), static_cast<char>(value >> 8),
                          static_cast<char>(value)};
    out.append(bytes, sizeof bytes);
}

void appendBigEndian64(std::string &out, std::uint64_t value)
{
    appendBigEndian32(out, static_cast<std::uint32_t>(value >> 32));
    appendBigEndian32(out, static_cast<std::uint32_t>(value));
}

void appendElement(std::string &out, std::string_view bytes)
{
    appendBigEndian32(out, static_cast<std::uint32_t>(bytes.size()));
    out.append(bytes);
}

// A text element passes the checks a text parameter passes (parameter_check.h), in the
// same words, so that an array refuses what a single parameter would.
Status checkTextElement(std::string_view text, std::size_t parameter, std::size_t row)
{
    const std::string where = "parameter $" + std::to_string(parameter) + " (row " + std::to_string(row + 1) + ")";
    if (text.find('\0') != std::string_view::npos)
        return makeError(ErrorCode::Invalid, where + " holds a NUL character");
    if (!isValidUtf8(text))
        return makeError(ErrorCode::Invalid, where + " is not valid UTF-8 text");
    return {};
}

// The bytes one value takes as a field of PostgreSQL's binary forms, its length first.
std::size_t binaryFieldSize(const SqlValue &value)
{
    return 4 + (value.kind() == SqlValue::Kind::Text    ? value.text().size()
                : value.kind() == SqlValue::Kind::Bytes ? value.bytes().size()
                : value.isNull()                        ? 0
                                                        : 8);
}

// One value as both array_recv and binary COPY read a field: its length (-1 for NULL),
// then 8 big-endian bytes for int8 and float8, the bytes themselves for text and bytea.
// `parameter` and `row` name a text that fails its checks; an array is no field.
Status appendBinaryField(std::string &out, const SqlValue &value, std::size_t parameter, std::size_t row)
{
    switch (value.kind()) {
    case SqlValue::Kind::Null: appendBigEndian32(out, 0xFFFFFFFFu); break;
    case SqlValue::Kind::Int64:
        appendBigEndian32(out, 8);
        appendBigEndian64(out, static_cast<std::uint64_t>(value.int64()));
        break;
    case SqlValue::Kind::Double:
        appendBigEndian32(out, 8);
        appendBigEndian64(out, std::bit_cast<std::uint64_t>(value.real()));
        break;
    case SqlValue::Kind::Text:
        SIGESS_TRY(checkTextElement(value.text(), parameter, row));
        appendElement(out, value.text());
        break;
    case SqlValue::Kind::Bytes: appendElement(out, value.bytes()); break;
    case SqlValue::Kind::Array:
        return makeError(ErrorCode::Internal, "parameter $" + std::to_string(parameter) + " (row "
                                                  + std::to_string(row + 1) + ") holds an array within rows");
    }
    return {};
}

// One PostgreSQL array parameter, number `parameter` of its statement: every
// `stride`-th value from `first`, in the binary form array_recv reads (one dimension,
// lower bound 1, each element's length then its binary form: 8 big-endian bytes for
// int8 and float8, the bytes themselves for text and bytea). A column with no value but
// NULL is a text[] (it must have some type).
Result<SqlArray> pgArray(const std::vector<SqlValue> &values, std::size_t first, std::size_t stride,
                         std::size_t parameter)
{
    Result<std::optional<SqlValue::Kind>> kind = columnKind(values, first, stride);
    if (!kind.ok())
        return kind.takeError();
    SqlArray array;
    std::uint32_t elementOid = textOid;
    switch (kind->value_or(SqlValue::Kind::Text)) {
    case SqlValue::Kind::Int64: array.element = SqlArray::Element::Int64; elementOid = int8Oid; break;
    case SqlValue::Kind::Double: array.element = SqlArray::Element::Double; elementOid = float8Oid; break;
    case SqlValue::Kind::Bytes: array.element = SqlArray::Element::Bytes; elementOid = byteaOid; break;
    case SqlValue::Kind::Array:
        return makeError(ErrorCode::Internal, "column " + std::to_string(first + 1)
                                                  + " of a multi-row statement holds arrays");
    default: array.element = SqlArray::Element::Text; break;
    }
    std::size_t count = 0;
    std::size_t size = 20;
    bool hasNull = false;
    for (std::size_t i = first; i < values.size(); i += stride, ++count) {
        const SqlValue &value = values[i];
        hasNull = hasNull || value.isNull();
        size += binaryFieldSize(value);
    }
    std::string &out = array.binary;
    out.reserve(size);
    appendBigEndian32(out, 1);  // dimensions
    appendBigEndian32(out, hasNull ? 1 : 0);
    appendBigEndian32(out, elementOid);
    appendBigEndian32(out, static_cast<std::uint32_t>(count));
    appendBigEndian32(out, 1);  // lower bound
    for (std::size_t i = first, row = 0; i < values.size(); i += stride, ++row)
        SIGESS_TRY(appendBinaryField(out, values[i], parameter, row));
    return array;
}

// "$n::int8[]" (or text[] ...) for the array of every `stride`-th value from `first`,
// the array appended to params. The cast names the type the array is sent as.
Result<std::string> pgArrayParameter(const std::vector<SqlValue> &values, std::size_t first, std::size_t stride,
                                     SqlParams &params)
{
    Result<SqlArray> array = pgArray(values, first, stride, params.size() + 1);
    if (!array.ok())
        return array.takeError();
    const std::string_view type = array->element == SqlArray::Element::Int64    ? "int8[]"
                                  : array->element == SqlArray::Element::Double ? "float8[]"
                                  : array->element == SqlArray::Element::Bytes  ? "bytea[]"
                                                                                : "text[]";
    params.emplace_back(std::move(array).value());
    return "$" + std::to_string(params.size()) + "::" + std::string(type);
}

// The rows of executeRows on PostgreSQL: "SELECT unnest($1::int8[]), NULL,
// unnest($2::text[]) ...", one array per column with a value, a plain NULL for a column
// with none (PostgreSQL assigns it to a column of any type, a text array's NULLs it
// refuses for a bigint column). Set-returning functions in the select list step
// through the arrays together, a row at a time, each element read where it lies;
// unnest in FROM would first copy every row into a tuplestore (9 % of PostgreSQL's CPU
// in sync_bench's ingest). Rows that are NULL in every column are counted out by
// generate_series instead.
Result<std::string> pgRows(const std::vector<SqlValue> &values, std::size_t columns, SqlParams &params)
{
    std::string selected = "SELECT ";
    bool anyArray = false;
    for (std::size_t column = 0; column < columns; ++column) {
        Result<std::optional<SqlValue::Kind>> kind = columnKind(values, column, columns);
        if (!kind.ok())
            return kind.takeError();
        selected += column > 0 ? ", " : "";
        if (!kind->has_value()) {
            selected += "NULL";
            continue;
        }
        Result<std::string> array = pgArrayParameter(values, column, columns, params);
        if (!array.ok())
            return array.takeError();
        selected.append("unnest(").append(*array).append(")");
        anyArray = true;
    }
    if (!anyArray) {
        params.emplace_back(static_cast<std::int64_t>(values.size() / columns));
        selected.append(" FROM generate_series(1, $").append(std::to_string(params.size())).append(")");
    }
    return selected;
}

} // namespace

Result<std::int64_t> executeRows(SqlExecutor &sql, std::string_view head, std::string_view tail, std::size_t columns,
                                 const std::vector<SqlValue> &values)
{
    if (columns == 0 || values.size() % columns != 0)
        return makeError(ErrorCode::Internal, "a multi-row statement was given a partial row");
    if (values.empty())
        return 0;
    if (sql.dialect() == Dialect::Postgres) {
        SqlParams params;
        Result<std::string> rows = pgRows(values, columns, params);
        if (!rows.ok())
            return rows.takeError();
        std::string statement(head);
        statement.append(" ").append(*rows).append(" ").append(tail);
        return sql.executeColumns(statement, params);
    }
    SIGESS_TRY(checkColumnKinds(values, columns));
    const std::string sqlite = sqliteHead(head);
    const std::size_t rows = values.size() / columns;
    std::int64_t changed = 0;
    for (std::size_t done = 0; done < rows;) {
        const std::size_t chunk = chunkFor(rows - done);
        std::string statement(sqlite);
        statement.append(" VALUES ").append(rowMarkers(chunk, columns, 1)).append(" ").append(tail);
        Result<std::int64_t> ran
            = sql.executeSlice(statement, std::span<const SqlValue>(values).subspan(done * columns, chunk * columns));
        if (!ran.ok())
            return ran.takeError();
        changed += *ran;
        done += chunk;
    }
    return changed;
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
    Result<std::int64_t> inserted = executeRows(sql, head, tail, columns.size(), values);
    if (!inserted.ok())
        return inserted.takeError();
    return {};
}

Status appendRows(SqlExecutor &sql, std::string_view table, std::span<const std::string_view> columns,
                  const std::vector<SqlValue> &values)
{
    if (sql.dialect() != Dialect::Postgres)
        return insertRows(sql, table, columns, OnKeyConflict::Fail, values);
    if (columns.empty() || values.size() % columns.size() != 0)
        return makeError(ErrorCode::Internal, "rows appended to " + std::string(table) + " are partial");
    if (values.empty())
        return {};
    SIGESS_TRY(checkColumnKinds(values, columns.size()));
    std::string statement = "COPY " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i)
        statement.append(i > 0 ? ", " : "").append(columns[i]);
    statement += ") FROM STDIN (FORMAT binary)";
    // COPY's binary form: a signature, no flags, no header extension; per row its field
    // count, then each field's length (-1 for NULL) and its bytes as the column's type
    // receives them (8 big-endian bytes for a number); a field count of -1 ends it.
    std::size_t size = 21;
    for (const SqlValue &value : values)
        size += binaryFieldSize(value);
    std::string data("PGCOPY\n\xff\r\n\0", 11);
    data.reserve(size + values.size() / columns.size() * 2);
    appendBigEndian32(data, 0);
    appendBigEndian32(data, 0);
    const auto fields = static_cast<std::uint16_t>(columns.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::size_t column = i % columns.size();
        if (column == 0) {
            data += static_cast<char>(fields >> 8);
            data += static_cast<char>(fields & 0xff);
        }
        SIGESS_TRY(appendBinaryField(data, values[i], column + 1, i / columns.size()));
    }
    data += "\xff\xff";
    Result<std::int64_t> copied = sql.copyRows(statement, data);
    if (!copied.ok())
        return copied.takeError();
    return {};
}

Status queryIn(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
               const std::vector<SqlValue> &keys, const SqlRowVisitor &visit)
{
    if (keys.empty())
        return {};
    if (sql.dialect() == Dialect::Postgres) {
        SqlParams params = fixed;
        Result<std::string> array = pgArrayParameter(keys, 0, 1, params);
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

Status queryEachKey(SqlExecutor &sql, std::string_view head, std::string_view tail, const SqlParams &fixed,
                    const std::vector<SqlValue> &keys, const SqlRowVisitor &visit)
{
    if (sql.dialect() != Dialect::Postgres)
        return queryIn(sql, head, "", fixed, keys, visit);
    if (keys.empty())
        return {};
    SqlParams params = fixed;
    Result<std::string> array = pgArrayParameter(keys, 0, 1, params);
    if (!array.ok())
        return array.takeError();
    std::string statement = "SELECT found.* FROM unnest(" + *array + ") AS keys(key) CROSS JOIN LATERAL (";
    statement.append(head).append(" = keys.key ").append(tail).append(") AS found");
    return sql.query(statement, params, visit);
}

} // namespace sigess::storage
