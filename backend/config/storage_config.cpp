#include "config/storage_config.h"

namespace sigess::config {

storage::StorageConfig storageConfigOf(const StorageConfig &chosen, std::size_t connections)
{
    if (chosen.kind == StorageKind::PostgreSql) {
        storage::PostgresStoreConfig postgres;
        postgres.connectionString = chosen.conninfo;
        postgres.connections = connections;
        return postgres;
    }
    storage::EmbeddedStoreConfig embedded;
    embedded.path = chosen.path;
    embedded.keyFile = chosen.keyFile;
    // The embedded store has one writer connection besides these readers.
    embedded.readers = connections;
    if (chosen.checkpointInterval)
        embedded.checkpointIntervalMs = static_cast<int>(chosen.checkpointInterval->count());
    return embedded;
}

} // namespace sigess::config
