#include "sync_client/sync_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>
#include <variant>

namespace sigess::sync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr std::string_view wssScheme = "wss://";
constexpr std::string_view wsScheme = "ws://";

bool isLoopback(const std::string &host)
{
    if (host == "localhost")
        return true;
    boost::system::error_code error;
    const asio::ip::address address = asio::ip::make_address(host, error);
    return !error && address.is_loopback();
}

std::string describeEndpoint(const Endpoint &endpoint)
{
    const bool ipv6 = endpoint.host.find(':') != std::string::npos;
    return (ipv6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + std::to_string(endpoint.port);
}

Error unavailable(std::string message)
{
    return makeError(ErrorCode::Unavailable, std::move(message));
}

// A Reject answering a request, as the error its callback receives.
Error errorOfReject(const v1::Reject &reject)
{
    ErrorCode code = ErrorCode::Invalid;
    if (reject.code() == "unavailable")
        code = ErrorCode::Unavailable;
    else if (reject.code() == "batch_too_large")
        code = ErrorCode::TooLarge;
    else if (reject.code() == "unauthorized")
        code = ErrorCode::Unauthorized;
    else if (reject.code() == "forbidden")
        code = ErrorCode::Forbidden;
    return makeError(code, "the sync server refused the request (" + reject.code() + "): " + reject.reason());
}

// What a connection reports to the client that owns it; all on the I/O thread.
class ConnectionOwner {
public:
    virtual void onOpened(const void *connection) = 0;
    virtual void onMessage(const void *connection, std::string bytes) = 0;
    virtual void onFailed(const void *connection, Error error) = 0;

protected:
    ~ConnectionOwner() = default;
};

class Connection {
public:
    virtual ~Connection() = default;
    // Resolves, connects and shakes hands (TCP, TLS, WebSocket); reports onOpened, then
    // every binary message, until it fails or is shut down.
    virtual void open() = 0;
    virtual void send(std::shared_ptr<const std::string> frame) = 0;
    // Ends the connection at once, reporting nothing more.
    virtual void shutdown() = 0;
};

struct ConnectionSettings {
    Endpoint endpoint;
    std::chrono::milliseconds connectTimeout;
    std::chrono::milliseconds idleTimeout;
    std::size_t maxFrameBytes;
};

// One WebSocket connection over Stream (plain TCP or TLS), in the style of Beast's
// websocket client examples: every step a callback on the I/O thread, one write in
// flight with a queue behind it.
template <typename Stream>
class StreamConnection final : public Connection, public std::enable_shared_from_this<StreamConnection<Stream>> {
public:
    static constexpr bool tls = std::is_same_v<Stream, TlsStream>;

    template <typename... StreamArgs>
    StreamConnection(asio::io_context &io, ConnectionOwner &owner, ConnectionSettings settings,
                     StreamArgs &&...streamArgs)
        : m_resolver(io), m_ws(std::forward<StreamArgs>(streamArgs)...), m_owner(owner), m_settings(std::move(settings))
    {
    }

    void open() override
    {
        m_resolver.async_resolve(m_settings.endpoint.host, std::to_string(m_settings.endpoint.port),
                                 [self = this->shared_from_this()](beast::error_code error,
                                                                   asio::ip::tcp::resolver::results_type results) {
                                     self->onResolved(error, std::move(results));
                                 });
    }

    void send(std::shared_ptr<const std::string> frame) override
    {
        if (m_closed)
            return;
        m_queue.push_back(std::move(frame));
        if (m_queue.size() == 1)
            writeNext();
    }

    void shutdown() override
    {
        m_closed = true;
        m_resolver.cancel();
        beast::error_code ignored;
        beast::get_lowest_layer(m_ws).socket().close(ignored);
    }

private:
    std::string where() const { return describeEndpoint(m_settings.endpoint); }

    void onResolved(beast::error_code error, asio::ip::tcp::resolver::results_type results)
    {
        if (error)
            return fail(unavailable("cannot resolve " + m_settings.endpoint.host + ": " + error.message()));
        beast::get_lowest_layer(m_ws).expires_after(m_settings.connectTimeout);
        beast::get_lowest_layer(m_ws).async_connect(
            results, [self = this->shared_from_this()](beast::error_code connectError,
                                                        const asio::ip::tcp::endpoint &) {
                self->onConnected(connectError);
            });
    }

    void onConnected(beast::error_code error)
    {
        if (error)
            return fail(unavailable("cannot connect to " + where() + ": " + error.message()));
        if constexpr (tls) {
            // SNI (SSL_set_tlsext_host_name spelled out: the macro casts in C style), and
            // the name the certificate must carry (an IP address is checked against the
            // certificate's IP entries).
            if (!isIpAddress(m_settings.endpoint.host)
                && SSL_ctrl(m_ws.next_layer().native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                            const_cast<char *>(m_settings.endpoint.host.c_str()))
                       != 1)
                return fail(makeError(ErrorCode::Internal, "cannot set the TLS server name"));
            m_ws.next_layer().set_verify_callback(ssl::host_name_verification(m_settings.endpoint.host));
            m_ws.next_layer().async_handshake(ssl::stream_base::client,
                                              [self = this->shared_from_this()](beast::error_code tlsError) {
                                                  self->onTlsHandshake(tlsError);
                                              });
        } else {
            startWebSocket();
        }
    }

    static bool isIpAddress(const std::string &host)
    {
        boost::system::error_code error;
        static_cast<void>(asio::ip::make_address(host, error));
        return !error;
    }

    void onTlsHandshake(beast::error_code error)
    {
        if (error)
            return fail(unavailable("TLS handshake with " + where() + " failed (is the CA file the one that signed "
                                    "the server's certificate?): " + error.message()));
        startWebSocket();
    }

    void startWebSocket()
    {
        // From here the WebSocket stream keeps its own timeouts.
        beast::get_lowest_layer(m_ws).expires_never();
        websocket::stream_base::timeout timeout{};
        timeout.handshake_timeout = m_settings.connectTimeout;
        timeout.idle_timeout = m_settings.idleTimeout;
        timeout.keep_alive_pings = true;
        m_ws.set_option(timeout);
        m_ws.read_message_max(m_settings.maxFrameBytes);
        m_ws.binary(true);
        m_ws.async_handshake(where(), m_settings.endpoint.target,
                             [self = this->shared_from_this()](beast::error_code handshakeError) {
                                 self->onHandshake(handshakeError);
                             });
    }

    void onHandshake(beast::error_code error)
    {
        if (error)
            return fail(unavailable("WebSocket handshake with " + where() + m_settings.endpoint.target
                                    + " failed: " + error.message()));
        m_owner.onOpened(this);
        readNext();
    }

    void readNext()
    {
        if (m_closed)
            return;
        m_ws.async_read(m_buffer, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
            self->onRead(error);
        });
    }

    void onRead(beast::error_code error)
    {
        if (m_closed)
            return;
        if (error == websocket::error::message_too_big)
            return fail(makeError(ErrorCode::TooLarge, "the sync server sent a frame over the limit of "
                                                           + std::to_string(m_settings.maxFrameBytes) + " bytes"));
        if (error == websocket::error::closed) {
            const websocket::close_reason &reason = m_ws.reason();
            return fail(unavailable("the sync server closed the connection"
                                    + (reason.reason.empty() ? std::string() : ": " + std::string(reason.reason.c_str()))));
        }
        if (error)
            return fail(unavailable("connection to " + where() + " lost: " + error.message()));
        if (!m_ws.got_binary())
            return fail(makeError(ErrorCode::Invalid, "the sync server sent a text frame; sync frames are binary"));
        std::string bytes = beast::buffers_to_string(m_buffer.data());
        m_buffer.consume(m_buffer.size());
        m_owner.onMessage(this, std::move(bytes));
        readNext();
    }

    void writeNext()
    {
        m_ws.async_write(asio::buffer(*m_queue.front()),
                         [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                             self->onWritten(error);
                         });
    }

    void onWritten(beast::error_code error)
    {
        if (m_closed)
            return;
        if (error)
            return fail(unavailable("cannot send to " + where() + ": " + error.message()));
        m_queue.pop_front();
        if (!m_queue.empty())
            writeNext();
    }

    void fail(Error error)
    {
        if (m_closed)
            return;
        shutdown();
        m_owner.onFailed(this, std::move(error));
    }

    asio::ip::tcp::resolver m_resolver;
    websocket::stream<Stream> m_ws;
    ConnectionOwner &m_owner;
    ConnectionSettings m_settings;
    beast::flat_buffer m_buffer;
    std::deque<std::shared_ptr<const std::string>> m_queue;
    bool m_closed = false;
};

} // namespace

