// Turns one complete HTTP request into its response: the server's own endpoints
// (/healthz, /metrics) and then the routes given by server/, first matching prefix
// wins. A plain function so it can be tested without sockets.
// Thread safety: as the handlers it calls.
#pragma once

#include "net/server_context.h"

#include <string_view>

namespace sigess::net {

Response routeRequest(const ServerContext &context, const Request &request, const PeerInfo &peer);

// The request target without its query string: what logs and routing look at (the query
// may hold personal data, such as a name searched for).
std::string_view targetPath(std::string_view target);

} // namespace sigess::net
