#include "api/cursor.h"

#include <sodium.h>

#include <stdexcept>

namespace sigess::api {

namespace {

constexpr int base64Variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr std::size_t maxTokenBytes = 4096;

std::string toBase64(std::string_view bytes)
{
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), base64Variant), '\0');
    sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char *>(bytes.data()),
                      bytes.size(), base64Variant);
    text.resize(text.find('\0'));
    return text;
}

Result<std::string> fromBase64(std::string_view text)
{
    std::string bytes(text.size(), '\0');
    std::size_t length = 0;
    const char *end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char *>(bytes.data()), bytes.size(), text.data(), text.size(),
                          nullptr, &length, &end, base64Variant)
            != 0
        || end != text.data() + text.size()) {
        return makeError(ErrorCode::Invalid, "bad base64");
    }
    bytes.resize(length);
    return bytes;
}

Error badCursor()
{
    return makeError(ErrorCode::Invalid, "the cursor is malformed, altered or belongs to another list");
}

} // namespace

CursorSigner::CursorSigner(std::string key)
    : m_key(std::move(key))
{
    if (m_key.size() < minKeyBytes)
        throw std::invalid_argument("the cursor key needs at least 32 bytes");
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium failed to initialise");
}

std::string CursorSigner::seal(std::string_view binding, std::string_view inner) const
{
    if (inner.empty())
        return {};
    return toBase64(inner) + "." + toBase64(mac(binding, inner));
}

Result<std::string> CursorSigner::open(std::string_view binding, std::string_view token) const
{
    if (token.empty())
        return std::string();
    const std::size_t dot = token.find('.');
    if (token.size() > maxTokenBytes || dot == std::string_view::npos)
        return badCursor();
    auto inner = fromBase64(token.substr(0, dot));
    auto tag = fromBase64(token.substr(dot + 1));
    if (!inner || !tag || inner->empty() || tag->size() != crypto_auth_hmacsha256_BYTES)
        return badCursor();
    const std::string expected = mac(binding, *inner);
    if (sodium_memcmp(expected.data(), tag->data(), expected.size()) != 0)
        return badCursor();
    return std::move(inner).value();
}

std::string CursorSigner::mac(std::string_view binding, std::string_view inner) const
{
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(m_key.data()), m_key.size());
    // The binding's length goes first, so that no binding/inner split can be shifted.
    const std::string length = std::to_string(binding.size()) + ":";
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(length.data()), length.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(binding.data()), binding.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(inner.data()), inner.size());
    std::string tag(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(tag.data()));
    return tag;
}

} // namespace sigess::api