Result<Endpoint> parseEndpoint(std::string_view url)
{
    auto invalid = [&](const std::string &why) {
        return makeError(ErrorCode::Invalid, "the sync URL '" + std::string(url) + "' " + why);
    };
    Endpoint endpoint;
    std::string_view rest;
    if (url.substr(0, wssScheme.size()) == wssScheme) {
        endpoint.tls = true;
        endpoint.port = 443;
        rest = url.substr(wssScheme.size());
    } else if (url.substr(0, wsScheme.size()) == wsScheme) {
        endpoint.tls = false;
        endpoint.port = 80;
        rest = url.substr(wsScheme.size());
    } else {
        return invalid("must start with wss:// (or ws:// on loopback)");
    }
    const std::size_t slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    endpoint.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    if (authority.find('@') != std::string_view::npos)
        return invalid("must not carry user information");
    std::optional<std::string_view> portText;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos)
            return invalid("has an unclosed '[' in its host");
        endpoint.host = std::string(authority.substr(1, close - 1));
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':')
                return invalid("has text after its host");
            portText = after.substr(1);
        }
    } else {
        const std::size_t colon = authority.find(':');
        endpoint.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos)
            portText = authority.substr(colon + 1);
    }
    if (endpoint.host.empty())
        return invalid("names no host");
    if (portText) {
        unsigned port = 0;
        const auto [end, error] = std::from_chars(portText->data(), portText->data() + portText->size(), port);
        if (error != std::errc{} || end != portText->data() + portText->size() || port == 0 || port > 65535)
            return invalid("has a port that is not a number from 1 to 65535");
        endpoint.port = static_cast<std::uint16_t>(port);
    }
    if (!endpoint.tls && !isLoopback(endpoint.host))
        return invalid("is plaintext to a host that is not loopback: use wss://");
    return endpoint;
}

