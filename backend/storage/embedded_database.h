// The embedded store: one SQLCipher file (store/database.h) behind SqlDatabase.
// In WAL mode SQLite lets many readers run beside one writer, so the driver keeps one
// writer connection, taken under a mutex by transactions and execute(), and a small
// pool of reader connections for query(), and a connection of its own that
// checkpoints the WAL on a thread beside the writer. Every connection waits for a lock up to
// the busy timeout before giving up with ErrorCode::Unavailable. Placeholders $N are
// rewritten to SQLite's ?N (the same number, so a parameter may be used twice).
//
// The key file holds either the raw database key as 64 hex digits, or the key wrapped
// by store/key_vault.h under a device secret (a file read by store/device_secret.h).
//
// Thread safety: see sql.h; open() and createKeyFile() are free of shared state.
#pragma once

#include "core/result.h"
#include "storage/sql.h"
#include "store/key_vault.h"
#include "store/raw_key.h"

#include <cstddef>
#include <memory>
#include <string>

namespace sigess::storage {

struct EmbeddedStoreConfig {
    std::string path;              // the database file, created when missing
    std::string keyFile;           // raw key in hex, or a wrapped key
    std::string deviceSecretFile;  // needed only for a wrapped key
    std::size_t readers = 4;       // reader connections, besides the one writer
    int busyTimeoutMs = 5000;
    // How often the store's own thread copies the WAL into the main file; commits
    // never checkpoint themselves.
    int checkpointIntervalMs = 200;
    // Under steady writes the WAL is never wholly copied at the moment a transaction
    // starts, so SQLite never starts it over and it grows with everything written
    // (230 MB after 50,000 sync operations), each commit appending to fresh blocks of the
    // file. Past this many frames (4 KiB pages), once the store's thread has copied them
    // all, the writer copies the few of its last commit itself before its next
    // transaction, which then writes the WAL over from its beginning.
    int walRestartFrames = 8192;
};

enum class KeyFileFormat {
    RawHex,   // the key in plain hex: protected only by the file's permissions
    Wrapped,  // the key wrapped under the device secret
};

// Makes a fresh random key and writes the key file (mode 0600); Conflict if it exists.
// wrapCost applies to KeyFileFormat::Wrapped; a wrapped file records its own cost.
Status createKeyFile(const EmbeddedStoreConfig &config, KeyFileFormat format,
                     store::Argon2Cost wrapCost = store::Argon2Cost::moderate());

// Reads the database key from config.keyFile. NotFound without the file; Corrupt when
// it is neither 64 hex digits nor a wrapped key; Unauthorized when the device secret
// does not unwrap it.
Result<store::RawKey> loadKey(const EmbeddedStoreConfig &config);

// Loads the key and opens the store; the schema is left to storage/schema.h. A key
// that does not open an existing file is ErrorCode::Unauthorized.
Result<std::unique_ptr<SqlDatabase>> openEmbeddedDatabase(const EmbeddedStoreConfig &config);
Result<std::unique_ptr<SqlDatabase>> openEmbeddedDatabase(const EmbeddedStoreConfig &config,
                                                          const store::RawKey &key);

} // namespace sigess::storage
