// The backend's one door to SQL, whichever store is behind it: the embedded SQLCipher
// file (storage/embedded_database.h) or a PostgreSQL server (storage/postgres_database.h).
//
// Statements use PostgreSQL's positional placeholders ($1, $2...) in both dialects;
// the embedded driver maps them to SQLite's ?1, ?2. Parameters are bound, never
// spliced into the text, so any value stays data. Text parameters must be valid
// UTF-8 with no NUL character: both drivers refuse anything else with
// ErrorCode::Invalid before running the statement (PostgreSQL would refuse it too;
// SQLite would store it silently).
//
// Errors: a violated constraint (unique, primary key, not null, check) is
// ErrorCode::Conflict; a store that cannot be reached, a broken connection, a busy lock
// that outlasted the timeout or a transaction that lost a serialization race is
// ErrorCode::Unavailable; a wrong key for the embedded store is ErrorCode::Unauthorized;
// a malformed statement or a value the column type refuses is ErrorCode::Invalid;
// anything else is ErrorCode::Internal. Messages carry the store's own words.
//
// Rows are handed to a visitor while the statement runs, so nothing is copied that the
// caller does not read. The caller knows the columns it asked for and reads each one
// with the matching typed accessor; reading a column as the wrong type is a programming
// error. The visitor returns a Status: an error stops the scan and becomes the result.
//
// Thread safety: a SqlDatabase is safe to use from any number of threads at once: each
// call borrows a connection from the driver's pool for its own duration. The
// SqlExecutor handed to a transaction's function is bound to that one connection and
// that one thread, and is valid only while the function runs. A visitor must not use
// the SqlDatabase it came from (it would wait for a second connection while holding
// the first); inside a transaction it may use the transaction's executor.
#pragma once

#include "core/result.h"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sigess::storage {

enum class Dialect {
    Sqlite,
    Postgres,
};

// Raw bytes (a serialized Protobuf message, a hash): BLOB in SQLite, BYTEA in PostgreSQL.
struct SqlBytes {
    std::string bytes;
};

// A whole column of values as one parameter, in PostgreSQL's binary array form, as
// storage/bulk_sql.h builds it: PostgreSQL reads it without parsing a text literal, and
// the values need no quoting or hex escapes. Only the PostgreSQL driver takes one (SQLite
// has no arrays); the embedded driver refuses it as a programming error.
struct SqlArray {
    enum class Element { Int64, Double, Text, Bytes };
    Element element = Element::Text;
    std::string binary;  // array_send's form: header, then each element's length and bytes
};

// One statement parameter.
class SqlValue {
public:
    enum class Kind { Null, Int64, Double, Text, Bytes, Array };

    SqlValue() = default;  // NULL
    SqlValue(std::nullptr_t) {}
    SqlValue(std::int64_t value) : m_value(value) {}
    SqlValue(int value) : m_value(std::int64_t { value }) {}
    SqlValue(bool value) : m_value(std::int64_t { value ? 1 : 0 }) {}
    SqlValue(double value) : m_value(value) {}
    SqlValue(std::string value) : m_value(std::move(value)) {}
    SqlValue(std::string_view value) : m_value(std::string(value)) {}
    SqlValue(const char *value) : m_value(std::string(value)) {}
    SqlValue(SqlBytes value) : m_value(std::move(value)) {}
    SqlValue(SqlArray value) : m_value(std::move(value)) {}

    Kind kind() const { return static_cast<Kind>(m_value.index()); }
    bool isNull() const { return kind() == Kind::Null; }
    std::int64_t int64() const { return std::get<std::int64_t>(m_value); }
    double real() const { return std::get<double>(m_value); }
    const std::string &text() const { return std::get<std::string>(m_value); }
    const std::string &bytes() const { return std::get<SqlBytes>(m_value).bytes; }
    const SqlArray &array() const { return std::get<SqlArray>(m_value); }

private:
    std::variant<std::monostate, std::int64_t, double, std::string, SqlBytes, SqlArray> m_value;
};

using SqlParams = std::vector<SqlValue>;

// The current row of a running query. Columns count from 0. Valid only inside the
// visitor call that received it; text() views die with it.
class SqlRow {
public:
    virtual ~SqlRow() = default;

    virtual bool isNull(int column) const = 0;
    virtual std::int64_t int64(int column) const = 0;
    virtual double real(int column) const = 0;
    virtual std::string_view text(int column) const = 0;
    virtual std::string bytes(int column) const = 0;
};

using SqlRowVisitor = std::function<Status(const SqlRow &row)>;

class SqlExecutor;
using TransactionBody = std::function<Status(SqlExecutor &transaction)>;

// What both a whole database and one transaction's connection can do.
class SqlExecutor {
public:
    virtual ~SqlExecutor() = default;

    virtual Dialect dialect() const = 0;
    // Runs a statement that returns no rows; returns how many rows it changed.
    virtual Result<std::int64_t> execute(std::string_view sql, const SqlParams &params) = 0;
    // The same for a statement that writes rows given as whole columns (storage/
    // bulk_sql.h), whose plan no table's size or parameter value changes. The PostgreSQL
    // driver plans it once per connection instead of for each run's values.
    virtual Result<std::int64_t> executeColumns(std::string_view sql, const SqlParams &params)
    {
        return execute(sql, params);
    }
    // The same as execute, for parameters that are a slice of a larger vector (a chunk of
    // a multi-row statement's rows: storage/bulk_sql.h). The embedded driver binds them
    // where they lie instead of copying every row's text and bytes into a vector first.
    virtual Result<std::int64_t> executeSlice(std::string_view sql, std::span<const SqlValue> params)
    {
        return execute(sql, SqlParams(params.begin(), params.end()));
    }
    // Runs `COPY table (columns) FROM STDIN (FORMAT binary)` with `data`, rows in COPY's
    // binary form (storage/bulk_sql.h builds them); returns the rows copied. PostgreSQL
    // only: SQLite has no COPY, and the embedded driver refuses it as a programming error.
    virtual Result<std::int64_t> copyRows(std::string_view copyStatement, std::string_view data)
    {
        static_cast<void>(data);
        return makeError(ErrorCode::Internal, "this store has no COPY: " + std::string(copyStatement));
    }
    // Runs a statement and hands each row to visit, in order.
    virtual Status query(std::string_view sql, const SqlParams &params,
                         const SqlRowVisitor &visit) = 0;

    // On a SqlDatabase: runs body on one connection between BEGIN and COMMIT. If body
    // returns an error, or COMMIT fails, everything it wrote is rolled back and the
    // error is returned. A transaction that fails only because a concurrent one won a
    // race (a PostgreSQL serialization failure or deadlock) or because its connection
    // was found broken before any of its statements ran, is rolled back and body is
    // run again from the start, a few times, before ErrorCode::Unavailable is
    // returned. So body must have no effects outside the transaction that a rerun
    // would repeat wrongly. body must run its statements on the executor it is given,
    // never on the SqlDatabase itself (on the embedded store that would wait forever
    // for the writer connection the transaction holds). Writers are serialized on the
    // embedded store; PostgreSQL runs at READ COMMITTED.
    // On a transaction's executor: runs body inside a savepoint of the enclosing
    // transaction, rolled back to on error, with no retry of its own. So a repository
    // that needs several statements to be atomic calls transaction() on whatever
    // executor it was given, and composes into a caller's larger transaction.
    virtual Status transaction(const TransactionBody &body) = 0;
};

// The whole store, with its connection pool.
class SqlDatabase : public SqlExecutor {
};

} // namespace sigess::storage
