#include "net/websocket_session.h"

#include "sync/frame_codec.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <cassert>
#include <chrono>

namespace sigess::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

template <typename Stream>
WebSocketSession<Stream>::WebSocketSession(Stream stream, ServerContext &context, ConnectionLimiter::Ticket ticket,
                                           PeerInfo peer)
    : m_ws(std::move(stream)), m_context(context), m_ticket(std::move(ticket)), m_peer(std::move(peer))
{
}

template <typename Stream>
WebSocketSession<Stream>::~WebSocketSession()
{
    if (m_accepted) {
        m_context.hub.leave(this);
        m_context.metrics.websocketsOpen.add(-1);
    }
    m_context.sessionGone(this);
}

template <typename Stream>
void WebSocketSession<Stream>::run(Request request)
{
    m_context.sessions.add(this, this->weak_from_this());
    const auto &timeouts = m_context.options.timeouts;
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = timeouts.handshake;
    timeout.idle_timeout = timeouts.websocketIdle;
    timeout.keep_alive_pings = true;
    m_ws.set_option(timeout);
    // The frame limit is enforced in onRead, which can then close with a reason that
    // says what happened; Beast's own limit would close with a bare code.
    m_ws.read_message_max(0);
    m_ws.binary(true);
    m_ws.async_accept(request, beast::bind_front_handler(&WebSocketSession::onAccept, this->shared_from_this()));
}

template <typename Stream>
void WebSocketSession<Stream>::onAccept(beast::error_code error)
{
    if (error) {
        m_context.logger.log(LogLevel::Debug, "websocket_accept_failed",
                             {{"peer", m_peer.address}, {"error", error.message()}});
        return;
    }
    m_accepted = true;
    m_context.metrics.websocketsOpen.add(1);
    m_session = m_context.handlers.sync(SyncLink(this->weak_from_this()), m_peer);
    m_context.hub.join(this, this->weak_from_this());
    m_context.logger.log(LogLevel::Info, "websocket_open", {{"peer", m_peer.address}});
    readMore();
}

template <typename Stream>
void WebSocketSession<Stream>::readMore()
{
    // Never buffer more than one byte past the limit: that byte is the proof of excess.
    const std::size_t room = m_context.options.limits.frameBytes + 1 - m_buffer.size();
    m_ws.async_read_some(m_buffer, room,
                         beast::bind_front_handler(&WebSocketSession::onRead, this->shared_from_this()));
}

template <typename Stream>
void WebSocketSession<Stream>::onRead(beast::error_code error, std::size_t)
{
    if (error) {
        if (error == websocket::error::closed)
            return finish("closed_by_peer");
        if (error == beast::error::timeout)
            return finish("timeout");
        return finish(m_closeSent ? "closed_by_server" : "connection_lost");
    }
    const std::size_t limit = m_context.options.limits.frameBytes;
    if (m_buffer.size() > limit) {
        m_context.logger.log(LogLevel::Warn, "websocket_frame_too_large",
                             {{"peer", m_peer.address}, {"limit", limit}});
        // The closing handshake reads and discards the rest of the message.
        return startClosing(websocket::close_code::too_big,
                            "frame exceeds the limit of " + std::to_string(limit) + " bytes");
    }
    if (!m_ws.is_message_done())
        return readMore();
    handleMessage();
    m_buffer.clear();
    if (m_closeReason)
        return;
    // A device that sends faster than it reads its answers is not read from until its
    // queue drains, so its requests cannot grow the queue (and the server's memory).
    if (m_queuedBytes > m_context.options.limits.websocketQueueBytes / 2) {
        m_readPaused = true;
        return;
    }
    readMore();
}