std::chrono::milliseconds backoffDelay(const BackoffOptions &options, unsigned attempt, double unitRandom)
{
    const double initial = static_cast<double>(options.initial.count());
    const double maximum = static_cast<double>(options.maximum.count());
    const double grown = std::min(maximum, initial * std::pow(options.factor, static_cast<double>(attempt)));
    const double jitter = std::clamp(options.jitter, 0.0, 1.0) * std::clamp(unitRandom, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(grown * (1.0 - jitter))));
}

class SyncClient::Impl final : public ConnectionOwner {
public:
    Impl(SyncClientOptions options, SyncEvents events)
        : m_options(std::move(options))
        , m_events(std::move(events))
        , m_hello(m_options.hello)
        , m_retryTimer(m_io)
        , m_welcomeTimer(m_io)
        , m_answerTimer(m_io)
    {
        if (!m_options.random) {
            m_options.random = [engine = std::mt19937_64(std::random_device{}())]() mutable {
                return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
            };
        }
    }

    ~Impl() { stop(); }

    Status start()
    {
        const std::lock_guard lock(m_lifecycleMutex);
        if (m_started)
            return makeError(ErrorCode::Conflict, "the sync client is already started");
        Result<Endpoint> endpoint = parseEndpoint(m_options.url);
        if (!endpoint.ok())
            return endpoint.takeError();
        m_endpoint = std::move(endpoint).value();
        if (m_endpoint.tls) {
            m_tls.emplace(ssl::context::tls_client);
            m_tls->set_verify_mode(ssl::verify_peer);
            beast::error_code error;
            if (m_options.caFile.empty())
                m_tls->set_default_verify_paths(error);
            else
                m_tls->load_verify_file(m_options.caFile, error);
            if (error)
                return makeError(ErrorCode::Invalid, "cannot use the CA file '" + m_options.caFile + "': "
                                                         + error.message());
        }
        m_started = true;
        m_running = true;
        m_work.emplace(m_io.get_executor());
        asio::post(m_io, [this] { connect(); });
        m_thread = std::thread([this] { m_io.run(); });
        return {};
    }

