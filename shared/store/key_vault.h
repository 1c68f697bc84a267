// The wrapped database key of one store, in a small file beside it.
//
// The database key is 256 random bits. It is stored only wrapped (libsodium
// secretbox: XSalsa20-Poly1305) under a wrapping key derived with Argon2id from
//   - the operator's PIN combined with the device secret (tablets), or
//   - the device secret alone (kiosks),
// where "combined" means the device secret keys a BLAKE2b hash of the PIN that is
// then stretched by Argon2id: a stolen key file is useless without the device secret,
// and on the device a PIN guess costs one Argon2id run. Changing the PIN re-wraps
// the same database key, so the database file is not touched.
//
// Wrong PINs are counted in the file itself; after 5 in a row the wrapped keys are
// erased from it and the store can no longer be opened (the device must be enrolled
// again and sync its data back). Every change of the file is atomic (temp file,
// fsync, rename, directory fsync).
//
// File format, version 1 (integers little-endian):
//   0  8   magic "SGSKEY\r\n"
//   8  1   format version (1)
//   9  1   protection: 1 device secret alone, 2 PIN and device secret
//   10 1   wrong attempts in a row
//   11 1   number of wrapped keys: 0 (destroyed), 1 (current), 2 (current, pending)
//   12 16  Argon2id salt
//   28 8   Argon2id opslimit
//   36 8   Argon2id memlimit (bytes)
//   44     per wrapped key: 24-byte nonce, 48-byte secretbox (key and tag)
// The pending key exists only during a rekey (see store/vaulted_database.h); both
// keys share the salt and so the wrapping key.
//
// Thread safety: one KeyVault per key file, used by one thread at a time. After a
// successful unlock() it holds the wrapping key in memory (wiped on destruction) so
// that a rekey can re-wrap without asking for the PIN again.
#pragma once

#include "core/result.h"
#include "store/device_secret.h"
#include "store/raw_key.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sigess::store {

// The operator's PIN, or std::nullopt for a store protected by the device secret alone.
using Pin = std::optional<std::string_view>;

// Argon2id's cost, written into the key file with each wrap so that a file made with
// one cost opens under a build that uses another.
struct Argon2Cost {
    std::uint64_t opsLimit = 0;
    std::uint64_t memLimitBytes = 0;

    // libsodium's MODERATE (3 passes, 256 MiB, about 0.7 s here): for real stores.
    static Argon2Cost moderate();
    // libsodium's minimum (1 pass, 8 KiB): for tests only, where a wrap must be instant.
    static Argon2Cost cheapestForTests();
};

struct UnlockedKeys {
    RawKey current;
    // Present only when a rekey was interrupted.
    std::optional<RawKey> pending;
};

class KeyVault {
public:
    static constexpr int maxWrongAttempts = 5;

    // cost applies to the wraps this vault makes (create, changePin); unwrapping
    // uses the cost stored in the file.
    KeyVault(std::string keyFilePath, DeviceSecretSource &deviceSecret, Argon2Cost cost);
    ~KeyVault();
    KeyVault(const KeyVault &) = delete;
    KeyVault &operator=(const KeyVault &) = delete;

    bool exists() const;
    const std::string &path() const { return m_path; }

    // Makes a fresh random database key and writes its wrapped form; refuses to
    // replace an existing key file (ErrorCode::Conflict). Leaves the vault unlocked.
    Result<RawKey> create(Pin pin);

    // Unwraps the database key. A wrong PIN is ErrorCode::Unauthorized and counts
    // towards the 5 allowed; a right one resets the count.
    Result<UnlockedKeys> unlock(Pin pin);

    // Re-wraps the same database key under a new PIN (a new salt too). Needs the old
    // PIN, which counts like any unlock attempt.
    Status changePin(Pin oldPin, Pin newPin);

    // The rekey steps, valid after unlock() or create(): keep the current key and add
    // the pending one; then either make the pending key the current one, or drop it.
    Status stagePendingKey(const RawKey &newKey);
    Status promotePendingKey();
    Status dropPendingKey();

private:
    struct Unlocked;

    Status requireUnlocked(std::string_view action) const;
    Status save(const RawKey &current, const std::optional<RawKey> &pending);

    std::string m_path;
    DeviceSecretSource &m_deviceSecret;
    Argon2Cost m_cost;
    std::unique_ptr<Unlocked> m_unlocked;
};

} // namespace sigess::store
