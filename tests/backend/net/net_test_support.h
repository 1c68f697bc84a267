// Helpers for the server tests: a server started in-process on 127.0.0.1:0 with short
// timeouts and a captured log, and small clients that never block for long (each wait
// has a deadline, so a broken server fails a test instead of hanging it).
#pragma once

#include "core/clock.h"
#include "net/log.h"
#include "net/server.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace sigess::net::testing {

using namespace std::chrono_literals;

// Plaintext on loopback, a free port, two threads and timeouts in milliseconds.
ServerOptions fastOptions();

class TestServer {
public:
    explicit TestServer(ServerOptions options = fastOptions(), Handlers handlers = {});
    ~TestServer();

    Server &server() { return *m_server; }
    std::uint16_t port() const { return m_server->port(); }
    // Whether some log line so far contains every one of the fragments.
    bool logged(const std::vector<std::string> &fragments) const;
    // The same, waiting up to `limit` for the line: a server logs an event on its own
    // threads, possibly after the client already saw its effect.
    bool logsWithin(const std::vector<std::string> &fragments, std::chrono::milliseconds limit = 5s) const;
    std::string log() const;

private:
    core::ManualClock m_clock{1'700'000'000'000};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
    Logger m_logger;
    std::unique_ptr<Server> m_server;
};

Request makeRequest(boost::beast::http::verb verb, const std::string &target, std::string body = {});

struct Exchange {
    boost::beast::error_code error;
    Response response;
};

// One request on a new connection (plain, or TLS verified against caFile).
Exchange fetch(std::uint16_t port, Request request, std::chrono::milliseconds limit = 5s);
Exchange fetchTls(std::uint16_t port, Request request, const std::string &caFile,
                  std::chrono::milliseconds limit = 5s);

// A raw TCP client for the cases a well-behaved client cannot produce.
class RawClient {
public:
    explicit RawClient(std::uint16_t port);

    bool connected() const { return !m_connectError; }
    boost::beast::error_code connectError() const { return m_connectError; }
    bool send(const std::string &bytes);
    // Reads what arrives within `limit`; error is operation_aborted when nothing did.
    struct Read {
        boost::beast::error_code error;
        std::string bytes;
    };
    Read read(std::chrono::milliseconds limit);
    // Whether the server closed the connection within `limit` (bytes before it ignored).
    bool closedWithin(std::chrono::milliseconds limit);
    Exchange exchange(Request request, std::chrono::milliseconds limit = 5s);
    void close();

private:
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::socket m_socket;
    boost::beast::error_code m_connectError;
    boost::beast::flat_buffer m_buffer;
};

} // namespace sigess::net::testing