    void stop()
    {
        {
            const std::lock_guard lock(m_lifecycleMutex);
            if (!m_running)
                return;
            m_running = false;
            asio::post(m_io, [this] { shutDown(); });
        }
        if (m_thread.joinable())
            m_thread.join();
        // Work posted before m_running fell (a push racing stop()) still completes its
        // callback, with Unavailable.
        m_io.restart();
        m_io.poll();
    }

    void resume()
    {
        post([this] {
            if (m_state != State::Halted && m_state != State::Waiting)
                return;
            m_retryTimer.cancel();
            m_attempt = 0;
            connect();
        });
    }

    void setEvents(SyncEvents events)
    {
        const std::lock_guard lock(m_eventsMutex);
        m_events = std::move(events);
    }

    void setHello(v1::Hello hello)
    {
        const std::lock_guard lock(m_helloMutex);
        const std::string cursor = m_hello.cursor();
        m_hello = std::move(hello);
        m_hello.set_cursor(cursor);
    }

    void setCursor(std::string cursor)
    {
        const std::lock_guard lock(m_helloMutex);
        m_hello.set_cursor(std::move(cursor));
    }

    template <typename Answer>
    void request(v1::Envelope frame, std::function<void(Result<Answer>)> handler)
    {
        // Shared, so that the caller can still be answered when the task cannot be posted.
        auto shared = std::make_shared<std::function<void(Result<Answer>)>>(std::move(handler));
        auto task = [this, frame = std::move(frame), shared]() mutable {
            std::function<void(Result<Answer>)> done = std::move(*shared);
            if (m_state != State::Welcomed)
                return done(unavailable("not connected to the sync server"));
            frame.set_sequence(m_nextSequence++);
            if constexpr (std::is_same_v<Answer, v1::Ack>) {
                if (m_pushesInFlight >= m_maxInFlight) {
                    m_heldPushes.emplace_back(std::move(frame), std::move(done));
                    return;
                }
                ++m_pushesInFlight;
            }
            send(frame, Pending{std::move(done)});
        };
        if (!post(std::move(task)))
            (*shared)(unavailable("the sync client is stopped"));
    }

    bool connected() const { return m_connected; }

    void onOpened(const void *connection) override
    {
        if (connection != m_connection.get())
            return;
        v1::Envelope frame;
        frame.set_sequence(m_nextSequence++);
        {
            const std::lock_guard lock(m_helloMutex);
            *frame.mutable_hello() = m_hello;
        }
        m_connection->send(std::make_shared<const std::string>(encodeFrame(frame)));
        armTimer(m_welcomeTimer, m_options.welcomeTimeout, "the sync server sent no Welcome within "
                                                               + std::to_string(m_options.welcomeTimeout.count()) + " ms");
    }

