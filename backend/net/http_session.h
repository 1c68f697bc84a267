// One HTTP connection (plain or TLS): reads requests one at a time under the header and
// body limits and the idle, header and body timeouts, answers each through the router,
// and hands the connection to a WebSocketSession when a sync upgrade is accepted.
// Internal to net/. Thread safety: everything runs on the connection's strand; drain()
// and forceClose() may be called from any thread.
#pragma once

#include "net/server_context.h"
#include "net/streams.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace sigess::net {

template <typename Stream>
class HttpSession : public DrainableSession, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Stream stream, ServerContext &context, ConnectionLimiter::Ticket ticket, PeerInfo peer);
    ~HttpSession() override;

    void run();
    void drain() override;
    void forceClose() override;

private:
    enum class Phase { Handshake, Idle, Reading, Handling, Writing, Closing, Upgraded };

    void start();
    void onHandshake(boost::beast::error_code error);
    void waitForRequest();
    void onFirstBytes(boost::beast::error_code error, std::size_t bytes);
    void readHeader();
    void onHeader(boost::beast::error_code error, std::size_t bytes);
    void onBody(boost::beast::error_code error, std::size_t bytes);
    void onReadError(boost::beast::error_code error, const char *phase);
    void handle();
    void upgrade(Request request);
    void send(Response response);
    void sendAndClose(Response response);
    void onWrite(boost::beast::error_code error, std::size_t bytes);
    void close();
    void lingerUntilPeerCloses();

    Stream m_stream;
    ServerContext &m_context;
    std::optional<ConnectionLimiter::Ticket> m_ticket;
    PeerInfo m_peer;
    boost::beast::flat_buffer m_buffer;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> m_parser;
    std::shared_ptr<Response> m_response;
    std::string m_method;
    std::string m_path;
    std::chrono::steady_clock::time_point m_requestStart;
    Phase m_phase = Phase::Handshake;
};

} // namespace sigess::net
