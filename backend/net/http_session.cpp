#include "net/http_session.h"

#include "net/router.h"
#include "net/websocket_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <limits>

namespace sigess::net {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

// What the idle wait reads at once: the first bytes of the next request.
constexpr std::size_t firstReadBytes = 1024;

bool isOriginAllowed(const ServerOptions &options, std::string_view origin)
{
    // A browser always sends Origin; kiosks and tablets do not, and they prove who they
    // are with a device credential in Hello. The check stops a page on another site
    // from opening the sync socket with an operator's browser.
    if (origin.empty())
        return true;
    return std::find(options.allowedOrigins.begin(), options.allowedOrigins.end(), origin)
           != options.allowedOrigins.end();
}

} // namespace

template <typename Stream>
HttpSession<Stream>::HttpSession(Stream stream, ServerContext &context, ConnectionLimiter::Ticket ticket,
                                 PeerInfo peer)
    : m_stream(std::move(stream)), m_context(context), m_ticket(std::move(ticket)), m_peer(std::move(peer))
{
}

template <typename Stream>
HttpSession<Stream>::~HttpSession()
{
    m_context.sessionGone(this);
}

template <typename Stream>
void HttpSession<Stream>::run()
{
    m_context.sessions.add(this, this->weak_from_this());
    asio::dispatch(m_stream.get_executor(), beast::bind_front_handler(&HttpSession::start, this->shared_from_this()));
}

template <typename Stream>
void HttpSession<Stream>::drain()
{
    asio::post(m_stream.get_executor(), [self = this->shared_from_this()] {
        // A connection waiting for a request has nothing in flight: close it now. The
        // others see the draining flag when their response is written.
        if (self->m_phase == Phase::Idle || self->m_phase == Phase::Handshake)
            beast::get_lowest_layer(self->m_stream).cancel();
    });
}

template <typename Stream>
void HttpSession<Stream>::forceClose()
{
    asio::post(m_stream.get_executor(), [self = this->shared_from_this()] {
        if (self->m_phase != Phase::Upgraded)
            beast::get_lowest_layer(self->m_stream).close();
    });
}

template <typename Stream>
void HttpSession<Stream>::start()
{
    if constexpr (isTls<Stream>) {
        m_phase = Phase::Handshake;
        beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.handshake);
        m_stream.async_handshake(asio::ssl::stream_base::server,
                                 beast::bind_front_handler(&HttpSession::onHandshake, this->shared_from_this()));
    } else {
        waitForRequest();
    }
}

template <typename Stream>
void HttpSession<Stream>::onHandshake(beast::error_code error)
{
    if (error) {
        m_context.logger.log(LogLevel::Debug, "tls_handshake_failed",
                             {{"peer", m_peer.address}, {"error", error.message()}});
        return;
    }
    waitForRequest();
}

template <typename Stream>
void HttpSession<Stream>::waitForRequest()
{
    if (m_context.draining.load())
        return close();
    m_parser.emplace();
    m_parser->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(m_context.options.limits.headerBytes, std::numeric_limits<std::uint32_t>::max())));
    m_parser->body_limit(m_context.options.limits.bodyBytes);
    if (m_buffer.size() > 0)
        return readHeader();
    // The idle timeout runs until the first byte of a request; from there the header
    // timeout does, so a client trickling its header (slowloris) cannot reset it.
    m_phase = Phase::Idle;
    beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.idle);
    m_stream.async_read_some(m_buffer.prepare(firstReadBytes),
                             beast::bind_front_handler(&HttpSession::onFirstBytes, this->shared_from_this()));
}

template <typename Stream>
void HttpSession<Stream>::onFirstBytes(beast::error_code error, std::size_t bytes)
{
    if (error) {
        if (error == beast::error::timeout) {
            m_context.metrics.timeoutIdle.increment();
            m_context.logger.log(LogLevel::Debug, "idle_timeout", {{"peer", m_peer.address}});
        }
        return;
    }
    m_buffer.commit(bytes);
    readHeader();
}

template <typename Stream>
void HttpSession<Stream>::readHeader()
{
    m_phase = Phase::Reading;
    m_requestStart = std::chrono::steady_clock::now();
    beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.header);
    http::async_read_header(m_stream, m_buffer, *m_parser,
                            beast::bind_front_handler(&HttpSession::onHeader, this->shared_from_this()));
}

template <typename Stream>
void HttpSession<Stream>::onReadError(beast::error_code error, const char *phase)
{
    if (error == http::error::header_limit) {
        sendAndClose(makeErrorResponse(http::status::request_header_fields_too_large, "too_large",
                                       "the request header exceeds "
                                           + std::to_string(m_context.options.limits.headerBytes) + " bytes"));
    } else if (error == http::error::body_limit) {
        sendAndClose(makeErrorResponse(http::status::payload_too_large, "too_large",
                                       "the request body exceeds "
                                           + std::to_string(m_context.options.limits.bodyBytes) + " bytes"));
    } else if (error == beast::error::timeout) {
        (std::string_view(phase) == "header" ? m_context.metrics.timeoutHeader : m_context.metrics.timeoutBody)
            .increment();
        m_context.logger.log(LogLevel::Warn, "request_timeout", {{"peer", m_peer.address}, {"phase", phase}});
    } else if (&error.category() == &http::make_error_code(http::error::bad_target).category()
               && error != http::error::end_of_stream && error != http::error::partial_message) {
        sendAndClose(makeErrorResponse(http::status::bad_request, "invalid",
                                       "malformed HTTP request: " + error.message()));
    }
    // Anything else is the peer going away: nothing to answer.
}

