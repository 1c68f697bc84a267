#include "store/transaction.h"

#include <utility>

namespace sigess::store {

namespace {

Status runCached(Database &database, std::string_view sql)
{
    Result<Statement> statement = database.prepare(sql);
    if (!statement.ok())
        return statement.takeError();
    return statement->run();
}

} // namespace

Transaction::Transaction(Database &database) : m_database(&database) {}

Transaction::Transaction(Transaction &&other) noexcept : m_database(std::exchange(other.m_database, nullptr)) {}

Result<Transaction> Transaction::begin(Database &database)
{
    SIGESS_TRY(runCached(database, "BEGIN IMMEDIATE"));
    return Transaction(database);
}

Status Transaction::commit()
{
    if (m_database == nullptr)
        return makeError(ErrorCode::Invalid, "the transaction is already over");
    Status committed = runCached(*m_database, "COMMIT");
    // A failed COMMIT may leave the transaction open (SQLITE_BUSY); the destructor's
    // rollback then ends it, so the caller never inherits a half-open transaction.
    if (committed.ok())
        m_database = nullptr;
    return committed;
}

Transaction::~Transaction()
{
    if (m_database != nullptr) {
        // A rollback can only fail if the transaction is already gone (SQLite rolled it
        // back itself after an I/O error or a full disk), which is the state wanted.
        static_cast<void>(runCached(*m_database, "ROLLBACK"));
    }
}

} // namespace sigess::store
