// Fixtures of the kiosk tests: the catalog built from deploy/catalog/ and a kiosk's
// configuration in a temporary folder. (The backend they sync with is the real one:
// tests/shared/sync_client/sync_world.h, kiosk_backend.h.)
#pragma once

#include "catalog/builder.h"
#include "core/catalog.h"
#include "kiosk_config.h"

#include <QTemporaryDir>
#include <QtGlobal>

#include <filesystem>

namespace sigess::kiosk::testing {

inline core::Catalog deployCatalog()
{
    catalog::BuildResult built = catalog::buildCatalog(std::filesystem::path(SIGESS_SOURCE_DIR) / "deploy" / "catalog");
    if (!built.ok())
        qFatal("deploy/catalog does not build: %s", built.errors.front().describe().c_str());
    Result<core::Catalog> loaded = core::Catalog::fromRelease(std::move(built.release));
    if (!loaded.ok())
        qFatal("%s", loaded.error().describe().c_str());
    return std::move(loaded).value();
}

// A kiosk of presidio P-M01-01 with its files in `dir`; `prefix` tells kiosks apart.
inline KioskConfig kioskConfig(const QTemporaryDir &dir, const QString &deviceId, const QString &prefix)
{
    KioskConfig config = developmentKioskConfig(deviceId);
    config.ticketPrefix = prefix;
    config.storePath = dir.filePath(prefix + QStringLiteral("-kiosk.db"));
    config.keyPath = dir.filePath(prefix + QStringLiteral("-kiosk.key"));
    config.deviceSecretPath = dir.filePath(prefix + QStringLiteral("-device-secret"));
    return config;
}

} // namespace sigess::kiosk::testing
