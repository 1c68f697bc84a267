#include "identity/password.h"

#include <sodium.h>

#include <stdexcept>

namespace sigess::identity {

namespace {

// crypto_pwhash_str_* read a NUL-terminated string; a hash from the store may be any bytes.
bool fitsHashBuffer(std::string_view storedHash)
{
    return storedHash.size() < crypto_pwhash_STRBYTES && storedHash.find('\0') == std::string_view::npos;
}

} // namespace

PasswordCost PasswordCost::interactive()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::minimum()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

PasswordHasher::PasswordHasher(PasswordCost cost)
    : m_cost(cost)
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium failed to initialise");
    if (cost.opsLimit < crypto_pwhash_OPSLIMIT_MIN || cost.opsLimit > crypto_pwhash_OPSLIMIT_MAX
        || cost.memLimit < crypto_pwhash_MEMLIMIT_MIN || cost.memLimit > crypto_pwhash_MEMLIMIT_MAX) {
        throw std::runtime_error("password hash cost is outside Argon2id's limits");
    }
    // A random password nobody knows, so that the stand-in hash never verifies.
    unsigned char secret[32];
    randombytes_buf(secret, sizeof secret);
    char standIn[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(standIn, reinterpret_cast<const char *>(secret), sizeof secret, m_cost.opsLimit,
                              m_cost.memLimit, crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        throw std::runtime_error("not enough memory for an Argon2id password hash");
    }
    m_standInHash = standIn;
}

Result<std::string> PasswordHasher::hash(std::string_view password) const
{
    if (password.size() < minLength) {
        return makeError(ErrorCode::Invalid,
                         "a password needs at least " + std::to_string(minLength) + " characters");
    }
    if (password.size() > maxLength) {
        return makeError(ErrorCode::Invalid,
                         "a password may have at most " + std::to_string(maxLength) + " bytes");
    }
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), m_cost.opsLimit, m_cost.memLimit,
                              crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        return makeError(ErrorCode::Internal, "not enough memory to hash the password");
    }
    return std::string(out);
}

bool PasswordHasher::verify(std::string_view storedHash, std::string_view password) const
{
    if (!fitsHashBuffer(storedHash) || password.size() > maxLength) {
        verifyUnknown(password);
        return false;
    }
    const std::string terminated(storedHash);
    return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verifyUnknown(std::string_view password) const
{
    // The result is known (the stand-in matches no one); only the time spent matters.
    const std::size_t length = password.size() > maxLength ? maxLength : password.size();
    [[maybe_unused]] const int neverMatches = crypto_pwhash_str_verify(m_standInHash.c_str(), password.data(), length);
}

bool PasswordHasher::needsRehash(std::string_view storedHash) const
{
    if (!fitsHashBuffer(storedHash))
        return true;
    const std::string terminated(storedHash);
    return crypto_pwhash_str_needs_rehash(terminated.c_str(), m_cost.opsLimit, m_cost.memLimit) != 0;
}

} // namespace sigess::identity
