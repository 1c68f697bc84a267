// The seams between the network server and the code that gives requests meaning.
//
// HTTP: a route is a path prefix and a plain function from request to response
// (HttpHandler), so the API can be tested without sockets. It runs on the
// connection's strand in the server's thread pool and may block (a database call), so
// it must be safe to call from several threads at once for different connections.
//
// WebSocket sync: for each accepted sync connection the server asks a
// SyncSessionFactory for a SyncSession, then hands it every decoded frame in order on
// that connection's strand (so a session needs no lock of its own for its state). The
// session answers through its SyncLink, which may also be used from any other thread;
// frames that do not decode never reach the session (the server answers them with a
// Reject frame itself).
#pragma once

#include "core/result.h"
#include "sigess/v1/sync.pb.h"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sigess::net {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct PeerInfo {
    std::string address;  // the client's IP address, as text
    std::uint16_t port = 0;
    bool tls = false;
};

using HttpHandler = std::function<Response(const Request &, const PeerInfo &)>;

struct HttpRoute {
    std::string prefix;  // "/api/": matches "/api/v1/login"
    HttpHandler handler;
};

// Whether the server can do useful work (for /healthz); server/ passes one that checks
// the store.
using HealthCheck = std::function<Status()>;

class SyncSession {
public:
    virtual ~SyncSession();
    // The frame is the session's to keep (a Push may be stored after onFrame returns).
    virtual void onFrame(v1::Envelope frame) = 0;
    // The connection is gone (closed by either side, timed out, or the server stops).
    virtual void onClose() = 0;
};

class SyncChannel;

// What a connection must know of a frame it sends to keep the device's Push window: a
// Welcome announces the window (max_in_flight), and an Ack or a Reject answers the frame
// whose sequence it carries. The server refuses a Push that would leave more Pushes
// unanswered than the window allows; a Push counts as answered once its answer is written
// to the network, so a device that sends without reading its answers is refused, push by
// push, with a non-fatal Reject "window_exceeded".
struct FrameTraits {
    enum class Kind { Other, Welcome, Answer };
    Kind kind = Kind::Other;
    std::uint64_t sequence = 0;  // Answer: the sequence of the frame it answers
    std::uint32_t window = 0;    // Welcome: Pushes the device may have unanswered

    static FrameTraits of(const v1::Envelope &frame);
};

// A weak handle on one sync connection: sending on a closed connection is a no-op that
// returns false, so a session or the hub never keeps a connection alive.
class SyncLink {
public:
    SyncLink() = default;
    explicit SyncLink(std::weak_ptr<SyncChannel> channel);

    bool send(const v1::Envelope &frame) const;
    // A frame already encoded (sync/frame_codec.h) that answers no Push: a Pull's answer.
    bool sendEncoded(std::string frame) const;
    bool close(boost::beast::websocket::close_code code, const std::string &reason) const;
    bool connected() const;
    // SyncChannel::post and SyncChannel::defer on a connection that is still open.
    bool post(std::function<void(SyncSession &)> work) const;
    bool defer(std::function<void()> work) const;

private:
    std::weak_ptr<SyncChannel> m_channel;
};

// Implemented by the server's WebSocket session; visible here for SyncLink and the hub.
class SyncChannel {
public:
    virtual ~SyncChannel();
    virtual void sendEncoded(std::shared_ptr<const std::string> frame) = 0;
    // A frame with what it means for the Push window; a channel that keeps no window
    // sends it as any other.
    virtual void sendFrame(std::shared_ptr<const std::string> frame, FrameTraits) { sendEncoded(std::move(frame)); }
    virtual void close(boost::beast::websocket::close_code code, std::string reason) = 0;
    // Runs `work` with this connection's session, on its strand.
    virtual void post(std::function<void(SyncSession &)> work) = 0;
    // Runs `work` on the server's thread pool off every connection's strand, so that
    // long work (storing the Pushes of many connections) keeps no connection from being
    // read meanwhile. A channel without a pool runs it at once, on the caller's thread.
    virtual void defer(std::function<void()> work) { work(); }
};

using SyncSessionFactory = std::function<std::unique_ptr<SyncSession>(SyncLink link, const PeerInfo &peer)>;

struct Handlers {
    std::vector<HttpRoute> routes;  // the first matching prefix wins
    SyncSessionFactory sync;        // empty: the sync path answers 404
    HealthCheck health;             // empty: healthy while the server runs
};

// Responses in the API's error shape, {"error":{"code":"...","message":"..."}}, so a
// client reads a limit or a timeout the same way as any API error.
Response makeErrorResponse(boost::beast::http::status status, const std::string &code, const std::string &message,
                           unsigned version = 11);

} // namespace sigess::net
