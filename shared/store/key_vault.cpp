#include "store/key_vault.h"

#include "store/atomic_file.h"

#include <sodium.h>

#include <cstring>
#include <filesystem>
#include <vector>

namespace sigess::store {

namespace {

constexpr std::string_view magic = "SGSKEY\r\n";
constexpr std::uint8_t formatVersion = 1;
constexpr std::size_t saltSize = crypto_pwhash_SALTBYTES;
constexpr std::size_t nonceSize = crypto_secretbox_NONCEBYTES;
constexpr std::size_t boxSize = RawKey::size + crypto_secretbox_MACBYTES;
constexpr std::size_t headerSize = 44;
constexpr std::size_t wrappedSize = nonceSize + boxSize;
constexpr std::size_t maxFileSize = headerSize + 2 * wrappedSize;
// A tampered file must not make unlock() allocate without bound.
constexpr std::uint64_t maxMemLimit = std::uint64_t{4} << 30;
static_assert(saltSize == 16 && nonceSize == 24 && boxSize == 48);

enum class Protection : std::uint8_t { DeviceSecret = 1, PinAndDeviceSecret = 2 };

using Salt = std::array<std::uint8_t, saltSize>;
using WrappedKey = std::array<std::uint8_t, wrappedSize>;

struct KeyFile {
    Protection protection = Protection::DeviceSecret;
    std::uint8_t wrongAttempts = 0;
    Salt salt{};
    Argon2Cost cost;
    std::vector<WrappedKey> keys;  // current, then pending
};

Protection protectionFor(Pin pin)
{
    return pin ? Protection::PinAndDeviceSecret : Protection::DeviceSecret;
}

void putUint64(std::string &out, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i)
        out += static_cast<char>((value >> (8 * i)) & 0xff);
}

std::uint64_t getUint64(std::string_view in)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | static_cast<std::uint8_t>(in[static_cast<std::size_t>(i)]);
    return value;
}

std::string serialize(const KeyFile &file)
{
    std::string out(magic);
    out += static_cast<char>(formatVersion);
    out += static_cast<char>(file.protection);
    out += static_cast<char>(file.wrongAttempts);
    out += static_cast<char>(file.keys.size());
    out.append(reinterpret_cast<const char *>(file.salt.data()), file.salt.size());
    putUint64(out, file.cost.opsLimit);
    putUint64(out, file.cost.memLimitBytes);
    for (const WrappedKey &key : file.keys)
        out.append(reinterpret_cast<const char *>(key.data()), key.size());
    return out;
}

Result<KeyFile> parse(std::string_view bytes, const std::string &path)
{
    const auto corrupt = [&](const std::string &why) {
        return makeError(ErrorCode::Corrupt, "the key file " + path + " is damaged: " + why);
    };
    if (bytes.size() < headerSize || bytes.substr(0, magic.size()) != magic)
        return corrupt("it is not a SIgeSS key file");
    if (static_cast<std::uint8_t>(bytes[8]) != formatVersion)
        return makeError(ErrorCode::Conflict, "the key file " + path + " has format version "
                                                  + std::to_string(static_cast<std::uint8_t>(bytes[8]))
                                                  + ", which this program does not know");
    KeyFile file;
    const auto protection = static_cast<std::uint8_t>(bytes[9]);
    if (protection != 1 && protection != 2)
        return corrupt("unknown protection " + std::to_string(protection));
    file.protection = static_cast<Protection>(protection);
    file.wrongAttempts = static_cast<std::uint8_t>(bytes[10]);
    const std::size_t keyCount = static_cast<std::uint8_t>(bytes[11]);
    if (keyCount > 2 || bytes.size() != headerSize + keyCount * wrappedSize)
        return corrupt("its size does not match its number of keys");
    std::memcpy(file.salt.data(), bytes.data() + 12, saltSize);
    file.cost.opsLimit = getUint64(bytes.substr(28, 8));
    file.cost.memLimitBytes = getUint64(bytes.substr(36, 8));
    if (file.cost.opsLimit < crypto_pwhash_OPSLIMIT_MIN || file.cost.opsLimit > crypto_pwhash_OPSLIMIT_MAX
        || file.cost.memLimitBytes < crypto_pwhash_MEMLIMIT_MIN || file.cost.memLimitBytes > maxMemLimit)
        return corrupt("its Argon2id cost is out of range");
    for (std::size_t i = 0; i < keyCount; ++i) {
        WrappedKey key;
        std::memcpy(key.data(), bytes.data() + headerSize + i * wrappedSize, wrappedSize);
        file.keys.push_back(key);
    }
    return file;
}

