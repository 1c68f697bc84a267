// Keyset pagination for every list that can grow. A page holds at most `limit` items
// and, when more follow, an opaque cursor naming the last item returned; the next
// page starts strictly after it in the list's fixed order (a sort key, then the id).
// So paging is stable under concurrent inserts: no item that existed when paging
// began is skipped or repeated. A cursor carries no authority: the list's filter
// (scope, presidio) is applied again on every page, so a tampered cursor can at most
// move within what the caller may see; a malformed one is ErrorCode::Invalid.
// Thread safety: value types.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sigess::storage {

struct PageRequest {
    static constexpr std::size_t maxLimit = 500;

    std::string cursor;      // empty for the first page
    std::size_t limit = 50;  // 1..maxLimit, else ErrorCode::Invalid
};

template <typename T>
struct Page {
    std::vector<T> items;
    std::string nextCursor;  // empty on the last page
};

} // namespace sigess::storage
