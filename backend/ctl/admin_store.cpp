#include "ctl/admin_store.h"

#include "config/storage_config.h"

#include <cstdlib>

namespace sigess::ctl {

std::filesystem::path configFileOf(const ParsedArguments &arguments)
{
    if (auto chosen = arguments.option("config"))
        return *chosen;
    if (const char *fromEnvironment = std::getenv("SIGESS_CONFIG");
        fromEnvironment != nullptr && *fromEnvironment)
        return fromEnvironment;
    return std::string(defaultConfigFile);
}

Result<config::BackendConfig> AdminStore::readConfig(const ParsedArguments &arguments)
{
    return config::loadConfig(configFileOf(arguments));
}

Result<std::unique_ptr<AdminStore>> AdminStore::open(const ParsedArguments &arguments)
{
    Result<config::BackendConfig> config = readConfig(arguments);
    if (!config.ok())
        return config.takeError();
    return open(std::move(config).value());
}

Result<std::unique_ptr<AdminStore>> AdminStore::open(config::BackendConfig config)
{
    Result<std::unique_ptr<storage::SqlDatabase>> database = storage::openStorage(config::storageConfigOf(config.storage, adminConnections));
    if (!database.ok())
        return database.takeError();
    return std::unique_ptr<AdminStore>(new AdminStore(std::move(config), std::move(database).value()));
}

AdminStore::AdminStore(config::BackendConfig config, std::unique_ptr<storage::SqlDatabase> database)
    : m_config(std::move(config))
    , m_database(std::move(database))
{
}

identity::IdentityService &AdminStore::identity()
{
    if (m_identity == nullptr)
        m_identity = std::make_unique<identity::IdentityService>(
            *m_database, m_clock, m_hlc, m_ids, identity::IdentityOptions {});
    return *m_identity;
}

void AdminStore::close()
{
    m_identity.reset();
    m_database.reset();
}

} // namespace sigess::ctl
