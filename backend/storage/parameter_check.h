// Internal to the storage drivers: the checks every statement's parameters pass before
// either driver runs it, so both stores refuse the same values in the same words.
// Thread safety: free functions, no state.
#pragma once

#include "core/result.h"
#include "storage/sql.h"

#include <span>

#include <string_view>

namespace sigess::storage {

bool isValidUtf8(std::string_view text);

// Invalid for a text parameter that is not UTF-8 or holds a NUL character.
Status checkParameters(std::span<const SqlValue> params);

} // namespace sigess::storage
