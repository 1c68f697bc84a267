// The SyncClient of an enrolled device, as the device side of the sync tests starts it
// (tst_sync_client, tst_sync_replay, tst_netem, the kill -9 child).
// Thread safety: a plain function.
#pragma once

#include "backend/sync/device_credentials.h"
#include "sync_client/sync_client.h"

#include <string>

namespace sigess::test {

// The server at `url`, Hello as `device`; backoff and timeouts are the caller's.
inline sync::SyncClientOptions clientOptionsFor(const std::string &url, const DeviceCredentials &device)
{
    sync::SyncClientOptions options;
    options.url = url;
    options.hello = device.hello();
    return options;
}

} // namespace sigess::test
