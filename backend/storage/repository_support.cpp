#include "storage/repository_support.h"

#include "storage/parameter_check.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <utility>

namespace sigess::storage {

namespace {

using google::protobuf::FieldDescriptor;

// The first text field that is not UTF-8 or holds a NUL character (which no text
// column of PostgreSQL accepts), searched through nested messages; empty when every
// one is valid.
std::string firstInvalidText(const google::protobuf::Message &message)
{
    const google::protobuf::Reflection *reflection = message.GetReflection();
    std::vector<const FieldDescriptor *> fields;
    reflection->ListFields(message, &fields);
    for (const FieldDescriptor *field : fields) {
        if (field->type() == FieldDescriptor::TYPE_STRING) {
            const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
            for (int i = 0; i < count; ++i) {
                std::string scratch;
                const std::string &text = field->is_repeated()
                                              ? reflection->GetRepeatedStringReference(message, field, i, &scratch)
                                              : reflection->GetStringReference(message, field, &scratch);
                if (!isValidUtf8(text) || text.find('\0') != std::string::npos)
                    return field->full_name();
            }
        } else if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
            const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
            for (int i = 0; i < count; ++i) {
                std::string invalid = firstInvalidText(field->is_repeated()
                                                           ? reflection->GetRepeatedMessage(message, field, i)
                                                           : reflection->GetMessage(message, field));
                if (!invalid.empty())
                    return invalid;
            }
        }
    }
    return {};
}

constexpr char hexDigits[] = "0123456789abcdef";

} // namespace

Error inContext(Error error, std::string_view context)
{
    error.message = std::string(context) + ": " + error.message;
    return error;
}

Status require(bool present, std::string_view what, std::string_view field)
{
    if (present)
        return {};
    return makeError(ErrorCode::Invalid, std::string(what) + " needs " + std::string(field));
}

Result<SqlBytes> serialized(const google::protobuf::Message &message)
{
    const std::string invalid = firstInvalidText(message);
    if (!invalid.empty())
        return makeError(ErrorCode::Invalid, "the text of " + invalid + " is not valid UTF-8 or holds a NUL character");
    SqlBytes bytes;
    if (!message.SerializeToString(&bytes.bytes))
        return makeError(ErrorCode::Internal, "cannot serialize a " + message.GetTypeName());
    return bytes;
}

Status parseStored(std::string_view bytes, google::protobuf::Message &message)
{
    if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        return makeError(ErrorCode::Corrupt, "a stored " + message.GetTypeName() + " does not parse");
    return {};
}

SqlBuilder &SqlBuilder::append(std::string_view text)
{
    m_sql += text;
    return *this;
}

std::string SqlBuilder::bind(SqlValue value)
{
    m_params.push_back(std::move(value));
    return "$" + std::to_string(m_params.size());
}

SqlBuilder &SqlBuilder::andInScope(std::string_view presidioColumn, const Scope &scope)
{
    switch (scope.kind) {
    case Scope::Kind::City:
        break;
    case Scope::Kind::Municipio:
        append(" AND ").append(presidioColumn).append(" IN (SELECT code FROM presidi WHERE municipio = ");
        append(bind(scope.code)).append(")");
        break;
    case Scope::Kind::Presidio:
        append(" AND ").append(presidioColumn).append(" = ").append(bind(scope.code));
        break;
    }
    return *this;
}

Status insertRow(SqlExecutor &sql, std::string_view table, const std::vector<Column> &columns,
                 std::string_view what)
{
    SqlBuilder statement("INSERT INTO ");
    statement.append(table).append(" (");
    std::string values;
    for (const Column &column : columns) {
        const bool first = values.empty();
        statement.append(first ? "" : ", ").append(column.name);
        values += (first ? "" : ", ") + statement.bind(column.value);
    }
    statement.append(") VALUES (").append(values).append(")");
    Result<std::int64_t> inserted = sql.execute(statement.sql(), statement.params());
    if (!inserted.ok())
        return inContext(inserted.takeError(), "cannot create " + std::string(what));
    return {};
}

