// A scoped write transaction. begin() runs BEGIN IMMEDIATE, so the write lock is taken
// up front and a busy store fails at once rather than at the first write. Nothing is
// kept unless commit() succeeds: the destructor rolls back whatever was not committed,
// on every path out of the scope (an early return of an error included).
// Thread safety: as its Database; must not outlive it.
#pragma once

#include "core/result.h"
#include "store/database.h"

namespace sigess::store {

class Transaction {
public:
    static Result<Transaction> begin(Database &database);

    Transaction(Transaction &&other) noexcept;
    Transaction &operator=(Transaction &&) = delete;
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    ~Transaction();

    Status commit();

private:
    explicit Transaction(Database &database);

    Database *m_database = nullptr;  // null once committed, rolled back or moved from
};

} // namespace sigess::store
