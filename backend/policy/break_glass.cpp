#include "policy/break_glass.h"

#include "policy/policy.h"

#include <optional>
#include <string>

namespace sigess::policy {

namespace {

std::string_view trimmed(std::string_view text)
{
    constexpr std::string_view space = " \t\r\n\f\v";
    const auto first = text.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

// Characters rather than bytes, so that a reason written in Italian with accents (or in
// any script) is measured as its reader sees it; nullopt when the text is not UTF-8.
std::optional<std::size_t> utf8Length(std::string_view text)
{
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t width = 0;
        if (lead < 0x80)
            width = 1;
        else if ((lead & 0xE0) == 0xC0 && lead >= 0xC2)
            width = 2;
        else if ((lead & 0xF0) == 0xE0)
            width = 3;
        else if ((lead & 0xF8) == 0xF0 && lead <= 0xF4)
            width = 4;
        else
            return std::nullopt;
        if (i + width > text.size())
            return std::nullopt;
        for (std::size_t k = 1; k < width; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
                return std::nullopt;
        }
        i += width;
        ++count;
    }
    return count;
}

} // namespace

Result<BreakGlassGrant> grantBreakGlass(const Principal &principal, GrantScope scope, std::string_view subject,
                                        std::string_view reason, const core::Clock &clock,
                                        const BreakGlassSettings &settings)
{
    if (principal.standing != Standing::Active)
        return makeError(ErrorCode::Forbidden, "a disabled operator or revoked device may not break the glass");
    if (principal.operatorId.empty() || !mayBreakGlass(principal.role)) {
        return makeError(ErrorCode::Forbidden,
                         "a " + std::string(roleName(principal.role)) + " may not break the glass");
    }
    if (subject.empty())
        return makeError(ErrorCode::Invalid, "breaking the glass needs the " + std::string(grantScopeName(scope))
                                                 + " it is for");

    const std::string_view text = trimmed(reason);
    const auto length = utf8Length(text);
    if (!length)
        return makeError(ErrorCode::Invalid, "the reason for breaking the glass is not valid UTF-8 text");
    if (*length < settings.minReasonChars) {
        return makeError(ErrorCode::Invalid, "the reason for breaking the glass must be at least "
                                                 + std::to_string(settings.minReasonChars) + " characters, got "
                                                 + std::to_string(*length));
    }

    const std::uint64_t now = clock.nowMs();
    return BreakGlassGrant{principal.operatorId, scope, std::string(subject), std::string(text), now,
                           now + settings.durationMs};
}

} // namespace sigess::policy