    void onMessage(const void *connection, std::string bytes) override
    {
        if (connection != m_connection.get())
            return;
        Result<v1::Envelope> frame = decodeFrame(bytes, m_options.frameLimits);
        if (!frame.ok())
            return drop(makeError(frame.error().code, "the sync server sent a frame that does not decode: "
                                                          + frame.error().message),
                        Next::Retry);
        if (m_state == State::Connecting)
            return onGreeting(*frame);
        dispatch(*frame);
    }

    void onFailed(const void *connection, Error error) override
    {
        if (connection != m_connection.get())
            return;
        drop(std::move(error), Next::Retry);
    }

private:
    enum class State { Idle, Connecting, Welcomed, Waiting, Halted, Stopped };
    enum class Next { Retry, Halt, Stop };

    struct Pending {
        std::variant<AckHandler, ChangesHandler> done;
    };

    // Runs `task` on the I/O thread; false (task not run) once the client stopped.
    template <typename Task>
    bool post(Task &&task)
    {
        const std::lock_guard lock(m_lifecycleMutex);
        if (!m_running)
            return false;
        asio::post(m_io, std::forward<Task>(task));
        return true;
    }

    template <typename Event, typename... Args>
    void emit(Event SyncEvents::*member, const Args &...args)
    {
        Event handler;
        {
            const std::lock_guard lock(m_eventsMutex);
            handler = m_events.*member;
        }
        if (handler)
            handler(args...);
    }

    void connect()
    {
        if (m_state == State::Stopped)
            return;
        m_state = State::Connecting;
        ++m_generation;
        ConnectionSettings settings{m_endpoint, m_options.connectTimeout, m_options.idleTimeout,
                                    m_options.frameLimits.maxFrameBytes};
        if (m_tls)
            m_connection = std::make_shared<StreamConnection<TlsStream>>(m_io, *this, std::move(settings), m_io, *m_tls);
        else
            m_connection = std::make_shared<StreamConnection<PlainStream>>(m_io, *this, std::move(settings), m_io);
        m_connection->open();
    }

    void armTimer(asio::steady_timer &timer, std::chrono::milliseconds after, std::string why)
    {
        timer.expires_after(after);
        timer.async_wait([this, generation = m_generation, why = std::move(why)](beast::error_code error) {
            if (error || generation != m_generation || !m_connection)
                return;
            drop(unavailable(why), Next::Retry);
        });
    }

    void onGreeting(const v1::Envelope &frame)
    {
        m_welcomeTimer.cancel();
        switch (frame.frame_case()) {
        case v1::Envelope::kWelcome:
            m_state = State::Welcomed;
            m_connected = true;
            m_attempt = 0;
            m_maxInFlight = std::max<std::uint32_t>(1, frame.welcome().max_in_flight());
            emit(&SyncEvents::connected, frame.welcome());
            return;
        case v1::Envelope::kWipe:
            drop(makeError(ErrorCode::Unauthorized, "the device was revoked: " + frame.wipe().reason()), Next::Halt);
            emit(&SyncEvents::wipe, frame.wipe());
            return;
        case v1::Envelope::kReject:
            drop(errorOfReject(frame.reject()), frame.reject().fatal() ? Next::Halt : Next::Retry);
            emit(&SyncEvents::rejected, frame.reject());
            return;
        default:
            drop(makeError(ErrorCode::Invalid, "the sync server answered Hello with "
                                                   + std::string(frameName(frame)) + " instead of Welcome"),
                 Next::Retry);
        }
    }

