// A 256-bit database key, handed to SQLCipher as a raw key. The bytes are wiped from
// memory when the key is destroyed. Not thread-safe; a value type.
#pragma once

#include "core/result.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sigess::store {

class RawKey {
public:
    static constexpr std::size_t size = 32;

    RawKey();  // all zero
    explicit RawKey(const std::array<std::uint8_t, size> &bytes);
    RawKey(const RawKey &other);
    RawKey &operator=(const RawKey &other);
    ~RawKey();

    static RawKey random();
    // Parses 64 hex digits (upper or lower case, surrounding whitespace ignored).
    static Result<RawKey> fromHex(std::string_view hex);

    const std::uint8_t *data() const { return m_bytes.data(); }
    std::uint8_t *data() { return m_bytes.data(); }
    std::string toHex() const;
    // The SQLCipher raw-key literal: x'<64 hex digits>'.
    std::string sqlcipherLiteral() const;

    bool operator==(const RawKey &other) const;

private:
    std::array<std::uint8_t, size> m_bytes{};
};

} // namespace sigess::store
