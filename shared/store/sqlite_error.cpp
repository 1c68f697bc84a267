#include "store/sqlite_error.h"

#include <string>

namespace sigess::store {

namespace {

ErrorCode codeFor(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_AUTH:
        return ErrorCode::Unauthorized;
    case SQLITE_CORRUPT:
        return ErrorCode::Corrupt;
    case SQLITE_CONSTRAINT:
        return ErrorCode::Conflict;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
        return ErrorCode::Unavailable;
    case SQLITE_FULL:
    case SQLITE_TOOBIG:
        return ErrorCode::TooLarge;
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
    case SQLITE_ERROR:
        return ErrorCode::Invalid;
    default:
        return ErrorCode::Internal;
    }
}

} // namespace

Error sqliteError(sqlite3 *handle, int rc, std::string_view context)
{
    const ErrorCode code = codeFor(rc);
    if (code == ErrorCode::Unauthorized)
        return makeError(code, std::string(context) + ": the key does not open this store");
    // The handle's message describes the last failure on it, which is this one.
    const char *detail = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    return makeError(code, std::string(context) + ": " + detail);
}

} // namespace sigess::store
