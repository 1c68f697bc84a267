// A blocking HTTPS client for the backend's end-to-end test and for api_bench: one
// keep-alive TLS connection to 127.0.0.1, the server's certificate verified against a CA
// file for the name "localhost" (as a browser would check it), and every operation
// bounded by a deadline, so a stuck server fails a test instead of hanging it.
// Qt-free, so the benchmark (built without the tests) compiles it too.
//
// Thread safety: a client is used by one thread at a time, and so is its io_context (the
// operations run it until they complete). Clients that share an io_context must share a
// thread; the TLS context may be shared by clients on any thread once it is made.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace sigess::testing {

// A TLS client context that trusts only the certificates of caFile.
boost::asio::ssl::context makeClientTls(const std::string &caFile);

struct HttpsReply {
    boost::beast::error_code error;  // set when no complete response arrived
    int status = 0;
    std::string body;
};

class HttpsClient {
public:
    HttpsClient(boost::asio::io_context &io, boost::asio::ssl::context &tls, std::uint16_t port,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // TCP connect and TLS handshake. request() connects by itself when needed.
    boost::beast::error_code connect();
    bool connected() const { return m_stream.has_value(); }

    // One request on the kept-alive connection; the connection is dropped after an error
    // or a response that closes it, and made again by the next request. `bearer` is a
    // session token sent as "Authorization: Bearer ...". A request is never resent.
    HttpsReply request(boost::beast::http::verb method, const std::string &target, const std::string &body = {},
                       const std::string &bearer = {});

    void close();

private:
    using Stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    boost::asio::io_context &m_io;
    boost::asio::ssl::context &m_tls;
    std::uint16_t m_port;
    std::chrono::milliseconds m_timeout;
    std::optional<Stream> m_stream;
    boost::beast::flat_buffer m_buffer;
};

} // namespace sigess::testing
