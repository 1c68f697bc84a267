// One sync WebSocket connection: reads binary frames under the frame limit, decodes each
// Envelope (answering what does not decode with a Reject frame), hands the rest to its
// SyncSession in order, and writes outgoing frames through a queue so that only one
// write is ever in flight. Once it has sent the Welcome it keeps the device's Push
// window (handler.h, FrameTraits): a Push beyond it is refused here, never applied.
// Internal to net/.
// Thread safety: everything runs on the connection's strand; the SyncChannel and
// DrainableSession members may be called from any thread (they post onto it).
#pragma once

#include "net/server_context.h"
#include "net/streams.h"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <list>
#include <memory>
#include <optional>

namespace sigess::net {

template <typename Stream>
class WebSocketSession : public SyncChannel,
                         public DrainableSession,
                         public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
    WebSocketSession(Stream stream, ServerContext &context, ConnectionLimiter::Ticket ticket, PeerInfo peer);
    ~WebSocketSession() override;

    void run(Request request);

    void sendEncoded(std::shared_ptr<const std::string> frame) override;
    void sendFrame(std::shared_ptr<const std::string> frame, FrameTraits traits) override;
    void close(boost::beast::websocket::close_code code, std::string reason) override;
    void post(std::function<void(SyncSession &)> work) override;
    void defer(std::function<void()> work) override;
    void drain() override;
    void forceClose() override;

private:
    void onAccept(boost::beast::error_code error);
    void readMore();
    void onRead(boost::beast::error_code error, std::size_t bytes);
    void handleMessage();
    void reject(std::uint64_t inReplyTo, const std::string &code, const std::string &reason);
    std::shared_ptr<const std::string> rejectFrame(std::uint64_t inReplyTo, const std::string &code,
                                                   const std::string &reason);
    // Whether the Push `frame` fits the window; it is then counted until answered.
    bool admitPush(const v1::Envelope &frame);
    void enqueue(std::shared_ptr<const std::string> frame, FrameTraits traits = {});
    void writeNext();
    void onWrite(boost::beast::error_code error, std::size_t bytes);
    void startClosing(boost::beast::websocket::close_code code, std::string reason);
    void onClosed(boost::beast::error_code error);
    void finish(const char *why);

    boost::beast::websocket::stream<Stream> m_ws;
    ServerContext &m_context;
    ConnectionLimiter::Ticket m_ticket;
    PeerInfo m_peer;
    boost::beast::flat_buffer m_buffer;
    std::unique_ptr<SyncSession> m_session;
    struct Outgoing {
        std::shared_ptr<const std::string> bytes;
        FrameTraits traits;
    };
    std::deque<Outgoing> m_queue;
    // Set by the Welcome sent; until then Pushes are the session's to refuse.
    std::optional<std::uint32_t> m_pushWindow;
    // Sequences of the Pushes handed to the session whose answer is not written yet.
    std::deque<std::uint64_t> m_unansweredPushes;
    // Refusals of Pushes beyond the window, each held until the answer to the Push before
    // it (the sequence) is written: the session answers Pushes later, from the thread that
    // stored them, and answers leave in the order of the frames. A list, because an
    // empty std::deque already holds about 600 bytes and most connections are idle.
    std::list<std::pair<std::uint64_t, std::shared_ptr<const std::string>>> m_heldRefusals;
    std::size_t m_queuedBytes = 0;
    std::optional<boost::beast::websocket::close_reason> m_closeReason;
    bool m_accepted = false;
    bool m_closeSent = false;
    bool m_readPaused = false;  // until the write queue drains (backpressure)
};

} // namespace sigess::net
