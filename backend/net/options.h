// What the network server needs to know to run: where to listen, how to secure the
// connection, and the limits and timeouts that keep misbehaving clients from holding
// its resources. Filled from the config file by server/, or by hand in tests.
// Thread safety: a plain value; the server keeps its own copy.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sigess::net {

struct Limits {
    std::size_t headerBytes = 8 * 1024;
    std::size_t bodyBytes = 1024 * 1024;
    // Largest WebSocket message; far below Beast's 16 MiB default so one client cannot
    // make the server buffer a huge frame.
    std::size_t frameBytes = 1024 * 1024;
    // Frames queued for a device that reads slower than the server writes; past this the
    // device is disconnected rather than letting the queue grow without bound. Past half
    // of it the server stops reading the device's frames until a quarter is left.
    std::size_t websocketQueueBytes = 8 * 1024 * 1024;
    std::size_t connectionsPerClient = 32;
    std::size_t connections = 20000;
};

struct Timeouts {
    using Duration = std::chrono::milliseconds;
    Duration handshake{std::chrono::seconds(10)};  // TLS handshake
    Duration idle{std::chrono::seconds(60)};       // keep-alive wait for the next request
    Duration header{std::chrono::seconds(10)};     // first byte of a request to its full header
    Duration body{std::chrono::seconds(30)};
    Duration write{std::chrono::seconds(30)};
    Duration websocketIdle{std::chrono::seconds(120)};  // pings are sent at half of it
    Duration drain{std::chrono::seconds(30)};  // graceful stop: in-flight work gets this long
};

enum class Transport { Tls, PlaintextLoopback };

struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8443;  // 0 picks a free port (tests)
    Transport transport = Transport::Tls;
    std::string certificateFile;  // PEM chain: the server's certificate first
    std::string privateKeyFile;   // PEM
    std::string syncPath = "/v1/sync";
    // Origins a browser may open the sync WebSocket from; a request without an Origin
    // header (a kiosk or tablet, not a browser) is not subject to this check.
    std::vector<std::string> allowedOrigins;
    Limits limits;
    Timeouts timeouts;
    unsigned threads = 0;  // 0: one per core
};

} // namespace sigess::net
