// Operator passwords: Argon2id hashes in libsodium's self-describing string form
// (crypto_pwhash_str), so the cost a hash was made with travels with it and a later
// change of cost applies to each account at its next successful login.
//
// The cost is a parameter: production uses libsodium's interactive limits, tests the
// minimum. verifyUnknown() spends the same work as a real verification, so that a login
// for a username that does not exist takes as long as a wrong password.
//
// Thread safety: a PasswordHasher is immutable after construction; any thread may use it.
#pragma once

#include "core/result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sigess::identity {

struct PasswordCost {
    unsigned long long opsLimit = 0;
    std::size_t memLimit = 0;

    static PasswordCost interactive();  // libsodium's interactive limits (about 64 MiB)
    static PasswordCost minimum();      // the least Argon2id accepts: for tests only
};

class PasswordHasher {
public:
    static constexpr std::size_t minLength = 10;
    static constexpr std::size_t maxLength = 1024;

    // Initialises libsodium and prepares the stand-in hash; throws std::runtime_error when
    // libsodium cannot start or the cost is out of its range (a start-up failure).
    explicit PasswordHasher(PasswordCost cost);

    // Invalid for a password shorter than minLength characters or longer than maxLength
    // bytes; Internal when the memory for the hash cannot be had.
    Result<std::string> hash(std::string_view password) const;
    bool verify(std::string_view storedHash, std::string_view password) const;
    // Same work as verify(), for a username that does not exist; always fails.
    void verifyUnknown(std::string_view password) const;
    // Whether a stored hash was made with another cost than this hasher's.
    bool needsRehash(std::string_view storedHash) const;

private:
    PasswordCost m_cost;
    std::string m_standInHash;
};

} // namespace sigess::identity