template <typename Stream>
void WebSocketSession<Stream>::handleMessage()
{
    m_context.metrics.syncFramesIn.increment();
    if (!m_ws.got_binary())
        return reject(0, "text_frame", "sync frames are binary sigess.v1.Envelope messages, not text");
    const auto bytes = beast::buffers_to_string(m_buffer.data());
    sync::FrameLimits limits;
    limits.maxFrameBytes = m_context.options.limits.frameBytes;
    auto frame = sync::decodeFrame(bytes, limits);
    if (!frame.ok())
        return reject(0, "malformed_frame", frame.error().message);
    if (frame->has_push()) {
        m_context.metrics.syncOpsReceived.increment(static_cast<std::uint64_t>(frame->push().ops_size()));
        if (!admitPush(*frame))
            return;
    }
    const auto started = std::chrono::steady_clock::now();
    m_session->onFrame(std::move(frame).value());
    m_context.metrics.syncFrameSeconds.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

template <typename Stream>
bool WebSocketSession<Stream>::admitPush(const v1::Envelope &frame)
{
    if (!m_pushWindow)
        return true;
    if (m_unansweredPushes.size() < *m_pushWindow) {
        m_unansweredPushes.push_back(frame.sequence());
        return true;
    }
    const std::string window = std::to_string(*m_pushWindow);
    m_heldRefusals.emplace_back(
        m_unansweredPushes.back(),
        rejectFrame(frame.sequence(), "window_exceeded",
                    "this Push was not applied: " + window + " earlier Pushes still wait for their answer, and the "
                        "Welcome allows " + window + " at a time (max_in_flight); read their Acks, then send it again"));
    return false;
}

template <typename Stream>
void WebSocketSession<Stream>::reject(std::uint64_t inReplyTo, const std::string &code, const std::string &reason)
{
    enqueue(rejectFrame(inReplyTo, code, reason));
}

template <typename Stream>
std::shared_ptr<const std::string> WebSocketSession<Stream>::rejectFrame(std::uint64_t inReplyTo, const std::string &code,
                                                                        const std::string &reason)
{
    m_context.metrics.syncFramesRejected.increment();
    m_context.logger.log(LogLevel::Info, "sync_frame_rejected", {{"peer", m_peer.address}, {"code", code}});
    v1::Envelope envelope;
    envelope.set_sequence(inReplyTo);
    auto *frame = envelope.mutable_reject();
    frame->set_code(code);
    frame->set_reason(reason);
    frame->set_in_reply_to(inReplyTo);
    return std::make_shared<const std::string>(sync::encodeFrame(envelope));
}

template <typename Stream>
void WebSocketSession<Stream>::sendEncoded(std::shared_ptr<const std::string> frame)
{
    sendFrame(std::move(frame), {});
}

template <typename Stream>
void WebSocketSession<Stream>::sendFrame(std::shared_ptr<const std::string> frame, FrameTraits traits)
{
    asio::post(m_ws.get_executor(), [self = this->shared_from_this(), frame = std::move(frame), traits]() mutable {
        self->enqueue(std::move(frame), traits);
    });
}

template <typename Stream>
void WebSocketSession<Stream>::enqueue(std::shared_ptr<const std::string> frame, FrameTraits traits)
{
    if (!m_accepted || m_closeReason)
        return;
    if (m_queuedBytes + frame->size() > m_context.options.limits.websocketQueueBytes) {
        // A device that does not read would not read a close frame either.
        m_context.logger.log(LogLevel::Warn, "websocket_slow_reader", {{"peer", m_peer.address}});
        beast::get_lowest_layer(m_ws).close();
        return;
    }
    // A window of 0 would refuse every Push; the device is then allowed one at a time.
    if (traits.kind == FrameTraits::Kind::Welcome)
        m_pushWindow = std::max<std::uint32_t>(traits.window, 1);
    m_queuedBytes += frame->size();
    m_queue.push_back(Outgoing{std::move(frame), traits});
    if (m_queue.size() == 1)
        writeNext();
}

template <typename Stream>
void WebSocketSession<Stream>::writeNext()
{
    m_ws.async_write(asio::buffer(*m_queue.front().bytes),
                     beast::bind_front_handler(&WebSocketSession::onWrite, this->shared_from_this()));
}

template <typename Stream>
void WebSocketSession<Stream>::onWrite(beast::error_code error, std::size_t)
{
    if (error)
        return;  // the pending read fails too and ends the session
    m_context.metrics.syncFramesOut.increment();
    const Outgoing &written = m_queue.front();
    // Answers leave in the order of the Pushes, so a written answer can only be the oldest's.
    const bool answeredPush = written.traits.kind == FrameTraits::Kind::Answer && !m_unansweredPushes.empty()
                              && m_unansweredPushes.front() == written.traits.sequence;
    m_queuedBytes -= written.bytes->size();
    m_queue.pop_front();
    if (answeredPush) {
        const std::uint64_t answered = m_unansweredPushes.front();
        m_unansweredPushes.pop_front();
        // Queued without enqueue(), which would start a second write beside the one
        // this handler starts next.
        while (!m_heldRefusals.empty() && m_heldRefusals.front().first == answered) {
            m_queuedBytes += m_heldRefusals.front().second->size();
            m_queue.push_back(Outgoing{std::move(m_heldRefusals.front().second), {}});
            m_heldRefusals.pop_front();
        }
    }
    if (m_readPaused && !m_closeReason && m_queuedBytes <= m_context.options.limits.websocketQueueBytes / 4) {
        m_readPaused = false;
        readMore();
    }
    if (!m_queue.empty())
        return writeNext();
    if (m_closeReason && !m_closeSent) {
        m_closeSent = true;
        m_ws.async_close(*m_closeReason,
                         beast::bind_front_handler(&WebSocketSession::onClosed, this->shared_from_this()));
    }
}

template <typename Stream>
void WebSocketSession<Stream>::close(websocket::close_code code, std::string reason)
{
    asio::post(m_ws.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason)]() mutable {
        self->startClosing(code, std::move(reason));
    });
}