Result<RawKey> deriveWrappingKey(const DeviceSecret &deviceSecret, Pin pin, const Salt &salt, const Argon2Cost &cost)
{
    // Distinct messages keep "no PIN" and every PIN apart.
    std::string message = pin ? "sigess pin:" + std::string(*pin) : std::string("sigess device secret alone");
    std::array<std::uint8_t, 32> stretched{};
    crypto_generichash(stretched.data(), stretched.size(), reinterpret_cast<const unsigned char *>(message.data()),
                       message.size(), deviceSecret.data(), DeviceSecret::size);
    sodium_memzero(message.data(), message.size());
    RawKey wrappingKey;
    const int rc = crypto_pwhash(wrappingKey.data(), RawKey::size, reinterpret_cast<const char *>(stretched.data()),
                                 stretched.size(), salt.data(), cost.opsLimit,
                                 static_cast<std::size_t>(cost.memLimitBytes), crypto_pwhash_ALG_ARGON2ID13);
    sodium_memzero(stretched.data(), stretched.size());
    if (rc != 0)
        return makeError(ErrorCode::Unavailable, "not enough memory to derive the key-wrapping key ("
                                                     + std::to_string(cost.memLimitBytes >> 20) + " MiB needed)");
    return wrappingKey;
}

WrappedKey wrap(const RawKey &key, const RawKey &wrappingKey)
{
    WrappedKey wrapped;
    randombytes_buf(wrapped.data(), nonceSize);
    crypto_secretbox_easy(wrapped.data() + nonceSize, key.data(), RawKey::size, wrapped.data(), wrappingKey.data());
    return wrapped;
}

std::optional<RawKey> unwrap(const WrappedKey &wrapped, const RawKey &wrappingKey)
{
    RawKey key;
    if (crypto_secretbox_open_easy(key.data(), wrapped.data() + nonceSize, boxSize, wrapped.data(),
                                   wrappingKey.data())
        != 0)
        return std::nullopt;
    return key;
}

Result<KeyFile> readKeyFile(const std::string &path)
{
    Result<std::string> bytes = readSmallFile(path, maxFileSize);
    if (!bytes.ok()) {
        if (bytes.error().code == ErrorCode::NotFound)
            return makeError(ErrorCode::NotFound, "no key file at " + path);
        return bytes.takeError();
    }
    return parse(*bytes, path);
}

Status writeKeyFile(const std::string &path, const KeyFile &file, WriteMode mode)
{
    return writeFileAtomically(path, serialize(file), mode);
}

} // namespace

struct KeyVault::Unlocked {
    Protection protection = Protection::DeviceSecret;
    Salt salt{};
    Argon2Cost cost;
    RawKey wrappingKey;
    RawKey current;
    std::optional<RawKey> pending;
};

Argon2Cost Argon2Cost::moderate()
{
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

Argon2Cost Argon2Cost::cheapestForTests()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

KeyVault::KeyVault(std::string keyFilePath, DeviceSecretSource &deviceSecret, Argon2Cost cost)
    : m_path(std::move(keyFilePath)), m_deviceSecret(deviceSecret), m_cost(cost)
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium cannot be initialised");
}

KeyVault::~KeyVault() = default;

bool KeyVault::exists() const
{
    std::error_code ignored;
    return std::filesystem::exists(m_path, ignored);
}

Status KeyVault::requireUnlocked(std::string_view action) const
{
    if (!m_unlocked)
        return makeError(ErrorCode::Invalid, "cannot " + std::string(action) + ": the key vault is locked");
    return {};
}

Status KeyVault::save(const RawKey &current, const std::optional<RawKey> &pending)
{
    KeyFile file;
    file.protection = m_unlocked->protection;
    file.salt = m_unlocked->salt;
    file.cost = m_unlocked->cost;
    file.keys.push_back(wrap(current, m_unlocked->wrappingKey));
    if (pending)
        file.keys.push_back(wrap(*pending, m_unlocked->wrappingKey));
    SIGESS_TRY(writeKeyFile(m_path, file, WriteMode::Replace));
    m_unlocked->current = current;
    m_unlocked->pending = pending;
    return {};
}

Result<RawKey> KeyVault::create(Pin pin)
{
    if (pin && pin->empty())
        return makeError(ErrorCode::Invalid, "a PIN cannot be empty");
    Result<DeviceSecret> secret = m_deviceSecret.secret();
    if (!secret.ok())
        return secret.takeError();
    auto unlocked = std::make_unique<Unlocked>();
    unlocked->protection = protectionFor(pin);
    unlocked->cost = m_cost;
    randombytes_buf(unlocked->salt.data(), unlocked->salt.size());
    Result<RawKey> wrappingKey = deriveWrappingKey(*secret, pin, unlocked->salt, m_cost);
    if (!wrappingKey.ok())
        return wrappingKey.takeError();
    unlocked->wrappingKey = *wrappingKey;
    unlocked->current = RawKey::random();

    KeyFile file;
    file.protection = unlocked->protection;
    file.salt = unlocked->salt;
    file.cost = m_cost;
    file.keys.push_back(wrap(unlocked->current, unlocked->wrappingKey));
    Status written = writeKeyFile(m_path, file, WriteMode::CreateNew);
    if (!written.ok()) {
        if (written.error().code == ErrorCode::Conflict)
            return makeError(ErrorCode::Conflict, "a key file already exists at " + m_path);
        return written.takeError();
    }
    m_unlocked = std::move(unlocked);
    return m_unlocked->current;
}

