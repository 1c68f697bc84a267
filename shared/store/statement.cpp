#include "store/statement.h"

#include "store/sqlite_error.h"

#include <string>
#include <utility>

namespace sigess::store {

Statement::Statement(sqlite3_stmt *statement, Ownership ownership, bool *inUse)
    : m_statement(statement), m_ownership(ownership), m_inUse(inUse)
{
}

Statement::Statement(Statement &&other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr)),
      m_ownership(other.m_ownership),
      m_inUse(std::exchange(other.m_inUse, nullptr)),
      m_bindError(other.m_bindError)
{
}

Statement::~Statement()
{
    release();
}

void Statement::release()
{
    if (m_statement == nullptr)
        return;
    if (m_ownership == Ownership::Owned) {
        sqlite3_finalize(m_statement);
    } else {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
        *m_inUse = false;
    }
    m_statement = nullptr;
}

void Statement::noteBind(int rc)
{
    if (rc != SQLITE_OK && m_bindError == SQLITE_OK)
        m_bindError = rc;
}

Statement &Statement::bindInt64(int index, std::int64_t value)
{
    noteBind(sqlite3_bind_int64(m_statement, index, value));
    return *this;
}

Statement &Statement::bindDouble(int index, double value)
{
    noteBind(sqlite3_bind_double(m_statement, index, value));
    return *this;
}

namespace {

int bindTextAs(sqlite3_stmt *statement, int index, std::string_view value, sqlite3_destructor_type lifetime)
{
    return sqlite3_bind_text64(statement, index, value.data(), value.size(), lifetime, SQLITE_UTF8);
}

int bindBlobAs(sqlite3_stmt *statement, int index, std::string_view bytes, sqlite3_destructor_type lifetime)
{
    // A null pointer would bind SQL NULL; an empty blob is still a blob.
    static constexpr char empty = 0;
    return sqlite3_bind_blob64(statement, index, bytes.empty() ? &empty : bytes.data(), bytes.size(), lifetime);
}

} // namespace

Statement &Statement::bindText(int index, std::string_view value)
{
    noteBind(bindTextAs(m_statement, index, value, SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bindBlob(int index, std::string_view bytes)
{
    noteBind(bindBlobAs(m_statement, index, bytes, SQLITE_TRANSIENT));
    return *this;
}

Statement &Statement::bindTextView(int index, std::string_view value)
{
    noteBind(bindTextAs(m_statement, index, value, SQLITE_STATIC));
    return *this;
}

Statement &Statement::bindBlobView(int index, std::string_view bytes)
{
    noteBind(bindBlobAs(m_statement, index, bytes, SQLITE_STATIC));
    return *this;
}

Statement &Statement::bindNull(int index)
{
    noteBind(sqlite3_bind_null(m_statement, index));
    return *this;
}

Result<bool> Statement::step()
{
    sqlite3 *handle = sqlite3_db_handle(m_statement);
    if (m_bindError != SQLITE_OK) {
        const int rc = std::exchange(m_bindError, SQLITE_OK);
        return makeError(ErrorCode::Invalid, std::string("cannot bind a parameter of \"")
                                                 + sqlite3_sql(m_statement) + "\": " + sqlite3_errstr(rc));
    }
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error error = sqliteError(handle, rc, std::string("cannot run \"") + sqlite3_sql(m_statement) + '"');
    sqlite3_reset(m_statement);
    return error;
}

Status Statement::forEachRow(const std::function<Status(const Statement &row)> &visit)
{
    for (;;) {
        Result<bool> row = step();
        if (!row.ok())
            return row.takeError();
        if (!*row)
            return {};
        SIGESS_TRY(visit(*this));
    }
}

Status Statement::run()
{
    for (;;) {
        Result<bool> row = step();
        if (!row.ok())
            return row.takeError();
        if (!*row)
            break;
    }
    sqlite3_reset(m_statement);
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_statement);
}

bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::int64_t Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

double Statement::columnDouble(int column) const
{
    return sqlite3_column_double(m_statement, column);
}

std::string_view Statement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    return text == nullptr ? std::string_view{}
                           : std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)));
}

std::string_view Statement::columnBlob(int column) const
{
    const auto *bytes = static_cast<const char *>(sqlite3_column_blob(m_statement, column));
    return bytes == nullptr ? std::string_view{}
                            : std::string_view(bytes, static_cast<std::size_t>(sqlite3_column_bytes(m_statement, column)));
}

} // namespace sigess::store