    // Answers take their message out of the frame rather than copying it: a Changes
    // frame holds up to thousands of operations.
    void dispatch(v1::Envelope &frame)
    {
        switch (frame.frame_case()) {
        case v1::Envelope::kAck:
            return answer(frame.sequence(), Result<v1::Ack>(std::move(*frame.mutable_ack())));
        case v1::Envelope::kChanges:
            return answer(frame.sequence(), Result<v1::Changes>(std::move(*frame.mutable_changes())));
        case v1::Envelope::kReject: {
            const v1::Reject &reject = frame.reject();
            const std::uint64_t sequence = reject.in_reply_to() != 0 ? reject.in_reply_to() : frame.sequence();
            if (reject.fatal()) {
                drop(errorOfReject(reject), Next::Halt);
                emit(&SyncEvents::rejected, reject);
                return;
            }
            if (m_pending.count(sequence) == 0)
                return emit(&SyncEvents::rejected, reject);
            return answer(sequence, errorOfReject(reject));
        }
        case v1::Envelope::kNotify:
            return emit(&SyncEvents::notify, frame.notify());
        case v1::Envelope::kCatalogUpdate:
            return emit(&SyncEvents::catalogUpdate, frame.catalog_update());
        case v1::Envelope::kWipe:
            drop(makeError(ErrorCode::Unauthorized, "the device was revoked: " + frame.wipe().reason()), Next::Halt);
            return emit(&SyncEvents::wipe, frame.wipe());
        default:
            // A second Welcome or a frame only devices send: the server is confused, so
            // a fresh connection is the safe way on.
            return drop(makeError(ErrorCode::Invalid, "the sync server sent an unexpected "
                                                          + std::string(frameName(frame)) + " frame"),
                        Next::Retry);
        }
    }

    // Completes the request `sequence` with `outcome` (an Ack, Changes or the error of a
    // Reject); an answer of the wrong kind, or to nothing pending, ends the connection.
    template <typename Outcome>
    void answer(std::uint64_t sequence, Outcome outcome)
    {
        auto found = m_pending.find(sequence);
        if (found == m_pending.end())
            return drop(makeError(ErrorCode::Invalid, "the sync server answered frame "
                                                          + std::to_string(sequence) + ", which nobody asked for"),
                        Next::Retry);
        Pending pending = std::move(found->second);
        m_pending.erase(found);
        if constexpr (std::is_same_v<Outcome, Error>) {
            std::visit([&](auto &done) { done(outcome); }, pending.done);
        } else {
            using Handler = std::function<void(Outcome)>;
            auto *done = std::get_if<Handler>(&pending.done);
            if (done == nullptr) {
                std::visit([](auto &other) { other(makeError(ErrorCode::Invalid, "the sync server answered with "
                                                                                 "the wrong kind of frame")); },
                           pending.done);
                return drop(makeError(ErrorCode::Invalid, "the sync server answered a request with the wrong frame"),
                            Next::Retry);
            }
            (*done)(std::move(outcome));
        }
        if (std::holds_alternative<AckHandler>(pending.done))
            releasePushSlot();
        restartAnswerTimer();
    }

    void releasePushSlot()
    {
        if (m_state != State::Welcomed)
            return;
        --m_pushesInFlight;
        if (m_heldPushes.empty())
            return;
        auto [frame, done] = std::move(m_heldPushes.front());
        m_heldPushes.pop_front();
        ++m_pushesInFlight;
        send(frame, Pending{std::move(done)});
    }

    void send(const v1::Envelope &frame, Pending pending)
    {
        const bool wasIdle = m_pending.empty();
        m_pending.emplace(frame.sequence(), std::move(pending));
        m_connection->send(std::make_shared<const std::string>(encodeFrame(frame)));
        if (wasIdle)
            restartAnswerTimer();
    }

    void restartAnswerTimer()
    {
        if (m_pending.empty()) {
            m_answerTimer.cancel();
            return;
        }
        armTimer(m_answerTimer, m_options.answerTimeout, "the sync server left a request unanswered for "
                                                             + std::to_string(m_options.answerTimeout.count()) + " ms");
    }

