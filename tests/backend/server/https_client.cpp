#include "https_client.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace sigess::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr const char *serverName = "localhost";

// The client's operations are asynchronous only so that a deadline applies to them; the
// caller waits here until they are done.
void runToCompletion(asio::io_context &io)
{
    io.restart();
    io.run();
}

} // namespace

asio::ssl::context makeClientTls(const std::string &caFile)
{
    asio::ssl::context tls(asio::ssl::context::tls_client);
    tls.load_verify_file(caFile);
    tls.set_verify_mode(asio::ssl::verify_peer);
    return tls;
}

HttpsClient::HttpsClient(asio::io_context &io, asio::ssl::context &tls, std::uint16_t port,
                         std::chrono::milliseconds timeout)
    : m_io(io)
    , m_tls(tls)
    , m_port(port)
    , m_timeout(timeout)
{
}

beast::error_code HttpsClient::connect()
{
    close();
    m_stream.emplace(m_io, m_tls);
    m_stream->set_verify_callback(asio::ssl::host_name_verification(serverName));
    beast::error_code result;
    auto &socket = beast::get_lowest_layer(*m_stream);
    socket.expires_after(m_timeout);
    socket.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), m_port),
                         [this, &result](beast::error_code error) {
                             if (error) {
                                 result = error;
                                 return;
                             }
                             m_stream->async_handshake(asio::ssl::stream_base::client,
                                                       [&result](beast::error_code handshakeError) {
                                                           result = handshakeError;
                                                       });
                         });
    runToCompletion(m_io);
    if (result)
        close();
    else
        socket.expires_never();
    return result;
}

HttpsReply HttpsClient::request(http::verb method, const std::string &target, const std::string &body,
                                const std::string &bearer)
{
    HttpsReply reply;
    if (!m_stream) {
        reply.error = connect();
        if (reply.error)
            return reply;
    }
    http::request<http::string_body> message {method, target, 11};
    message.set(http::field::host, serverName);
    message.keep_alive(true);
    if (!bearer.empty())
        message.set(http::field::authorization, "Bearer " + bearer);
    if (!body.empty())
        message.set(http::field::content_type, "application/json");
    message.body() = body;
    message.prepare_payload();

    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    beast::get_lowest_layer(*m_stream).expires_after(m_timeout);
    http::async_write(*m_stream, message, [this, &reply, &parser](beast::error_code error, std::size_t) {
        if (error) {
            reply.error = error;
            return;
        }
        http::async_read(*m_stream, m_buffer, parser,
                         [&reply](beast::error_code readError, std::size_t) { reply.error = readError; });
    });
    runToCompletion(m_io);
    if (reply.error) {
        close();
        return reply;
    }
    beast::get_lowest_layer(*m_stream).expires_never();
    http::response<http::string_body> response = parser.release();
    reply.status = static_cast<int>(response.result_int());
    reply.body = std::move(response.body());
    if (!response.keep_alive())
        close();
    return reply;
}

void HttpsClient::close()
{
    if (!m_stream)
        return;
    // No TLS close_notify: a test or benchmark client has nothing to wait for, and a
    // server that already closed would make it wait for the deadline.
    beast::error_code ignored;
    beast::get_lowest_layer(*m_stream).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(*m_stream).socket().close(ignored);
    m_stream.reset();
    m_buffer.clear();
}

} // namespace sigess::testing
