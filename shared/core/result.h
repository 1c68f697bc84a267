// The one error type of SIgeSS. Every function that can fail across a library
// boundary returns Result<T>: either a value or an Error{code, message}. The message
// is a plain sentence fit to show to an operator or to put in a log; the code is what
// callers branch on (and what the backend maps to an HTTP status or a Reject frame).
// Exceptions are kept for programmer errors and start-up failures.
// Thread safety: value types, no shared state.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace sigess {

enum class ErrorCode {
    Invalid,       // the input breaks a rule (a bad codice fiscale, a malformed frame)
    NotFound,      // the thing asked for does not exist
    Conflict,      // the write collides with the current state (duplicate, stale version)
    Unauthorized,  // no valid identity: wrong password, PIN, key or credential
    Forbidden,     // a valid identity that may not do this
    TooLarge,      // over a size limit
    Corrupt,       // stored data fails an integrity check
    Unavailable,   // a resource is missing or busy for now (file, server); retry may help
    Throttled,     // too many attempts of this kind: wait the time the message names
    Internal,      // a bug or an unexpected failure of a library below us
};

std::string_view errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;

    // "Invalid: check character is 'X', expected 'Y'"
    std::string describe() const;
};

inline Error makeError(ErrorCode code, std::string message)
{
    return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { assert(ok()); return std::get<0>(m_state); }
    const T &value() const & { assert(ok()); return std::get<0>(m_state); }
    T &&value() && { assert(ok()); return std::get<0>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { assert(!ok()); return std::get<1>(m_state); }
    Error &&takeError() { assert(!ok()); return std::get<1>(std::move(m_state)); }

private:
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error &error() const { assert(m_failed); return m_error; }
    Error &&takeError() { assert(m_failed); return std::move(m_error); }

private:
    Error m_error;
    bool m_failed = false;
};

using Status = Result<void>;

} // namespace sigess

// Propagates a failed Result from the enclosing function. Kept as a macro because only
// a macro can return from its caller; used sparingly, where a chain of fallible steps
// would otherwise drown the logic in if-statements.
#define SIGESS_TRY(expr)                                              \
    do {                                                              \
        auto &&sigess_try_result_ = (expr);                           \
        if (!sigess_try_result_.ok())                                 \
            return std::move(sigess_try_result_).takeError();         \
    } while (false)
