#include "store/raw_key.h"

#include <sodium.h>

#include <cctype>

namespace sigess::store {

RawKey::RawKey() = default;

RawKey::RawKey(const std::array<std::uint8_t, size> &bytes) : m_bytes(bytes) {}

RawKey::RawKey(const RawKey &other) : m_bytes(other.m_bytes) {}

RawKey &RawKey::operator=(const RawKey &other)
{
    m_bytes = other.m_bytes;
    return *this;
}

RawKey::~RawKey()
{
    sodium_memzero(m_bytes.data(), m_bytes.size());
}

RawKey RawKey::random()
{
    RawKey key;
    randombytes_buf(key.m_bytes.data(), key.m_bytes.size());
    return key;
}

Result<RawKey> RawKey::fromHex(std::string_view hex)
{
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.front())))
        hex.remove_prefix(1);
    while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back())))
        hex.remove_suffix(1);
    if (hex.size() != size * 2)
        return makeError(ErrorCode::Invalid, "a raw key is 64 hexadecimal digits, got "
                                                 + std::to_string(hex.size()) + " characters");
    RawKey key;
    std::size_t written = 0;
    if (sodium_hex2bin(key.m_bytes.data(), key.m_bytes.size(), hex.data(), hex.size(), nullptr,
                       &written, nullptr) != 0
        || written != size)
        return makeError(ErrorCode::Invalid, "a raw key may hold only hexadecimal digits");
    return key;
}

std::string RawKey::toHex() const
{
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), m_bytes.data(), m_bytes.size());
    hex.pop_back();
    return hex;
}

std::string RawKey::sqlcipherLiteral() const
{
    return "x'" + toHex() + "'";
}

bool RawKey::operator==(const RawKey &other) const
{
    return sodium_memcmp(m_bytes.data(), other.m_bytes.data(), size) == 0;
}

} // namespace sigess::store
