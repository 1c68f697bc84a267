// Small files that must never be seen half-written (the wrapped key, the device
// secret): the bytes go to a temporary file beside the target, which is synced and
// then renamed (or linked) into place, and the directory is synced so the new name
// survives a power cut. Files are created with mode 0600.
// Thread safety: free functions; concurrent writers of one path get last-rename-wins
// (Replace) or exactly one winner (CreateNew).
#pragma once

#include "core/result.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace sigess::store {

enum class WriteMode {
    Replace,    // atomically replaces an existing file
    CreateNew,  // fails with ErrorCode::Conflict when the file exists
};

Status writeFileAtomically(const std::string &path, std::string_view bytes, WriteMode mode);

// Reads a whole file of at most maxBytes bytes (ErrorCode::NotFound when absent,
// ErrorCode::Corrupt when larger).
Result<std::string> readSmallFile(const std::string &path, std::size_t maxBytes);

} // namespace sigess::store
