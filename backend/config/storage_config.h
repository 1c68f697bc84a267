// The store a BackendConfig names, in the form storage/ opens (storage::openStorage),
// with a connection pool of the caller's size: the server sizes it to its worker
// threads, a command-line tool needs one or two.
// Thread safety: a free function over values.
#pragma once

#include "config/config.h"
#include "storage/storage.h"

#include <cstddef>

namespace sigess::config {

storage::StorageConfig storageConfigOf(const StorageConfig &chosen, std::size_t connections);

} // namespace sigess::config