template <typename Stream>
void WebSocketSession<Stream>::startClosing(websocket::close_code code, std::string reason)
{
    if (!m_accepted || m_closeReason)
        return;
    // WebSocket close reasons are limited to 123 bytes.
    reason.resize(std::min<std::size_t>(reason.size(), 123));
    m_closeReason = websocket::close_reason(code, reason);
    m_context.logger.log(LogLevel::Info, "websocket_closing",
                         {{"peer", m_peer.address}, {"code", static_cast<int>(code)}, {"reason", reason}});
    // Frames already queued (a Wipe before the close) go out first; onWrite then closes.
    if (m_queue.empty()) {
        m_closeSent = true;
        m_ws.async_close(*m_closeReason,
                         beast::bind_front_handler(&WebSocketSession::onClosed, this->shared_from_this()));
    }
}

template <typename Stream>
void WebSocketSession<Stream>::onClosed(beast::error_code)
{
    finish("closed_by_server");
}

template <typename Stream>
void WebSocketSession<Stream>::post(std::function<void(SyncSession &)> work)
{
    asio::post(m_ws.get_executor(), [self = this->shared_from_this(), work = std::move(work)] {
        if (self->m_session)
            work(*self->m_session);
    });
}

template <typename Stream>
void WebSocketSession<Stream>::defer(std::function<void()> work)
{
    // Every connection runs on a strand of the server's io_context (listener.cpp), whose
    // inner executor is the pool itself.
    using Strand = asio::strand<asio::io_context::executor_type>;
    const Strand *strand = m_ws.get_executor().template target<Strand>();
    assert(strand != nullptr);
    asio::post(strand->get_inner_executor(), std::move(work));
}

template <typename Stream>
void WebSocketSession<Stream>::drain()
{
    close(websocket::close_code::going_away, "server shutting down");
}

template <typename Stream>
void WebSocketSession<Stream>::forceClose()
{
    asio::post(m_ws.get_executor(), [self = this->shared_from_this()] {
        beast::get_lowest_layer(self->m_ws).close();
    });
}

template <typename Stream>
void WebSocketSession<Stream>::finish(const char *why)
{
    if (!m_session)
        return;
    m_session->onClose();
    m_session.reset();
    m_context.logger.log(LogLevel::Info, "websocket_closed", {{"peer", m_peer.address}, {"why", why}});
}

template class WebSocketSession<PlainStream>;
template class WebSocketSession<TlsStream>;

} // namespace sigess::net
