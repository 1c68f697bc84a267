// Pagination cursors the client cannot forge. The storage layer's cursor (or an audit
// sequence) travels inside a token signed with the server's key (HMAC-SHA256) over the
// list it belongs to: who asked, which path, which filters. A cursor that was altered,
// or replayed on another list or by another caller, is refused as Invalid; so a client
// can only move forward through the very list it was given. (The list's scope is also
// re-applied on every page by the storage layer, so even a leaked key widens nothing.)
// Thread safety: immutable after construction.
#pragma once

#include "core/result.h"

#include <string>
#include <string_view>

namespace sigess::api {

class CursorSigner {
public:
    static constexpr std::size_t minKeyBytes = 32;

    // Throws std::invalid_argument for a key shorter than minKeyBytes (a start-up error).
    explicit CursorSigner(std::string key);

    // The token for `inner` on the list named by `binding`; empty for an empty inner cursor.
    std::string seal(std::string_view binding, std::string_view inner) const;
    // The inner cursor; empty for an empty token; Invalid for a token not sealed here for
    // this binding.
    Result<std::string> open(std::string_view binding, std::string_view token) const;

private:
    std::string mac(std::string_view binding, std::string_view inner) const;

    std::string m_key;
};

} // namespace sigess::api