Status updateRow(SqlExecutor &sql, std::string_view table, const Column &key, const std::vector<Column> &columns,
                 std::string_view what)
{
    SqlBuilder statement("UPDATE ");
    statement.append(table).append(" SET ");
    bool first = true;
    for (const Column &column : columns) {
        statement.append(first ? "" : ", ").append(column.name).append(" = ").append(statement.bind(column.value));
        first = false;
    }
    statement.append(" WHERE ").append(key.name).append(" = ").append(statement.bind(key.value));
    Result<std::int64_t> updated = sql.execute(statement.sql(), statement.params());
    if (!updated.ok())
        return inContext(updated.takeError(), "cannot update " + std::string(what));
    if (*updated == 0)
        return makeError(ErrorCode::NotFound, "cannot update " + std::string(what) + ": there is none");
    return {};
}

Status storeRows(SqlExecutor &sql, std::string_view table, const std::vector<std::vector<Column>> &rows,
                 OnKeyConflict onConflict, std::string_view what)
{
    if (rows.empty())
        return {};
    std::vector<std::string_view> names;
    for (const Column &column : rows.front())
        names.push_back(column.name);
    std::vector<SqlValue> values;
    values.reserve(rows.size() * names.size());
    for (const std::vector<Column> &row : rows) {
        for (const Column &column : row)
            values.push_back(column.value);
    }
    // New rows are appended (COPY on PostgreSQL: no arrays to take apart, a page of rows
    // at a time); a taken key or unique value fails either way.
    Status stored = onConflict == OnKeyConflict::Fail ? appendRows(sql, table, names, values)
                                                      : insertRows(sql, table, names, onConflict, values);
    if (!stored.ok())
        return inContext(stored.takeError(), "cannot store " + std::string(what));
    return {};
}

Status readOne(SqlExecutor &sql, std::string_view statement, const SqlParams &params,
               const std::function<Status(const SqlRow &)> &read, std::string_view notFound)
{
    bool found = false;
    SIGESS_TRY(sql.query(statement, params, [&](const SqlRow &row) {
        found = true;
        return read(row);
    }));
    if (!found)
        return makeError(ErrorCode::NotFound, std::string(notFound));
    return {};
}

std::string encodeCursor(std::initializer_list<std::string_view> parts)
{
    std::string cursor;
    for (const std::string_view part : parts) {
        if (!cursor.empty())
            cursor += '.';
        for (const char c : part) {
            const auto byte = static_cast<unsigned char>(c);
            cursor += hexDigits[byte >> 4];
            cursor += hexDigits[byte & 0x0F];
        }
    }
    return cursor;
}

Result<std::vector<std::string>> decodeCursor(std::string_view cursor, std::size_t parts)
{
    const Error malformed = makeError(ErrorCode::Invalid, "the page cursor is malformed");
    std::vector<std::string> decoded(1);
    for (std::size_t i = 0; i < cursor.size(); ++i) {
        if (cursor[i] == '.') {
            decoded.emplace_back();
            continue;
        }
        if (i + 1 >= cursor.size())
            return malformed;
        const std::string_view digits(hexDigits);
        const std::size_t high = digits.find(cursor[i]);
        const std::size_t low = digits.find(cursor[i + 1]);
        if (high == std::string_view::npos || low == std::string_view::npos)
            return malformed;
        decoded.back() += static_cast<char>(high * 16 + low);
        ++i;
    }
    if (decoded.size() != parts)
        return malformed;
    return decoded;
}

Result<std::string> limitClause(const PageRequest &page)
{
    if (page.limit == 0 || page.limit > PageRequest::maxLimit)
        return makeError(ErrorCode::Invalid, "a page holds 1 to " + std::to_string(PageRequest::maxLimit)
                                                 + " items, not " + std::to_string(page.limit));
    return " LIMIT " + std::to_string(page.limit + 1);
}

} // namespace sigess::storage
