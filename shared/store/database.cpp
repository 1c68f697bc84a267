#include "store/database.h"

#include "store/sqlite_error.h"

#include <sodium.h>

#include <filesystem>
#include <string>
#include <utility>

namespace sigess::store {

struct Database::CachedStatement {
    sqlite3_stmt *statement = nullptr;
    bool inUse = false;
};

namespace {

bool isKnownHmacAlgorithm(std::string_view name)
{
    return name == "HMAC_SHA1" || name == "HMAC_SHA256" || name == "HMAC_SHA512";
}

// Hands the key to SQLCipher as its raw-key literal, wiping our copy of the literal.
int applyKey(sqlite3 *handle, const RawKey &key,
             int (*apply)(sqlite3 *, const char *, const void *, int))
{
    std::string literal = key.sqlcipherLiteral();
    const int rc = apply(handle, "main", literal.data(), static_cast<int>(literal.size()));
    sodium_memzero(literal.data(), literal.size());
    return rc;
}

} // namespace

Database::Database(sqlite3 *handle, std::string path) : m_handle(handle), m_path(std::move(path)) {}

Database::Database(Database &&other) noexcept
    : m_handle(std::exchange(other.m_handle, nullptr)),
      m_path(std::move(other.m_path)),
      m_statements(std::move(other.m_statements))
{
}

Database &Database::operator=(Database &&other) noexcept
{
    if (this != &other) {
        close();
        m_handle = std::exchange(other.m_handle, nullptr);
        m_path = std::move(other.m_path);
        m_statements = std::move(other.m_statements);
    }
    return *this;
}

Database::~Database()
{
    close();
}

void Database::close()
{
    for (auto &entry : m_statements)
        sqlite3_finalize(entry.second->statement);
    m_statements.clear();
    if (m_handle != nullptr)
        sqlite3_close_v2(m_handle);
    m_handle = nullptr;
}

Result<Database> Database::open(const std::string &path, const RawKey &key, OpenMode mode,
                                const StoreSettings &settings)
{
    return openConnection(path, &key, mode, settings);
}

Result<Database> Database::openUnencrypted(const std::string &path, OpenMode mode,
                                           const StoreSettings &settings)
{
    return openConnection(path, nullptr, mode, settings);
}

Result<Database> Database::openConnection(const std::string &path, const RawKey *key, OpenMode mode,
                                          const StoreSettings &settings)
{
    if (!isKnownHmacAlgorithm(settings.hmacAlgorithm))
        return makeError(ErrorCode::Invalid, "unknown SQLCipher HMAC algorithm '" + settings.hmacAlgorithm + "'");
    std::error_code ignored;
    if (mode == OpenMode::OpenExisting && !std::filesystem::exists(path, ignored))
        return makeError(ErrorCode::NotFound, "no store at " + path);

    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    if (mode == OpenMode::CreateIfMissing)
        flags |= SQLITE_OPEN_CREATE;
    sqlite3 *handle = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
    Database database(handle, path);
    if (rc != SQLITE_OK)
        return sqliteError(handle, rc, "cannot open " + path);
    // SQLCipher logs a failed HMAC check to stderr; every failure already comes back
    // to the caller as an Error, and a wrong key is an expected event, not noise.
    sqlite3_exec(handle, "PRAGMA cipher_log_level = NONE", nullptr, nullptr, nullptr);
    if (key != nullptr) {
        const int keyRc = applyKey(handle, *key, sqlite3_key_v2);
        if (keyRc != SQLITE_OK)
            return sqliteError(handle, keyRc, "cannot set the key of " + path);
    }
    SIGESS_TRY(database.configure(key != nullptr ? Encryption::Keyed : Encryption::Unencrypted, settings));
    return database;
}

Status Database::configure(Encryption encryption, const StoreSettings &settings)
{
    const std::string context = "cannot open " + m_path;
    if (encryption == Encryption::Keyed) {
        SIGESS_TRY(exec("PRAGMA cipher_page_size = " + std::to_string(settings.cipherPageSize)
                        + "; PRAGMA cipher_hmac_algorithm = " + settings.hmacAlgorithm + ";"));
    } else {
        SIGESS_TRY(exec("PRAGMA page_size = " + std::to_string(settings.cipherPageSize) + ";"));
    }
    // The first read decrypts page 1, so a wrong key fails here, before anything is
    // written to the file.
    const int rc = sqlite3_exec(m_handle, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return sqliteError(m_handle, rc, context);

    SIGESS_TRY(exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY;"
                    " PRAGMA foreign_keys = ON; PRAGMA cache_size = -"
                    + std::to_string(settings.cacheKiB) + ";"));

    struct Expected {
        std::string_view pragma;
        std::string_view value;
    };
    static constexpr Expected expected[] = {
        {"PRAGMA journal_mode", "wal"},
        {"PRAGMA synchronous", "1"},
        {"PRAGMA temp_store", "2"},
        {"PRAGMA foreign_keys", "1"},
    };
    for (const Expected &each : expected) {
        Result<std::string> actual = queryLines(each.pragma);
        if (!actual.ok())
            return actual.takeError();
        if (*actual != each.value)
            return makeError(ErrorCode::Internal, context + ": " + std::string(each.pragma) + " is '" + *actual
                                                      + "' after setting it to '" + std::string(each.value) + "'");
    }
    if (encryption == Encryption::Keyed)
        return verifyCipherSettings(settings);
    return {};
}

Status Database::verifyCipherSettings(const StoreSettings &settings)
{
    const std::string context = "cannot open " + m_path;
    Result<std::string> version = queryLines("PRAGMA cipher_version");
    if (!version.ok())
        return version.takeError();
    if (version->empty())
        return makeError(ErrorCode::Internal, context + ": the SQLite library is not SQLCipher (no cipher_version)");
    Result<std::string> actual = queryLines("PRAGMA cipher_settings");
    if (!actual.ok())
        return actual.takeError();
    const std::string wanted[] = {
        "PRAGMA cipher_page_size = " + std::to_string(settings.cipherPageSize) + ";",
        "PRAGMA cipher_hmac_algorithm = " + settings.hmacAlgorithm + ";",
        "PRAGMA cipher_use_hmac = 1;",
        "PRAGMA cipher_plaintext_header_size = 0;",
    };
    for (const std::string &line : wanted) {
        if (actual->find(line) == std::string::npos)
            return makeError(ErrorCode::Internal, context + ": SQLCipher did not take the setting \"" + line
                                                      + "\"; its settings are:\n" + *actual);
    }
    return {};
}

Result<std::string> Database::queryLines(std::string_view sql)
{
    Result<Statement> statement = prepare(sql);
    if (!statement.ok())
        return statement.takeError();
    std::string lines;
    SIGESS_TRY(statement->forEachRow([&lines](const Statement &row) -> Status {
        if (!lines.empty())
            lines += '\n';
        lines += row.columnText(0);
        return {};
    }));
    return lines;
}

Status Database::exec(std::string_view sql)
{
    const std::string text(sql);
    const int rc = sqlite3_exec(m_handle, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return sqliteError(m_handle, rc, "cannot run \"" + text + '"');
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    const auto found = m_statements.find(std::string(sql));
    if (found != m_statements.end() && !found->second->inUse) {
        found->second->inUse = true;
        return Statement(found->second->statement, Statement::Ownership::Cached, &found->second->inUse);
    }
    sqlite3_stmt *raw = nullptr;
    const char *tail = nullptr;
    const int rc = sqlite3_prepare_v3(m_handle, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    if (rc != SQLITE_OK)
        return sqliteError(m_handle, rc, "cannot prepare \"" + std::string(sql) + '"');
    if (raw == nullptr)
        return makeError(ErrorCode::Invalid, "cannot prepare \"" + std::string(sql) + "\": no statement in it");
    if (std::string_view(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail)).find_first_not_of(" \t\r\n;")
        != std::string_view::npos) {
        sqlite3_finalize(raw);
        return makeError(ErrorCode::Invalid, "cannot prepare \"" + std::string(sql)
                                                 + "\": prepare takes one statement; use exec for a script");
    }
    if (found != m_statements.end())
        return Statement(raw, Statement::Ownership::Owned, nullptr);
    auto entry = std::make_unique<CachedStatement>();
    entry->statement = raw;
    entry->inUse = true;
    bool *inUse = &entry->inUse;
    m_statements.emplace(std::string(sql), std::move(entry));
    return Statement(raw, Statement::Ownership::Cached, inUse);
}

Status Database::checkpoint()
{
    const int rc = sqlite3_wal_checkpoint_v2(m_handle, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return sqliteError(m_handle, rc, "cannot checkpoint " + m_path);
    return {};
}

Result<Database::WalProgress> Database::checkpointPassive()
{
    WalProgress progress;
    const int rc = sqlite3_wal_checkpoint_v2(m_handle, nullptr, SQLITE_CHECKPOINT_PASSIVE, &progress.frames,
                                             &progress.checkpointed);
    if (rc == SQLITE_BUSY)
        return WalProgress{};
    if (rc != SQLITE_OK)
        return sqliteError(m_handle, rc, "cannot checkpoint " + m_path);
    return progress;
}

Status Database::rekey(const RawKey &newKey)
{
    SIGESS_TRY(checkpoint());
    const int rc = applyKey(m_handle, newKey, sqlite3_rekey_v2);
    if (rc != SQLITE_OK)
        return sqliteError(m_handle, rc, "cannot rekey " + m_path);
    // The new key is committed at this point, so a checkpoint that fails (a reader in
    // the way) must not be reported as a failed rekey; the WAL is then copied into the
    // main file by a later checkpoint, as any other commit is.
    static_cast<void>(checkpoint());
    return {};
}

Result<std::string> Database::cipherIntegrityCheck()
{
    return queryLines("PRAGMA cipher_integrity_check");
}

std::int64_t Database::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_handle);
}

std::int64_t Database::changes() const
{
    return sqlite3_changes64(m_handle);
}

} // namespace sigess::store
