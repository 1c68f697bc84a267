// Internal to the repositories: the pieces every one of them uses, so each repository
// reads as its own SQL and nothing else. Not for use outside storage/.
// Thread safety: free functions and value types, no shared state.
#pragma once

#include "core/result.h"
#include "storage/bulk_sql.h"
#include "storage/page.h"
#include "storage/scope.h"
#include "storage/sql.h"

#include <google/protobuf/message.h>

#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sigess::storage {

// Prefixes an error's message with what was being done, keeping its code.
Error inContext(Error error, std::string_view context);

// Invalid when a required field is empty: "<what> needs <field>".
Status require(bool present, std::string_view what, std::string_view field);

// A message's wire form, refusing with ErrorCode::Invalid text fields that are not
// UTF-8 (Protobuf would serialize them and then refuse to parse them back) or that hold
// a NUL character (refused by PostgreSQL's text columns, so by both stores).
Result<SqlBytes> serialized(const google::protobuf::Message &message);
// Parses a stored message; Corrupt when the bytes do not parse.
Status parseStored(std::string_view bytes, google::protobuf::Message &message);

// A statement assembled piece by piece, with its parameters numbered as they come.
class SqlBuilder {
public:
    explicit SqlBuilder(std::string_view start) : m_sql(start) {}

    SqlBuilder &append(std::string_view text);
    // Adds a parameter and returns its parameter marker ("$3").
    std::string bind(SqlValue value);
    // Appends " AND <column> = $n" or the presidio set of a municipio; nothing for City.
    SqlBuilder &andInScope(std::string_view presidioColumn, const Scope &scope);

    const std::string &sql() const { return m_sql; }
    const SqlParams &params() const { return m_params; }

private:
    std::string m_sql;
    SqlParams m_params;
};

struct Column {
    std::string_view name;
    SqlValue value;
};

// INSERT of one row. Errors keep their code (Conflict for a taken key) and say what
// could not be created.
Status insertRow(SqlExecutor &sql, std::string_view table, const std::vector<Column> &columns,
                 std::string_view what);
// UPDATE of the row whose keyColumn equals key; NotFound when there is none.
Status updateRow(SqlExecutor &sql, std::string_view table, const Column &key,
                 const std::vector<Column> &columns, std::string_view what);

// INSERT of many rows in a few statements (storage/bulk_sql.h), each row as insertRow's
// columns: the same names in the same order in every row, the key first (the column
// that OnKeyConflict::Replace matches on). With OnKeyConflict::Fail the rows are
// appended (appendRows), so each value must be of its column's own type. Errors keep
// their code and say what could not be stored.
Status storeRows(SqlExecutor &sql, std::string_view table, const std::vector<std::vector<Column>> &rows,
                 OnKeyConflict onConflict, std::string_view what);

// storeRows of entity records keyed by meta.id: columnsOf gives a record's other
// columns, or the error that refuses the record (and the whole call).
template <typename Record, typename ColumnsOf>
Status storeRecords(SqlExecutor &sql, std::string_view table, std::span<const Record *const> records,
                    OnKeyConflict onConflict, const ColumnsOf &columnsOf, std::string_view what)
{
    std::vector<std::vector<Column>> rows;
    rows.reserve(records.size());
    for (const Record *record : records) {
        Result<std::vector<Column>> columns = columnsOf(*record);
        if (!columns.ok())
            return columns.takeError();
        columns->insert(columns->begin(), Column{"id", record->meta().id()});
        rows.push_back(std::move(columns).value());
    }
    return storeRows(sql, table, rows, onConflict, what);
}

// Runs a query expected to return at most one row and hands it to read; NotFound
// (with notFound as the message) when there is no row.
Status readOne(SqlExecutor &sql, std::string_view statement, const SqlParams &params,
               const std::function<Status(const SqlRow &)> &read, std::string_view notFound);

// Reads the message stored in column 0 of the only row; NotFound as for readOne.
template <typename Message>
Result<Message> readMessage(SqlExecutor &sql, std::string_view statement, const SqlParams &params,
                            std::string_view notFound)
{
    Message message;
    Status read = readOne(sql, statement, params,
                          [&](const SqlRow &row) { return parseStored(row.bytes(0), message); }, notFound);
    if (!read.ok())
        return read.takeError();
    return message;
}

// Opaque cursors: the sort key parts of the last item of a page.
std::string encodeCursor(std::initializer_list<std::string_view> parts);
// Invalid unless cursor was made by encodeCursor with `parts` parts.
Result<std::vector<std::string>> decodeCursor(std::string_view cursor, std::size_t parts);

// Checks page.limit and returns the clause fetching one row more than the page, which
// tells whether another page follows.
Result<std::string> limitClause(const PageRequest &page);

// Runs a page query built with limitClause: readItem turns each row into an item and
// cursorOf gives the cursor of the row that ends a full page.
template <typename Item>
Result<Page<Item>> readPage(SqlExecutor &sql, const SqlBuilder &query, const PageRequest &page,
                            const std::function<Status(const SqlRow &, Item &)> &readItem,
                            const std::function<std::string(const SqlRow &)> &cursorOf)
{
    Page<Item> result;
    std::string lastCursor;
    Status read = sql.query(query.sql(), query.params(), [&](const SqlRow &row) -> Status {
        if (result.items.size() == page.limit) {
            result.nextCursor = lastCursor;
            return {};
        }
        Item item;
        SIGESS_TRY(readItem(row, item));
        result.items.push_back(std::move(item));
        if (result.items.size() == page.limit)
            lastCursor = cursorOf(row);
        return {};
    });
    if (!read.ok())
        return read.takeError();
    return result;
}

// A page of a list ordered by one unique text column: query selects the stored message
// and that column ("SELECT data, id FROM ... WHERE ..."); this adds the cursor's
// condition, the order and the limit.
template <typename Message>
Result<Page<Message>> readMessagePage(SqlExecutor &sql, SqlBuilder query, std::string_view keyColumn,
                                      const PageRequest &page)
{
    Result<std::string> limit = limitClause(page);
    if (!limit.ok())
        return limit.takeError();
    if (!page.cursor.empty()) {
        Result<std::vector<std::string>> after = decodeCursor(page.cursor, 1);
        if (!after.ok())
            return after.takeError();
        query.append(" AND ").append(keyColumn).append(" > ").append(query.bind(std::move(after->front())));
    }
    query.append(" ORDER BY ").append(keyColumn).append(*limit);
    return readPage<Message>(
        sql, query, page, [](const SqlRow &row, Message &item) { return parseStored(row.bytes(0), item); },
        [](const SqlRow &row) { return encodeCursor({row.text(1)}); });
}

} // namespace sigess::storage
