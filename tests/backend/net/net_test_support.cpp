#include "net_test_support.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <stdexcept>
#include <thread>

namespace sigess::net::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

ServerOptions fastOptions()
{
    ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.transport = Transport::PlaintextLoopback;
    options.threads = 2;
    options.allowedOrigins = {"https://console.sigess.test"};
    options.timeouts.handshake = 2s;
    options.timeouts.idle = 2s;
    options.timeouts.header = 2s;
    options.timeouts.body = 2s;
    options.timeouts.write = 2s;
    options.timeouts.websocketIdle = 5s;
    options.timeouts.drain = 3s;
    return options;
}

TestServer::TestServer(ServerOptions options, Handlers handlers)
    : m_logger(m_clock, LogLevel::Debug, [this](std::string_view line) {
          const std::lock_guard lock(m_mutex);
          m_lines.emplace_back(line);
      })
{
    auto created = Server::create(std::move(options), std::move(handlers), m_logger);
    if (!created.ok())
        throw std::runtime_error(created.error().message);
    m_server = std::move(created.value());
    if (auto started = m_server->start(); !started.ok())
        throw std::runtime_error(started.error().message);
}

TestServer::~TestServer()
{
    m_server.reset();
}

bool TestServer::logged(const std::vector<std::string> &fragments) const
{
    const std::lock_guard lock(m_mutex);
    for (const auto &line : m_lines) {
        bool all = true;
        for (const auto &fragment : fragments)
            all = all && line.find(fragment) != std::string::npos;
        if (all)
            return true;
    }
    return false;
}

bool TestServer::logsWithin(const std::vector<std::string> &fragments, std::chrono::milliseconds limit) const
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!logged(fragments)) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::string TestServer::log() const
{
    const std::lock_guard lock(m_mutex);
    std::string text;
    for (const auto &line : m_lines)
        text += line + '\n';
    return text;
}

Request makeRequest(http::verb verb, const std::string &target, std::string body)
{
    Request request{verb, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
}

namespace {

template <typename Stream>
Exchange exchangeOn(asio::io_context &io, Stream &stream, Request &request, std::chrono::milliseconds limit)
{
    Exchange result;
    beast::flat_buffer buffer;
    beast::get_lowest_layer(stream).expires_after(limit);
    http::async_write(stream, request, [&](beast::error_code error, std::size_t) {
        if (error) {
            result.error = error;
            return;
        }
        http::async_read(stream, buffer, result.response,
                         [&](beast::error_code readError, std::size_t) { result.error = readError; });
    });
    io.restart();
    io.run();
    return result;
}

} // namespace

Exchange fetch(std::uint16_t port, Request request, std::chrono::milliseconds limit)
{
    asio::io_context io;
    beast::tcp_stream stream(io);
    Exchange result;
    stream.expires_after(limit);
    stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                         [&](beast::error_code error) { result.error = error; });
    io.run();
    if (result.error)
        return result;
    return exchangeOn(io, stream, request, limit);
}

Exchange fetchTls(std::uint16_t port, Request request, const std::string &caFile, std::chrono::milliseconds limit)
{
    asio::io_context io;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.load_verify_file(caFile);
    tls.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(io, tls);
    // The name the certificate must carry, as a browser would check it.
    stream.set_verify_callback(asio::ssl::host_name_verification("localhost"));
    Exchange result;
    beast::get_lowest_layer(stream).expires_after(limit);
    beast::get_lowest_layer(stream).async_connect(
        tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), [&](beast::error_code error) {
            if (error) {
                result.error = error;
                return;
            }
            stream.async_handshake(asio::ssl::stream_base::client,
                                   [&](beast::error_code handshakeError) { result.error = handshakeError; });
        });
    io.run();
    if (result.error)
        return result;
    return exchangeOn(io, stream, request, limit);
}

RawClient::RawClient(std::uint16_t port) : m_socket(m_io)
{
    m_socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), m_connectError);
}

bool RawClient::send(const std::string &bytes)
{
    beast::error_code error;
    asio::write(m_socket, asio::buffer(bytes), error);
    return !error;
}

RawClient::Read RawClient::read(std::chrono::milliseconds limit)
{
    Read result;
    std::array<char, 4096> chunk{};
    asio::steady_timer timer(m_io, limit);
    bool done = false;
    m_socket.async_read_some(asio::buffer(chunk), [&](beast::error_code error, std::size_t bytes) {
        done = true;
        result.error = error;
        result.bytes.assign(chunk.data(), bytes);
        timer.cancel();
    });
    timer.async_wait([&](beast::error_code error) {
        if (!error && !done)
            m_socket.cancel();
    });
    m_io.restart();
    m_io.run();
    return result;
}

bool RawClient::closedWithin(std::chrono::milliseconds limit)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        const auto got = read(std::max(left, std::chrono::milliseconds(1)));
        if (got.error == asio::error::operation_aborted)
            return false;
        if (got.error)
            return true;  // end of stream or reset
    }
    return false;
}

Exchange RawClient::exchange(Request request, std::chrono::milliseconds limit)
{
    Exchange result;
    asio::steady_timer timer(m_io, limit);
    timer.async_wait([&](beast::error_code error) {
        if (!error)
            m_socket.cancel();
    });
    http::async_write(m_socket, request, [&](beast::error_code error, std::size_t) {
        if (error) {
            result.error = error;
            timer.cancel();
            return;
        }
        http::async_read(m_socket, m_buffer, result.response, [&](beast::error_code readError, std::size_t) {
            result.error = readError;
            timer.cancel();
        });
    });
    m_io.restart();
    m_io.run();
    return result;
}

void RawClient::close()
{
    beast::error_code ignored;
    m_socket.close(ignored);
}

} // namespace sigess::net::testing
