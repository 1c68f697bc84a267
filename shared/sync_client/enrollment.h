// Device enrollment: a kiosk or tablet trades the one-time code an administrator issued
// (sigessctl device enroll, or the console) for its device id and credential, through
// the backend's API (POST /api/v1/devices/exchange) on the same server and port as the
// sync endpoint, over TLS checked like the sync connection (or plaintext on loopback).
// Thread safety: a free function; it blocks the calling thread for at most `timeout`,
// so call it from a setup step or a worker, never from a UI thread.
#pragma once

#include "core/result.h"
#include "sync_client/sync_client.h"

#include <chrono>
#include <string>

namespace sigess::sync {

struct EnrolledDevice {
    std::string deviceId;
    std::string presidio;
    std::string ticketPrefix;  // kiosks: their part of every ticket number
    std::string credential;  // shown once: keep it in a file only the device's user reads
};

// `server`: the sync endpoint (parseEndpoint) whose host and port serve the API too.
// Errors: Unavailable when the server cannot be reached in time or the TLS check fails;
// the API's own code and message (an unknown or used code is Unauthorized or NotFound)
// when it refuses.
Result<EnrolledDevice> exchangeEnrollmentCode(const Endpoint &server, const std::string &caFile,
                                              const std::string &code, const std::string &label,
                                              std::chrono::milliseconds timeout = std::chrono::seconds(15));

} // namespace sigess::sync
