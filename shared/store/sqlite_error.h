// Internal to sigess_store: turns an SQLite result code into a SIgeSS Error. Included
// only by the store's own .cpp files, so SQLCipher's header stays private.
#pragma once

#include "core/result.h"

#include <sqlcipher/sqlite3.h>

#include <string_view>

namespace sigess::store {

// context says what was being done ("cannot open /x/store.db"); the SQLite message
// follows it. SQLITE_NOTADB is reported as a wrong key, which is what it means once a
// key has been given.
Error sqliteError(sqlite3 *handle, int rc, std::string_view context);

} // namespace sigess::store
