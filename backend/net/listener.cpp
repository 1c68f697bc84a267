#include "net/listener.h"

#include "net/http_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

namespace sigess::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

Listener::Listener(asio::io_context &io, ServerContext &context)
    : m_io(io), m_context(context), m_acceptor(asio::make_strand(io)), m_retry(m_acceptor.get_executor())
{
}

Status Listener::open(const tcp::endpoint &endpoint)
{
    beast::error_code error;
    const auto failed = [&](const char *step) {
        return makeError(ErrorCode::Unavailable, std::string("cannot ") + step + " " + endpoint.address().to_string()
                                                     + ":" + std::to_string(endpoint.port()) + ": "
                                                     + error.message());
    };
    if (m_acceptor.open(endpoint.protocol(), error); error)
        return failed("open a socket for");
    if (m_acceptor.set_option(asio::socket_base::reuse_address(true), error); error)
        return failed("set SO_REUSEADDR on");
    if (m_acceptor.bind(endpoint, error); error)
        return failed("bind");
    if (m_acceptor.listen(asio::socket_base::max_listen_connections, error); error)
        return failed("listen on");
    m_port = m_acceptor.local_endpoint().port();
    return {};
}

std::uint16_t Listener::port() const
{
    return m_port;
}

void Listener::run()
{
    accept();
}

void Listener::close()
{
    asio::post(m_acceptor.get_executor(), [self = shared_from_this()] {
        beast::error_code ignored;
        self->m_acceptor.close(ignored);
        self->m_retry.cancel();
    });
}

void Listener::accept()
{
    m_acceptor.async_accept(asio::make_strand(m_io),
                            beast::bind_front_handler(&Listener::onAccept, shared_from_this()));
}

void Listener::onAccept(beast::error_code error, tcp::socket socket)
{
    if (error == asio::error::operation_aborted || !m_acceptor.is_open())
        return;
    if (error) {
        // Out of descriptors, most likely: retrying at once would spin.
        m_context.logger.log(LogLevel::Error, "accept_failed", {{"error", error.message()}});
        m_retry.expires_after(std::chrono::milliseconds(100));
        m_retry.async_wait([self = shared_from_this()](beast::error_code waitError) {
            if (!waitError)
                self->accept();
        });
        return;
    }
    admit(std::move(socket));
    accept();
}

void Listener::admit(tcp::socket socket)
{
    beast::error_code error;
    const auto remote = socket.remote_endpoint(error);
    if (error)
        return;  // already gone
    // Sync answers are small frames a device waits for; Nagle would hold each one back
    // until the device's delayed ACK (~40 ms).
    socket.set_option(tcp::no_delay(true), error);
    PeerInfo peer{remote.address().to_string(), remote.port(), m_context.tls.has_value()};
    auto admission = m_context.limiter.admit(peer.address);
    if (const auto *refusal = std::get_if<ConnectionLimiter::Refusal>(&admission)) {
        const bool perClient = *refusal == ConnectionLimiter::Refusal::PerClientLimit;
        (perClient ? m_context.metrics.refusedPerClient : m_context.metrics.refusedTotal).increment();
        m_context.logger.log(LogLevel::Warn, "connection_refused",
                             {{"peer", peer.address}, {"reason", perClient ? "per_client_limit" : "total_limit"}});
        socket.close(error);
        return;
    }
    m_context.metrics.connectionsAccepted.increment();
    auto ticket = std::move(std::get<ConnectionLimiter::Ticket>(admission));
    if (m_context.tls) {
        std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *m_context.tls), m_context,
                                                 std::move(ticket), std::move(peer))
            ->run();
    } else {
        std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), m_context, std::move(ticket),
                                                   std::move(peer))
            ->run();
    }
}

} // namespace sigess::net
