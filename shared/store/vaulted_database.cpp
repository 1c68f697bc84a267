#include "store/vaulted_database.h"

#include <filesystem>

namespace sigess::store {

Result<Database> openVaulted(const std::string &path, KeyVault &vault, Pin pin, OpenMode mode,
                             const StoreSettings &settings)
{
    std::error_code ignored;
    if (!vault.exists() && mode == OpenMode::CreateIfMissing && !std::filesystem::exists(path, ignored)) {
        Result<RawKey> key = vault.create(pin);
        if (!key.ok())
            return key.takeError();
        return Database::open(path, *key, mode, settings);
    }
    Result<UnlockedKeys> keys = vault.unlock(pin);
    if (!keys.ok())
        return keys.takeError();
    Result<Database> withCurrent = Database::open(path, keys->current, OpenMode::OpenExisting, settings);
    if (withCurrent.ok()) {
        if (keys->pending)
            SIGESS_TRY(vault.dropPendingKey());
        return withCurrent;
    }
    if (withCurrent.error().code != ErrorCode::Unauthorized || !keys->pending)
        return withCurrent;
    Result<Database> withPending = Database::open(path, *keys->pending, OpenMode::OpenExisting, settings);
    if (!withPending.ok())
        return withPending;
    SIGESS_TRY(vault.promotePendingKey());
    return withPending;
}

Status rekeyVaulted(Database &database, KeyVault &vault)
{
    const RawKey newKey = RawKey::random();
    SIGESS_TRY(vault.stagePendingKey(newKey));
    // On failure both keys stay in the file: whichever one the store answers to, the
    // next openVaulted() finds it and settles the file.
    SIGESS_TRY(database.rekey(newKey));
    return vault.promotePendingKey();
}

} // namespace sigess::store
