// The backend's store as chosen by its configuration: the embedded SQLCipher file
// (the default) or a PostgreSQL server. openStorage() opens it and brings the schema
// up to date, so what it returns is ready for the repositories.
// Thread safety: the returned SqlDatabase is safe from any thread (see sql.h).
#pragma once

#include "core/result.h"
#include "storage/embedded_database.h"
#include "storage/postgres_database.h"
#include "storage/sql.h"

#include <memory>
#include <variant>

namespace sigess::storage {

using StorageConfig = std::variant<EmbeddedStoreConfig, PostgresStoreConfig>;

Result<std::unique_ptr<SqlDatabase>> openStorage(const StorageConfig &config);

} // namespace sigess::storage
