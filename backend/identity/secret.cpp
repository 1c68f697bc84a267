#include "identity/secret.h"

#include <sodium.h>

#include <array>

namespace sigess::identity {

namespace {

constexpr std::string_view crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t codeGroups = 3;
constexpr std::size_t codeGroupLength = 4;

} // namespace

std::string randomToken()
{
    std::array<unsigned char, 32> bytes {};
    randombytes_buf(bytes.data(), bytes.size());
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    text.resize(text.find('\0'));
    return text;
}

std::string randomEnrollmentCode()
{
    std::string code;
    for (std::size_t group = 0; group < codeGroups; ++group) {
        if (group > 0)
            code += '-';
        for (std::size_t i = 0; i < codeGroupLength; ++i)
            code += crockford[randombytes_uniform(static_cast<std::uint32_t>(crockford.size()))];
    }
    return code;
}

std::string normalizeEnrollmentCode(std::string_view typed)
{
    std::string code;
    for (char c : typed) {
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        if (c == 'I' || c == 'L')
            c = '1';
        else if (c == 'O')
            c = '0';
        code += c;
    }
    return code;
}

std::string secretHash(std::string_view secret)
{
    std::string digest(crypto_hash_sha256_BYTES, '\0');
    crypto_hash_sha256(reinterpret_cast<unsigned char *>(digest.data()),
                       reinterpret_cast<const unsigned char *>(secret.data()), secret.size());
    return digest;
}

} // namespace sigess::identity
