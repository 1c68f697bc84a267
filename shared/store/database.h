// One connection to a SIgeSS store: an SQLCipher database file opened with a raw
// 256-bit key, configured and verified before anything else touches it.
//
// Every connection, right after the key (SQLCipher silently ignores a pragma placed
// before it), sets the cipher page size and HMAC algorithm, journal_mode=WAL,
// synchronous=NORMAL, temp_store=MEMORY and foreign_keys=ON, then reads them back with
// cipher_version and cipher_settings and refuses to go on if any of them did not take.
// synchronous=NORMAL is enough in WAL mode: a commit reaches the OS at once, so a
// killed process (kill -9, a crash) loses nothing acknowledged; only a power cut can
// roll back the last commits made since the WAL was last synced (at each checkpoint),
// and it never corrupts the file. FULL would add an fsync to every commit to close that
// window, costing more than the whole encryption does (docs/store.md).
// temp_store=MEMORY matters for confidentiality: Debian's SQLCipher is built with
// TEMP_STORE=1, so without it large sorts and temp tables spill to plaintext files.
//
// A wrong key is reported as ErrorCode::Unauthorized and leaves the file untouched.
//
// Thread safety: a Database is used by one thread at a time (give each thread its own
// connection); statements from prepare() must not outlive it. Move-only; closes in its
// destructor.
#pragma once

#include "core/result.h"
#include "store/raw_key.h"
#include "store/statement.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;

namespace sigess::store {

enum class OpenMode {
    OpenExisting,     // a missing file is ErrorCode::NotFound
    CreateIfMissing,
};

// What a connection asks of SQLCipher and of SQLite's page cache; docs/store.md
// explains each choice and its measured cost.
struct StoreSettings {
    int cipherPageSize = 4096;
    // Not SQLCipher 4's default (HMAC_SHA512): a 256-bit tag is as far out of reach for
    // a forger, and SHA-256 runs in hardware (SHA-NI, ARMv8 SHA2) where SHA-512 mostly
    // does not, which cuts the cost of every page written by a fifth to a quarter. A stock
    // sqlcipher shell needs "PRAGMA cipher_hmac_algorithm = HMAC_SHA256" after the key.
    std::string hmacAlgorithm = "HMAC_SHA256";
    // Decrypted pages kept in memory per connection; reads served from it skip the
    // decryption and HMAC check.
    int cacheKiB = 32 * 1024;
};

class Database {
public:
    static Result<Database> open(const std::string &path, const RawKey &key, OpenMode mode,
                                 const StoreSettings &settings = {});
    // The same library with no key: only for benchmarks that compare against an
    // unencrypted peer. Never for personal data.
    static Result<Database> openUnencrypted(const std::string &path, OpenMode mode,
                                            const StoreSettings &settings = {});

    Database(Database &&other) noexcept;
    Database &operator=(Database &&other) noexcept;
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;
    ~Database();

    // Runs one or more SQL statements that return no rows (schema scripts, pragmas).
    Status exec(std::string_view sql);
    // A statement from this connection's cache, prepared on first use. When the cached
    // statement is already in use (a nested query with the same text), a fresh one is
    // prepared for the caller instead.
    Result<Statement> prepare(std::string_view sql);

    // Re-encrypts every page under newKey. Crash-safe on its own: the WAL is
    // checkpointed first so the rewrite is one WAL transaction holding every page under
    // the new key; a crash before its commit frame leaves the old key valid, a crash
    // after it leaves the new key valid, never both nor neither. It is then
    // checkpointed into the main file when no reader is in the way. An error means
    // the old key still applies. Keeping the key's wrapped copy in step is the
    // caller's job (see store/vaulted_database.h).
    Status rekey(const RawKey &newKey);

    // Copies the WAL into the main file and truncates the WAL to zero bytes.
    Status checkpoint();
    // What a passive checkpoint left: the frames in the WAL and how many of them are
    // in the main file. When all are, the next write transaction that starts before
    // another commit writes the WAL over from its beginning instead of appending to it.
    struct WalProgress {
        int frames = 0;
        int checkpointed = 0;

        bool complete() const { return checkpointed == frames; }
    };
    // Copies into the main file what of the WAL no reader still needs, without waiting
    // for anyone and without stopping the writer: for a connection that checkpoints
    // beside a writer whose own automatic checkpoints are off. Nothing copied (another
    // checkpoint running) is not an error.
    Result<WalProgress> checkpointPassive();

    // PRAGMA cipher_integrity_check: the HMAC of every page. Returns the problems
    // found, one per line; empty when every page is intact.
    Result<std::string> cipherIntegrityCheck();

    std::int64_t lastInsertRowId() const;
    // The rows the last INSERT, UPDATE or DELETE changed.
    std::int64_t changes() const;
    const std::string &path() const { return m_path; }

private:
    struct CachedStatement;
    enum class Encryption { Keyed, Unencrypted };

    Database(sqlite3 *handle, std::string path);
    static Result<Database> openConnection(const std::string &path, const RawKey *key,
                                           OpenMode mode, const StoreSettings &settings);
    Status configure(Encryption encryption, const StoreSettings &settings);
    Status verifyCipherSettings(const StoreSettings &settings);
    // Column 0 of every row, one per line.
    Result<std::string> queryLines(std::string_view sql);
    void close();

    sqlite3 *m_handle = nullptr;
    std::string m_path;
    std::unordered_map<std::string, std::unique_ptr<CachedStatement>> m_statements;
};

} // namespace sigess::store
