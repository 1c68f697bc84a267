#include "core/uuid.h"

#include "core/text_codec.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace sigess::core {

namespace {

constexpr std::size_t canonicalLength = 36;
constexpr std::uint16_t counterLimit = 1u << 12;
constexpr std::uint16_t counterSeedMask = 0x07FF; // top counter bit clear: room to count

bool isDashPosition(std::size_t position)
{
    return position == 8 || position == 13 || position == 18 || position == 23;
}

std::string misplaced(std::size_t index, std::string_view expected, char found)
{
    return "UUID character " + std::to_string(index + 1) + " must be " + std::string(expected) + ", found '"
        + found + "'";
}

} // namespace

Result<Uuid> Uuid::parse(std::string_view text)
{
    if (text.size() != canonicalLength) {
        return makeError(ErrorCode::Invalid,
            "a UUID has 36 characters (8-4-4-4-12 hexadecimal digits), found " + std::to_string(text.size()));
    }
    Bytes bytes {};
    std::size_t nibble = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isDashPosition(i)) {
            if (c != '-')
                return makeError(ErrorCode::Invalid, misplaced(i, "'-'", c));
            continue;
        }
        const int value = core::hexValue(c);
        if (value < 0)
            return makeError(ErrorCode::Invalid, misplaced(i, "a hexadecimal digit", c));
        auto &byte = bytes[nibble / 2];
        byte = static_cast<std::uint8_t>(nibble % 2 == 0 ? value << 4 : byte | value);
        ++nibble;
    }
    return Uuid(bytes);
}

std::string Uuid::toString() const
{
    std::string text;
    text.reserve(canonicalLength);
    for (std::size_t i = 0; i < m_bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            text += '-';
        text += hexDigit(static_cast<unsigned>(m_bytes[i]) >> 4);
        text += hexDigit(m_bytes[i]);
    }
    return text;
}

bool Uuid::isNil() const
{
    return *this == Uuid();
}

int Uuid::version() const
{
    return m_bytes[6] >> 4;
}

std::uint64_t Uuid::timestampMs() const
{
    std::uint64_t ms = 0;
    for (std::size_t i = 0; i < 6; ++i)
        ms = (ms << 8) | m_bytes[i];
    return ms;
}

UuidV7Generator::UuidV7Generator(const Clock &clock)
    : m_clock(clock)
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium could not be initialised");
    m_counter = static_cast<std::uint16_t>(randombytes_uniform(counterSeedMask + 1u));
}

Uuid UuidV7Generator::next()
{
    // The first two bytes seed the counter, the other eight become rand_b.
    std::array<std::uint8_t, randomBytesPerId> random {};
    std::uint64_t ms = 0;
    std::uint16_t counter = 0;
    {
        const std::lock_guard lock(m_mutex);
        // Drawn a pool at a time: randombytes_buf is a system call (getrandom), which
        // cost more than the rest of an id when a Push or a pull audit made thousands.
        if (m_randomUsed == m_random.size()) {
            randombytes_buf(m_random.data(), m_random.size());
            m_randomUsed = 0;
        }
        std::copy_n(m_random.begin() + static_cast<std::ptrdiff_t>(m_randomUsed), random.size(), random.begin());
        sodium_memzero(m_random.data() + m_randomUsed, random.size());
        m_randomUsed += random.size();
        const auto seed = static_cast<std::uint16_t>(((random[0] << 8) | random[1]) & counterSeedMask);
        const std::uint64_t nowMs = m_clock.nowMs();
        if (nowMs > m_lastMs) {
            m_lastMs = nowMs;
            m_counter = seed;
        } else if (++m_counter == counterLimit) {
            ++m_lastMs;
            m_counter = seed;
        }
        ms = m_lastMs;
        counter = m_counter;
    }

    Uuid::Bytes bytes {};
    for (std::size_t i = 0; i < 6; ++i)
        bytes[i] = static_cast<std::uint8_t>(ms >> (8 * (5 - i)));
    bytes[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));
    bytes[7] = static_cast<std::uint8_t>(counter & 0xFF);
    for (std::size_t i = 8; i < 16; ++i)
        bytes[i] = random[i - 6];
    bytes[8] = static_cast<std::uint8_t>(0x80 | (bytes[8] & 0x3F));
    return Uuid(bytes);
}

} // namespace sigess::core
