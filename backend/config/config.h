// The sigess-backend config file: what to listen on and how, limits and timeouts, the
// store, the catalog release, the API's cursor key, the log level. deploy/sigess-backend.conf.example documents
// every key.
//
// Format: UTF-8 text, one `key = value` per line; `[section]` lines prefix the keys
// below them (`[tls]` then `certificate = x` sets `tls.certificate`), or keys may be
// written dotted at the top. `#` starts a comment line. Sizes take a unit (B, KiB, MiB),
// durations take one (ms, s, min), booleans are true or false. Unknown keys, repeated
// keys and bad values are errors naming file:line, so a typo never silently falls back
// to a default.
// Thread safety: free functions over value types.
#pragma once

#include "core/result.h"
#include "net/log.h"
#include "net/options.h"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace sigess::config {

enum class StorageKind { Embedded, PostgreSql };

struct StorageConfig {
    StorageKind kind = StorageKind::Embedded;
    std::string path;      // embedded: the SQLCipher database file
    std::string keyFile;   // embedded: the file holding its key
    std::string conninfo;  // postgresql: a libpq connection string
    // Embedded only; unset keeps the store's defaults. How often the store's own thread
    // copies the WAL into the database file, and how often the backend looks at the store
    // for what another process (sigessctl) wrote: the longest a `user disable` or
    // `device revoke` waits before it reaches the open connections.
    std::optional<std::chrono::milliseconds> checkpointInterval;
    std::optional<std::chrono::milliseconds> pollInterval;
};

struct BackendConfig {
    net::ServerOptions server;
    StorageConfig storage;
    std::string catalogRelease;  // the catalog release file served to devices
    // The file holding the secret that signs the API's pagination cursors. Optional here,
    // so that a config can be checked before the secret exists; the server refuses to
    // start without it. Every instance sharing one PostgreSQL needs the same key, or a
    // cursor issued by one is refused by another.
    std::string cursorKeyFile;
    net::LogLevel logLevel = net::LogLevel::Info;
};

// `sourceName` names the text in errors ("/etc/sigess/backend.conf:12: ...").
Result<BackendConfig> parseConfig(std::string_view text, const std::string &sourceName);
Result<BackendConfig> loadConfig(const std::filesystem::path &file);

} // namespace sigess::config
