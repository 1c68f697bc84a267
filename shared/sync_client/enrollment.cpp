#include "sync_client/enrollment.h"

#include "sigess/v1/api.pb.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <openssl/ssl.h>

#include <optional>

namespace sigess::sync {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace {

constexpr char exchangeTarget[] = "/api/v1/devices/exchange";

struct Exchange {
    beast::error_code error;
    std::string step;  // what failed: "connect", "TLS handshake"...
    http::response<http::string_body> response;
};

// One request on a new connection, each step bounded by the stream's deadline.
template <typename Stream>
class Exchanger {
public:
    Exchanger(Stream &stream, asio::ip::tcp::resolver &resolver, const Endpoint &server,
              http::request<http::string_body> request, std::chrono::milliseconds timeout)
        : m_stream(stream), m_resolver(resolver), m_server(server), m_request(std::move(request)), m_timeout(timeout)
    {
    }

    void run()
    {
        m_resolver.async_resolve(m_server.host, std::to_string(m_server.port),
                                 [this](beast::error_code error, asio::ip::tcp::resolver::results_type results) {
                                     if (error)
                                         return fail(error, "name resolution");
                                     beast::get_lowest_layer(m_stream).expires_after(m_timeout);
                                     beast::get_lowest_layer(m_stream).async_connect(
                                         results, [this](beast::error_code connectError, const asio::ip::tcp::endpoint &) {
                                             if (connectError)
                                                 return fail(connectError, "connect");
                                             handshake();
                                         });
                                 });
    }

    Exchange &result() { return m_result; }

private:
    void handshake()
    {
        if constexpr (std::is_same_v<Stream, beast::ssl_stream<beast::tcp_stream>>) {
            m_stream.async_handshake(ssl::stream_base::client, [this](beast::error_code error) {
                if (error)
                    return fail(error, "TLS handshake (is the CA file the one that signed the server's certificate?)");
                write();
            });
        } else {
            write();
        }
    }

    void write()
    {
        http::async_write(m_stream, m_request, [this](beast::error_code error, std::size_t) {
            if (error)
                return fail(error, "send");
            http::async_read(m_stream, m_buffer, m_result.response, [this](beast::error_code readError, std::size_t) {
                if (readError)
                    fail(readError, "read");
            });
        });
    }

    void fail(beast::error_code error, std::string step)
    {
        m_result.error = error;
        m_result.step = std::move(step);
    }

    Stream &m_stream;
    asio::ip::tcp::resolver &m_resolver;
    const Endpoint &m_server;
    http::request<http::string_body> m_request;
    std::chrono::milliseconds m_timeout;
    beast::flat_buffer m_buffer;
    Exchange m_result;
};

ErrorCode codeOfStatus(unsigned status)
{
    switch (status) {
    case 400: return ErrorCode::Invalid;
    case 401: return ErrorCode::Unauthorized;
    case 403: return ErrorCode::Forbidden;
    case 404: return ErrorCode::NotFound;
    case 409: return ErrorCode::Conflict;
    case 413: return ErrorCode::TooLarge;
    case 503: return ErrorCode::Unavailable;
    default: return ErrorCode::Internal;
    }
}

// The API's error body, {"error":{"code":"...","message":"..."}}, as a sentence.
std::string apiMessage(const std::string &body)
{
    google::protobuf::Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(body, &parsed).ok())
        return body.substr(0, 200);
    const auto error = parsed.fields().find("error");
    if (error == parsed.fields().end() || !error->second.has_struct_value())
        return body.substr(0, 200);
    const auto &fields = error->second.struct_value().fields();
    const auto message = fields.find("message");
    return message != fields.end() ? message->second.string_value() : body.substr(0, 200);
}

} // namespace

Result<EnrolledDevice> exchangeEnrollmentCode(const Endpoint &server, const std::string &caFile,
                                              const std::string &code, const std::string &label,
                                              std::chrono::milliseconds timeout)
{
    v1::DeviceExchangeRequest body;
    body.set_code(code);
    body.set_label(label);
    std::string json;
    if (!google::protobuf::util::MessageToJsonString(body, &json).ok())
        return makeError(ErrorCode::Internal, "cannot encode the enrollment request");
    http::request<http::string_body> request{http::verb::post, exchangeTarget, 11};
    request.set(http::field::host, server.host);
    request.set(http::field::content_type, "application/json");
    request.body() = std::move(json);
    request.prepare_payload();

    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    Exchange exchange;
    if (server.tls) {
        ssl::context tls(ssl::context::tls_client);
        tls.set_verify_mode(ssl::verify_peer);
        beast::error_code error;
        if (caFile.empty())
            tls.set_default_verify_paths(error);
        else
            tls.load_verify_file(caFile, error);
        if (error)
            return makeError(ErrorCode::Invalid, "cannot use the CA file '" + caFile + "': " + error.message());
        beast::ssl_stream<beast::tcp_stream> stream(io, tls);
        // SNI (SSL_set_tlsext_host_name spelled out: the macro casts in C style).
        SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char *>(server.host.c_str()));
        stream.set_verify_callback(ssl::host_name_verification(server.host));
        Exchanger exchanger(stream, resolver, server, std::move(request), timeout);
        exchanger.run();
        io.run_for(timeout);
        exchange = std::move(exchanger.result());
    } else {
        beast::tcp_stream stream(io);
        Exchanger exchanger(stream, resolver, server, std::move(request), timeout);
        exchanger.run();
        io.run_for(timeout);
        exchange = std::move(exchanger.result());
    }
    const std::string where = server.host + ":" + std::to_string(server.port);
    if (exchange.error)
        return makeError(ErrorCode::Unavailable, "enrollment at " + where + " failed in " + exchange.step + ": "
                                                     + exchange.error.message());
    const unsigned status = exchange.response.result_int();
    if (status == 0)
        return makeError(ErrorCode::Unavailable, "no answer from " + where + " within "
                                                     + std::to_string(timeout.count()) + " ms");
    if (status != 201 && status != 200)
        return makeError(codeOfStatus(status), "the server refused the enrollment code: "
                                                   + apiMessage(exchange.response.body()));
    v1::DeviceExchangeResponse response;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(exchange.response.body(), &response, options).ok()
        || response.device().meta().id().empty() || response.credential().empty())
        return makeError(ErrorCode::Invalid, "the server's answer to the enrollment is not a device and credential");
    return EnrolledDevice{response.device().meta().id(), response.device().meta().presidio(),
                          response.device().ticket_prefix(), response.credential()};
}

} // namespace sigess::sync
