// How the admin subcommands reach the backend's store: through the very config file
// sigess-backend reads (`--config FILE`, else $SIGESS_CONFIG, else
// /etc/sigess/backend.conf), so that an administrator never names the store twice.
// The store is opened like the server opens it, schema brought up to date; identity's
// service is built over it with the system clock and production password cost, so that
// an account made here is exactly one made through the API.
// Thread safety: one AdminStore per command run; its database is a SqlDatabase (any thread).
#pragma once

#include "config/config.h"
#include "core/clock.h"
#include "core/hlc.h"
#include "core/result.h"
#include "core/uuid.h"
#include "ctl/command_support.h"
#include "identity/identity_service.h"
#include "storage/sql.h"
#include "storage/storage.h"

#include <cstddef>
#include <filesystem>
#include <memory>

namespace sigess::ctl {

inline constexpr std::string_view defaultConfigFile = "/etc/sigess/backend.conf";
// The usage line every admin subcommand shares.
inline constexpr std::string_view configUsage
    = "The store is the one in the sigess-backend config file: --config FILE, else $SIGESS_CONFIG,\n"
      "else /etc/sigess/backend.conf.\n";

// A command-line tool needs few connections; the server sizes its own pool.
inline constexpr std::size_t adminConnections = 2;

std::filesystem::path configFileOf(const ParsedArguments &arguments);

class AdminStore {
public:
    // Reads the config and opens its store (created when missing, as the server would).
    static Result<std::unique_ptr<AdminStore>> open(const ParsedArguments &arguments);
    // Reads the config only, for a subcommand that must look at the store before opening it.
    static Result<config::BackendConfig> readConfig(const ParsedArguments &arguments);
    static Result<std::unique_ptr<AdminStore>> open(config::BackendConfig config);

    const config::BackendConfig &config() const { return m_config; }
    storage::SqlDatabase &database() { return *m_database; }
    // Built on first use: it prepares an Argon2id stand-in hash, which takes a moment.
    identity::IdentityService &identity();
    // Closes the store; database() and identity() are then unusable.
    void close();

private:
    AdminStore(config::BackendConfig config, std::unique_ptr<storage::SqlDatabase> database);

    config::BackendConfig m_config;
    std::unique_ptr<storage::SqlDatabase> m_database;
    core::SystemClock m_clock;
    core::HybridLogicalClock m_hlc { m_clock };
    core::UuidV7Generator m_ids { m_clock };
    std::unique_ptr<identity::IdentityService> m_identity;
};

} // namespace sigess::ctl
