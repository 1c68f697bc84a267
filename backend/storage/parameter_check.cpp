#include "storage/parameter_check.h"

#include <cstddef>
#include <string>

namespace sigess::storage {

bool isValidUtf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t codePoint = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            codePoint = lead & 0x1Fu;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            codePoint = lead & 0x0Fu;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            codePoint = lead & 0x07u;
        } else {
            return false;
        }
        if (text.size() - i < length)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0u) != 0x80u)
                return false;
            codePoint = (codePoint << 6) | (next & 0x3Fu);
        }
        // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
        const char32_t smallest = length == 3 ? 0x800 : 0x10000;
        if ((length > 2 && codePoint < smallest) || (codePoint >= 0xD800 && codePoint <= 0xDFFF)
            || codePoint > 0x10FFFF)
            return false;
        i += length;
    }
    return true;
}

Status checkParameters(std::span<const SqlValue> params)
{
    for (std::size_t index = 0; index < params.size(); ++index) {
        const SqlValue &value = params[index];
        if (value.kind() != SqlValue::Kind::Text)
            continue;
        const std::string &text = value.text();
        if (text.find('\0') != std::string::npos)
            return makeError(ErrorCode::Invalid,
                             "parameter $" + std::to_string(index + 1) + " holds a NUL character");
        if (!isValidUtf8(text))
            return makeError(ErrorCode::Invalid,
                             "parameter $" + std::to_string(index + 1) + " is not valid UTF-8 text");
    }
    return {};
}

} // namespace sigess::storage
