// Opening a store with the key held in its KeyVault, and replacing that key without
// ever leaving a store that no wrapped key opens.
//
// Rekey protocol; each step is atomic on disk and a crash may stop between any two:
//   1. the key file gains the new key as "pending", beside the current one;
//   2. Database::rekey re-encrypts every page: one WAL transaction (before its commit
//      frame only the old key opens the store, after it only the new one), then a
//      checkpoint into the main file;
//   3. the pending key becomes the only key in the file.
// openVaulted() finishes whatever was interrupted: it tries the current key; if the
// store refuses it and a pending key exists, it opens with the pending key and
// promotes it (a crash after step 2); if the current key opens the store, a leftover
// pending key is dropped (a crash after step 1 or inside step 2).
//
// Thread safety: as Database and KeyVault (one thread at a time).
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/key_vault.h"

#include <string>

namespace sigess::store {

// With OpenMode::CreateIfMissing and neither a key file nor a database present, a new
// key is created (protected by pin) before the database.
Result<Database> openVaulted(const std::string &path, KeyVault &vault, Pin pin, OpenMode mode,
                             const StoreSettings &settings = {});

// Replaces the database key with a fresh random one. The vault must be unlocked (by
// the openVaulted() that opened database).
Status rekeyVaulted(Database &database, KeyVault &vault);

} // namespace sigess::store