Result<UnlockedKeys> KeyVault::unlock(Pin pin)
{
    m_unlocked.reset();
    Result<KeyFile> file = readKeyFile(m_path);
    if (!file.ok())
        return file.takeError();
    if (file->keys.empty())
        return makeError(ErrorCode::Unauthorized, "the store key was destroyed after "
                                                      + std::to_string(maxWrongAttempts)
                                                      + " wrong PINs; this device must be enrolled again");
    if (file->protection != protectionFor(pin))
        return makeError(ErrorCode::Invalid, pin ? "this store is protected by the device alone, not by a PIN"
                                                 : "this store needs the operator's PIN");
    Result<DeviceSecret> secret = m_deviceSecret.secret();
    if (!secret.ok())
        return secret.takeError();
    Result<RawKey> wrappingKey = deriveWrappingKey(*secret, pin, file->salt, file->cost);
    if (!wrappingKey.ok())
        return wrappingKey.takeError();

    std::optional<RawKey> current = unwrap(file->keys[0], *wrappingKey);
    if (!current) {
        ++file->wrongAttempts;
        const int left = maxWrongAttempts - file->wrongAttempts;
        if (left <= 0)
            file->keys.clear();
        SIGESS_TRY(writeKeyFile(m_path, *file, WriteMode::Replace));
        const std::string what = pin ? "wrong PIN" : "the device secret does not unwrap the store key";
        if (left <= 0)
            return makeError(ErrorCode::Unauthorized, what + "; after " + std::to_string(maxWrongAttempts)
                                                          + " wrong attempts the store key has been destroyed");
        return makeError(ErrorCode::Unauthorized, what + "; " + std::to_string(left)
                                                      + (left == 1 ? " attempt" : " attempts")
                                                      + " left before the store key is destroyed");
    }
    std::optional<RawKey> pending;
    if (file->keys.size() == 2) {
        pending = unwrap(file->keys[1], *wrappingKey);
        if (!pending)
            return makeError(ErrorCode::Corrupt, "the key file " + m_path + " is damaged: its pending key does not unwrap");
    }
    if (file->wrongAttempts != 0) {
        file->wrongAttempts = 0;
        SIGESS_TRY(writeKeyFile(m_path, *file, WriteMode::Replace));
    }
    auto unlocked = std::make_unique<Unlocked>();
    unlocked->protection = file->protection;
    unlocked->salt = file->salt;
    unlocked->cost = file->cost;
    unlocked->wrappingKey = *wrappingKey;
    unlocked->current = *current;
    unlocked->pending = pending;
    m_unlocked = std::move(unlocked);
    return UnlockedKeys{*current, pending};
}

Status KeyVault::changePin(Pin oldPin, Pin newPin)
{
    if (newPin && newPin->empty())
        return makeError(ErrorCode::Invalid, "a PIN cannot be empty");
    Result<UnlockedKeys> keys = unlock(oldPin);
    if (!keys.ok())
        return keys.takeError();
    Result<DeviceSecret> secret = m_deviceSecret.secret();
    if (!secret.ok())
        return secret.takeError();
    Salt salt;
    randombytes_buf(salt.data(), salt.size());
    Result<RawKey> wrappingKey = deriveWrappingKey(*secret, newPin, salt, m_cost);
    if (!wrappingKey.ok())
        return wrappingKey.takeError();
    m_unlocked->protection = protectionFor(newPin);
    m_unlocked->salt = salt;
    m_unlocked->cost = m_cost;
    m_unlocked->wrappingKey = *wrappingKey;
    return save(keys->current, keys->pending);
}

Status KeyVault::stagePendingKey(const RawKey &newKey)
{
    SIGESS_TRY(requireUnlocked("stage a new key"));
    return save(m_unlocked->current, newKey);
}

Status KeyVault::promotePendingKey()
{
    SIGESS_TRY(requireUnlocked("promote the pending key"));
    if (!m_unlocked->pending)
        return makeError(ErrorCode::Invalid, "cannot promote the pending key: there is none");
    const RawKey promoted = *m_unlocked->pending;
    return save(promoted, std::nullopt);
}

Status KeyVault::dropPendingKey()
{
    SIGESS_TRY(requireUnlocked("drop the pending key"));
    const RawKey current = m_unlocked->current;
    return save(current, std::nullopt);
}

} // namespace sigess::store
