// A TCP port on 127.0.0.1 that nothing listens on, for a server a test or benchmark
// starts in another process (where binding port 0 and reading it back is not possible).
// The port is free when asked; another process may take it before it is used, which
// on a test machine does not happen in practice.
// Thread safety: any thread.
#pragma once

#include <cstdint>

namespace sigess::testing {

std::uint16_t freeLoopbackPort();

} // namespace sigess::testing