template <typename Stream>
void HttpSession<Stream>::onHeader(beast::error_code error, std::size_t)
{
    if (error) {
        onReadError(error, "header");
        return;
    }
    const auto &request = m_parser->get();
    m_method = std::string(request.method_string());
    m_path = std::string(targetPath({request.target().data(), request.target().size()}));
    if (boost::beast::websocket::is_upgrade(request))
        return upgrade(m_parser->release());
    if (m_parser->is_done())
        return handle();
    beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.body);
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&HttpSession::onBody, this->shared_from_this()));
}

template <typename Stream>
void HttpSession<Stream>::onBody(beast::error_code error, std::size_t)
{
    if (error) {
        onReadError(error, "body");
        return;
    }
    handle();
}

template <typename Stream>
void HttpSession<Stream>::handle()
{
    m_phase = Phase::Handling;
    const Request request = m_parser->release();
    Response response = routeRequest(m_context, request, m_peer);
    response.keep_alive(request.keep_alive());
    send(std::move(response));
}

template <typename Stream>
void HttpSession<Stream>::upgrade(Request request)
{
    const auto origin = request[http::field::origin];
    const auto version = request.version();
    if (m_path != m_context.options.syncPath || !m_context.handlers.sync)
        return sendAndClose(makeErrorResponse(http::status::not_found, "not_found", "no WebSocket endpoint here",
                                              version));
    if (!isOriginAllowed(m_context.options, {origin.data(), origin.size()})) {
        m_context.logger.log(LogLevel::Warn, "websocket_origin_refused",
                             {{"peer", m_peer.address}, {"origin", std::string_view(origin.data(), origin.size())}});
        return sendAndClose(makeErrorResponse(http::status::forbidden, "forbidden",
                                              "WebSocket upgrade from this origin is not allowed", version));
    }
    if (m_context.draining.load())
        return sendAndClose(makeErrorResponse(http::status::service_unavailable, "unavailable",
                                              "the server is shutting down", version));
    m_phase = Phase::Upgraded;
    // From here the WebSocket stream keeps its own timeouts.
    beast::get_lowest_layer(m_stream).expires_never();
    std::make_shared<WebSocketSession<Stream>>(std::move(m_stream), m_context, std::move(*m_ticket), m_peer)
        ->run(std::move(request));
    m_ticket.reset();
}

template <typename Stream>
void HttpSession<Stream>::sendAndClose(Response response)
{
    // After a refused or unreadable request the stream holds nothing worth reading on.
    response.keep_alive(false);
    send(std::move(response));
}

template <typename Stream>
void HttpSession<Stream>::send(Response response)
{
    m_phase = Phase::Writing;
    if (m_context.draining.load())
        response.keep_alive(false);
    response.prepare_payload();
    // Counted and logged when the response is ready rather than once written, so a
    // client that has read it can rely on the metrics already counting it.
    const unsigned status = response.result_int();
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_requestStart);
    m_context.metrics.requestsOfClass(status).increment();
    m_context.metrics.requestSeconds.observe(elapsed.count());
    m_context.logger.log(LogLevel::Info, "http_request",
                         {{"peer", m_peer.address},
                          {"method", m_method.empty() ? std::string_view("-") : std::string_view(m_method)},
                          {"path", m_path.empty() ? std::string_view("-") : std::string_view(m_path)},
                          {"status", status},
                          {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()}});
    m_method.clear();
    m_path.clear();
    m_response = std::make_shared<Response>(std::move(response));
    beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.write);
    http::async_write(m_stream, *m_response,
                      beast::bind_front_handler(&HttpSession::onWrite, this->shared_from_this()));
}

template <typename Stream>
void HttpSession<Stream>::onWrite(beast::error_code error, std::size_t)
{
    if (error) {
        m_context.logger.log(LogLevel::Debug, "http_write_failed",
                             {{"peer", m_peer.address}, {"error", error.message()}});
        return;
    }
    const bool keepAlive = m_response->keep_alive();
    m_response.reset();
    if (!keepAlive)
        return close();
    waitForRequest();
}

template <typename Stream>
void HttpSession<Stream>::close()
{
    m_phase = Phase::Closing;
    if constexpr (isTls<Stream>) {
        beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.handshake);
        m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
        beast::error_code ignored;
        m_stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
        // Closing a socket with unread input makes the kernel send a reset, which can
        // destroy the response (a 413 or 431) before the client has read it; so read and
        // discard what the client still sends, for at most the header timeout.
        beast::get_lowest_layer(m_stream).expires_after(m_context.options.timeouts.header);
        lingerUntilPeerCloses();
    }
}

template <typename Stream>
void HttpSession<Stream>::lingerUntilPeerCloses()
{
    m_buffer.clear();
    m_stream.async_read_some(m_buffer.prepare(firstReadBytes),
                             [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                                 if (!error)
                                     self->lingerUntilPeerCloses();
                             });
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

} // namespace sigess::net