    // Ends the current connection: every waiting request fails with Unavailable (once),
    // the owner hears why, and the client retries, halts or stops.
    void drop(const Error &why, Next next)
    {
        if (m_connection) {
            m_connection->shutdown();
            m_connection.reset();
        }
        ++m_generation;
        m_welcomeTimer.cancel();
        m_answerTimer.cancel();
        const bool wasUp = m_state == State::Connecting || m_state == State::Welcomed;
        m_connected = false;
        m_pushesInFlight = 0;
        const Error lost = unavailable("the sync connection ended before the answer: " + why.message);
        std::map<std::uint64_t, Pending> pending = std::exchange(m_pending, {});
        std::deque<std::pair<v1::Envelope, AckHandler>> held = std::exchange(m_heldPushes, {});
        for (auto &[sequence, request] : pending)
            std::visit([&](auto &done) { done(lost); }, request.done);
        for (auto &[frame, done] : held)
            done(lost);
        switch (next) {
        case Next::Retry:
            scheduleRetry();
            break;
        case Next::Halt:
            m_state = State::Halted;
            break;
        case Next::Stop:
            m_state = State::Stopped;
            break;
        }
        if (wasUp)
            emit(&SyncEvents::disconnected, why);
    }

    void scheduleRetry()
    {
        m_state = State::Waiting;
        m_retryTimer.expires_after(backoffDelay(m_options.backoff, m_attempt, m_options.random()));
        m_attempt = std::min(m_attempt + 1, 64u);
        m_retryTimer.async_wait([this](beast::error_code error) {
            if (!error && m_state == State::Waiting)
                connect();
        });
    }

    void shutDown()
    {
        m_retryTimer.cancel();
        drop(unavailable("the sync client stopped"), Next::Stop);
        m_work.reset();
    }

    SyncClientOptions m_options;
    Endpoint m_endpoint;
    std::optional<ssl::context> m_tls;

    std::mutex m_eventsMutex;
    SyncEvents m_events;
    std::mutex m_helloMutex;
    v1::Hello m_hello;

    std::mutex m_lifecycleMutex;
    bool m_started = false;
    bool m_running = false;
    std::atomic<bool> m_connected = false;

    // Everything below belongs to the I/O thread.
    asio::io_context m_io;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> m_work;
    asio::steady_timer m_retryTimer;
    asio::steady_timer m_welcomeTimer;
    asio::steady_timer m_answerTimer;
    State m_state = State::Idle;
    std::shared_ptr<Connection> m_connection;
    std::uint64_t m_generation = 0;
    unsigned m_attempt = 0;
    std::uint64_t m_nextSequence = 1;
    std::uint32_t m_maxInFlight = 1;
    std::uint32_t m_pushesInFlight = 0;
    std::map<std::uint64_t, Pending> m_pending;
    std::deque<std::pair<v1::Envelope, AckHandler>> m_heldPushes;
    std::thread m_thread;
};

SyncClient::SyncClient(SyncClientOptions options, SyncEvents events)
    : m_impl(std::make_shared<Impl>(std::move(options), std::move(events)))
{
}

SyncClient::~SyncClient() = default;

Status SyncClient::start()
{
    return m_impl->start();
}

void SyncClient::stop()
{
    m_impl->stop();
}

void SyncClient::resume()
{
    m_impl->resume();
}

void SyncClient::setEvents(SyncEvents events)
{
    m_impl->setEvents(std::move(events));
}

void SyncClient::setHello(v1::Hello hello)
{
    m_impl->setHello(std::move(hello));
}

void SyncClient::setCursor(std::string cursor)
{
    m_impl->setCursor(std::move(cursor));
}

void SyncClient::push(v1::Push batch, AckHandler done)
{
    v1::Envelope frame;
    *frame.mutable_push() = std::move(batch);
    m_impl->request<v1::Ack>(std::move(frame), std::move(done));
}

void SyncClient::pull(v1::Pull request, ChangesHandler done)
{
    v1::Envelope frame;
    *frame.mutable_pull() = std::move(request);
    m_impl->request<v1::Changes>(std::move(frame), std::move(done));
}

bool SyncClient::connected() const
{
    return m_impl->connected();
}

} // namespace sigess::sync
