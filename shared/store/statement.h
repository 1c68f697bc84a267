// A prepared statement handed out by Database::prepare(). It is usually borrowed from
// the connection's cache: when the Statement is destroyed its bindings are cleared and
// it is reset, ready for the next prepare() of the same SQL. Bind errors (an index out
// of range, out of memory) are remembered and reported by the next step(), so a run of
// binds reads as straight-line code. Parameter and column indexes follow SQLite:
// parameters count from 1, columns from 0.
// Thread safety: as its Database (one thread at a time); must not outlive it.
#pragma once

#include "core/result.h"

#include <cstdint>
#include <functional>
#include <string_view>

struct sqlite3_stmt;

namespace sigess::store {

class Statement {
public:
    enum class Ownership { Cached, Owned };

    // inUse is the cache slot's flag, cleared when this Statement lets the statement go.
    Statement(sqlite3_stmt *statement, Ownership ownership, bool *inUse);
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) = delete;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    ~Statement();

    Statement &bindInt64(int index, std::int64_t value);
    Statement &bindDouble(int index, double value);
    Statement &bindText(int index, std::string_view value);
    Statement &bindBlob(int index, std::string_view bytes);
    // The same without a copy: SQLite reads the caller's bytes, which must stay valid
    // and unchanged until the statement is last stepped with this binding (for bulk
    // writes whose buffers outlive the statement's run).
    Statement &bindTextView(int index, std::string_view value);
    Statement &bindBlobView(int index, std::string_view bytes);
    Statement &bindNull(int index);

    // Advances to the next row: true when a row is available, false when done.
    Result<bool> step();
    // Steps to completion, for statements that return no rows (or whose rows are not
    // wanted), then resets so the statement can be bound and run again.
    Status run();
    // Steps through every row, handing each to `visit`; stops at the first error, a
    // step's or one `visit` returns.
    Status forEachRow(const std::function<Status(const Statement &row)> &visit);
    // Resets to the start, keeping the bindings.
    void reset();

    bool columnIsNull(int column) const;
    std::int64_t columnInt64(int column) const;
    double columnDouble(int column) const;
    // Views into SQLite's memory, valid until the next step() or reset().
    std::string_view columnText(int column) const;
    std::string_view columnBlob(int column) const;

private:
    void noteBind(int rc);
    void release();

    sqlite3_stmt *m_statement = nullptr;
    Ownership m_ownership = Ownership::Owned;
    bool *m_inUse = nullptr;
    int m_bindError = 0;
};

} // namespace sigess::store
