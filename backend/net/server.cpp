#include "net/server.h"

#include "net/listener.h"
#include "net/server_context.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <csignal>
#include <future>
#include <thread>
#include <vector>

namespace sigess::net {

namespace asio = boost::asio;
namespace beast = boost::beast;

struct Server::State {
    State(ServerOptions options, Handlers handlers, const Logger &logger)
        : context(std::move(options), std::move(handlers), logger),
          control(asio::make_strand(io)),
          drainTimer(control)
    {
    }

    void onDrainDeadline(beast::error_code error);

    // Declared first so that it outlives the io_context, whose destruction may destroy
    // sessions still referring to it.
    ServerContext context;
    asio::io_context io;
    asio::strand<asio::io_context::executor_type> control;  // stop and drain bookkeeping
    asio::steady_timer drainTimer;
    std::optional<asio::signal_set> signals;
    std::shared_ptr<Listener> listener;
    std::vector<std::thread> threads;
    std::atomic<bool> stopping{false};
    bool started = false;
};

namespace {

Result<asio::ip::address> parseAddress(const std::string &text)
{
    beast::error_code error;
    const auto address = asio::ip::make_address(text, error);
    if (error)
        return makeError(ErrorCode::Invalid, "listen address '" + text + "' is not an IP address");
    return address;
}

Status loadTls(asio::ssl::context &tls, const ServerOptions &options)
{
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                    | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1
                    | asio::ssl::context::no_compression | asio::ssl::context::single_dh_use);
    beast::error_code error;
    tls.use_certificate_chain_file(options.certificateFile, error);
    if (error)
        return makeError(ErrorCode::Unavailable, "cannot load TLS certificate " + options.certificateFile + ": "
                                                     + error.message());
    tls.use_private_key_file(options.privateKeyFile, asio::ssl::context::pem, error);
    if (error)
        return makeError(ErrorCode::Unavailable, "cannot load TLS private key " + options.privateKeyFile + ": "
                                                     + error.message());
    return {};
}

} // namespace

Result<std::unique_ptr<Server>> Server::create(ServerOptions options, Handlers handlers, const Logger &logger)
{
    auto address = parseAddress(options.address);
    if (!address.ok())
        return address.takeError();
    if (options.transport == Transport::PlaintextLoopback && !address->is_loopback())
        return makeError(ErrorCode::Invalid, "plaintext HTTP is allowed only on a loopback address, not on "
                                                 + options.address);
    if (options.limits.frameBytes == 0 || options.limits.headerBytes == 0)
        return makeError(ErrorCode::Invalid, "header and frame limits must be above zero");
    auto state = std::make_unique<State>(std::move(options), std::move(handlers), logger);
    if (state->context.options.transport == Transport::Tls) {
        state->context.tls.emplace(asio::ssl::context::tls_server);
        SIGESS_TRY(loadTls(*state->context.tls, state->context.options));
    }
    return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::Server(std::unique_ptr<State> state) : m_state(std::move(state))
{
    m_state->context.onAllSessionsGone = [state = m_state.get()] {
        asio::post(state->control, [state] { state->drainTimer.cancel(); });
    };
}

Server::~Server()
{
    stop();
    wait();
}

Status Server::start()
{
    auto &state = *m_state;
    const auto &options = state.context.options;
    auto address = parseAddress(options.address);
    if (!address.ok())
        return address.takeError();
    state.listener = std::make_shared<Listener>(state.io, state.context);
    SIGESS_TRY(state.listener->open({*address, options.port}));
    state.listener->run();
    const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < threads; ++i)
        state.threads.emplace_back([&state] { state.io.run(); });
    state.started = true;
    state.context.logger.log(LogLevel::Info, "server_started",
                             {{"address", options.address},
                              {"port", state.listener->port()},
                              {"tls", state.context.tls ? "yes" : "no"},
                              {"threads", threads}});
    return {};
}

std::uint16_t Server::port() const
{
    return m_state->listener ? m_state->listener->port() : 0;
}

void Server::stopOnSignals()
{
    auto &state = *m_state;
    state.signals.emplace(state.control, SIGINT, SIGTERM);
    state.signals->async_wait([this](beast::error_code error, int signal) {
        if (error)
            return;
        m_state->context.logger.log(LogLevel::Info, "signal", {{"signal", signal}});
        stop();
    });
}

void Server::stop()
{
    auto &state = *m_state;
    if (!state.started || state.stopping.exchange(true))
        return;
    state.context.draining = true;
    auto listening = std::make_shared<std::promise<void>>();
    asio::post(state.control, [&state, listening] {
        state.context.logger.log(LogLevel::Info, "server_draining", {{"sessions", state.context.sessions.size()}});
        state.listener->close();
        if (state.signals)
            state.signals->cancel();
        state.drainTimer.expires_after(state.context.options.timeouts.drain);
        state.drainTimer.async_wait([&state](beast::error_code error) { state.onDrainDeadline(error); });
        for (const auto &session : state.context.sessions.snapshot())
            session->drain();
        if (state.context.sessions.size() == 0)
            state.drainTimer.cancel();
        listening->set_value();
    });
    // From outside the pool, return only once new connections are refused; from inside
    // (a signal, a handler) waiting would block the very thread that must do it.
    if (!state.control.running_in_this_thread() && !state.io.get_executor().running_in_this_thread())
        listening->get_future().wait();
}

void Server::State::onDrainDeadline(beast::error_code error)
{
    if (error)
        return;  // cancelled: every session finished in time
    context.logger.log(LogLevel::Warn, "drain_deadline", {{"sessions", context.sessions.size()}});
    for (const auto &session : context.sessions.snapshot())
        session->forceClose();
}

void Server::wait()
{
    auto &state = *m_state;
    if (state.threads.empty())
        return;
    for (auto &thread : state.threads)
        thread.join();
    state.threads.clear();
    // Nothing runs any more: a session destroyed with the io_context must not post.
    state.context.onAllSessionsGone = [] {};
    state.context.logger.log(LogLevel::Info, "server_stopped", {});
}

MetricsRegistry &Server::metrics()
{
    return m_state->context.registry;
}

Hub &Server::hub()
{
    return m_state->context.hub;
}

} // namespace sigess::net
