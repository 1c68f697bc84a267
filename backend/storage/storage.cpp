#include "storage/storage.h"

#include "storage/schema.h"

#include <type_traits>

namespace sigess::storage {

Result<std::unique_ptr<SqlDatabase>> openStorage(const StorageConfig &config)
{
    Result<std::unique_ptr<SqlDatabase>> database = std::visit(
        [](const auto &chosen) {
            if constexpr (std::is_same_v<std::decay_t<decltype(chosen)>, EmbeddedStoreConfig>)
                return openEmbeddedDatabase(chosen);
            else
                return openPostgresDatabase(chosen);
        },
        config);
    if (!database.ok())
        return database.takeError();
    SIGESS_TRY(migrateSchema(**database));
    return database;
}

} // namespace sigess::storage
