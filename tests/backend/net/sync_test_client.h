// A blocking sync WebSocket client for server tests that must send exactly the frames
// they choose (no window, no retries): every wait has a deadline, so a server that never
// answers fails the test instead of hanging it.
// Thread safety: one client per thread.
#pragma once

#include "core/result.h"
#include "sync/frame_codec.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace sigess::net::testing {

class SyncTestClient {
public:
    // receiveBufferBytes: the socket's receive buffer (0: the system's), small for a test
    // in which the device stops reading and the server's writes must stall soon.
    explicit SyncTestClient(std::uint16_t port, int receiveBufferBytes = 0) : m_ws(m_io)
    {
        namespace asio = boost::asio;
        auto &socket = boost::beast::get_lowest_layer(m_ws).socket();
        socket.open(asio::ip::tcp::v4());
        if (receiveBufferBytes > 0)
            socket.set_option(asio::socket_base::receive_buffer_size(receiveBufferBytes));
        boost::beast::get_lowest_layer(m_ws).expires_after(std::chrono::seconds(10));
        boost::beast::get_lowest_layer(m_ws).connect(
            asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        m_ws.handshake("127.0.0.1", "/v1/sync");
        m_ws.binary(true);
        m_ws.read_message_max(maxFrameBytes);
    }

    void sendBytes(const std::string &bytes) { m_ws.write(boost::asio::buffer(bytes)); }
    void send(const v1::Envelope &frame) { sendBytes(sync::encodeFrame(frame)); }

    // The next frame within `limit`; Unavailable when the connection closed or nothing came.
    Result<v1::Envelope> receive(std::chrono::milliseconds limit = std::chrono::seconds(10))
    {
        // Beast's stream timeouts apply to asynchronous operations only: a synchronous
        // read would wait for ever on a server that never answers.
        boost::beast::get_lowest_layer(m_ws).expires_after(limit);
        boost::beast::flat_buffer buffer;
        boost::beast::error_code error;
        m_ws.async_read(buffer, [&error](boost::beast::error_code read, std::size_t) { error = read; });
        m_io.restart();
        m_io.run();
        if (error)
            return makeError(ErrorCode::Unavailable, error.message());
        return sync::decodeFrame(boost::beast::buffers_to_string(buffer.data()), sync::FrameLimits{maxFrameBytes});
    }

    // The next frame that is not a Notify (which may arrive at any moment).
    Result<v1::Envelope> receiveSkippingNotify(std::chrono::milliseconds limit = std::chrono::seconds(10))
    {
        while (true) {
            Result<v1::Envelope> frame = receive(limit);
            if (!frame.ok() || !frame->has_notify())
                return frame;
        }
    }

    // The close frame's reason once receive() reported the connection closed.
    boost::beast::websocket::close_reason closeReason() const { return m_ws.reason(); }

private:
    // What the server sends is the test's subject, not this client's to refuse.
    static constexpr std::size_t maxFrameBytes = 64 * 1024 * 1024;

    boost::asio::io_context m_io;
    boost::beast::websocket::stream<boost::beast::tcp_stream> m_ws;
};

} // namespace sigess::net::testing
