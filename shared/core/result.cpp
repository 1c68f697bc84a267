#include "core/result.h"

namespace sigess {

std::string_view errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Invalid: return "Invalid";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::Conflict: return "Conflict";
    case ErrorCode::Unauthorized: return "Unauthorized";
    case ErrorCode::Forbidden: return "Forbidden";
    case ErrorCode::TooLarge: return "TooLarge";
    case ErrorCode::Corrupt: return "Corrupt";
    case ErrorCode::Unavailable: return "Unavailable";
    case ErrorCode::Throttled: return "Throttled";
    case ErrorCode::Internal: return "Internal";
    }
    return "Internal";
}

std::string Error::describe() const
{
    std::string text(errorCodeName(code));
    text += ": ";
    text += message;
    return text;
}

} // namespace sigess
