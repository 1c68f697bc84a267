#include "net_test_support.h"
#include "sync/frame_codec.h"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket.hpp>

#include <QTest>

#include <atomic>

using namespace sigess::net;
using namespace sigess::net::testing;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;

namespace {

// Answers Hello with Welcome; the hub test makes it send a Notify on demand.
class WelcomingSession : public SyncSession {
public:
    explicit WelcomingSession(SyncLink link) : m_link(std::move(link)) {}

    void onFrame(sigess::v1::Envelope frame) override
    {
        if (!frame.has_hello())
            return;
        sigess::v1::Envelope reply;
        reply.set_sequence(frame.sequence());
        reply.mutable_welcome()->set_max_batch(500);
        m_link.send(reply);
    }
    void onClose() override {}
    void notify(const std::string &cursor)
    {
        sigess::v1::Envelope frame;
        frame.mutable_notify()->set_latest_cursor(cursor);
        m_link.send(frame);
    }

private:
    SyncLink m_link;
};

Handlers syncHandlers()
{
    Handlers handlers;
    handlers.sync = [](SyncLink link, const PeerInfo &) { return std::make_unique<WelcomingSession>(std::move(link)); };
    return handlers;
}

ServerOptions syncOptions()
{
    auto options = fastOptions();
    options.limits.frameBytes = 4096;
    return options;
}

class SyncClient {
public:
    explicit SyncClient(std::uint16_t port) : m_ws(m_io)
    {
        beast::get_lowest_layer(m_ws).connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        beast::get_lowest_layer(m_ws).expires_after(5s);
    }

    // The handshake's HTTP status: 101 when upgraded.
    unsigned handshake(const std::string &origin)
    {
        if (!origin.empty()) {
            m_ws.set_option(websocket::stream_base::decorator(
                [origin](websocket::request_type &request) { request.set(http::field::origin, origin); }));
        }
        websocket::response_type response;
        beast::error_code error;
        m_ws.handshake(response, "127.0.0.1", "/v1/sync", error);
        m_ws.binary(true);
        return response.result_int();
    }

    void sendBytes(const std::string &bytes) { m_ws.write(asio::buffer(bytes)); }
    void send(const sigess::v1::Envelope &frame) { sendBytes(sigess::sync::encodeFrame(frame)); }

    // The next frame, decoded; an error when the connection closed instead.
    sigess::Result<sigess::v1::Envelope> receive()
    {
        beast::flat_buffer buffer;
        beast::error_code error;
        m_ws.read(buffer, error);
        if (error)
            return sigess::makeError(sigess::ErrorCode::Unavailable, error.message());
        return sigess::sync::decodeFrame(beast::buffers_to_string(buffer.data()));
    }

    websocket::close_reason closeReason() const { return m_ws.reason(); }

private:
    asio::io_context m_io;
    websocket::stream<beast::tcp_stream> m_ws;
};

// The status a WebSocket upgrade request gets (Beast's client keeps no response when the
// handshake fails, so the request is made by hand).
unsigned upgradeStatus(std::uint16_t port, const std::string &target, const std::string &origin)
{
    auto request = makeRequest(http::verb::get, target);
    request.set(http::field::connection, "upgrade");
    request.set(http::field::upgrade, "websocket");
    request.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    request.set(http::field::sec_websocket_version, "13");
    if (!origin.empty())
        request.set(http::field::origin, origin);
    return fetch(port, request).response.result_int();
}

sigess::v1::Envelope hello(std::uint64_t sequence)
{
    sigess::v1::Envelope frame;
    frame.set_sequence(sequence);
    frame.mutable_hello()->set_device_id("0190a8e0-0000-7000-8000-000000000001");
    return frame;
}

} // namespace

class TestWebSocketServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void originIsChecked_data()
    {
        QTest::addColumn<QString>("origin");
        QTest::addColumn<unsigned>("status");
        QTest::newRow("allowed origin") << "https://console.sigess.test" << 101u;
        QTest::newRow("no origin (a device)") << "" << 101u;
        QTest::newRow("foreign origin") << "https://evil.example" << 403u;
        QTest::newRow("lookalike origin") << "https://console.sigess.test.evil.example" << 403u;
    }

    void originIsChecked()
    {
        QFETCH(QString, origin);
        QFETCH(unsigned, status);
        TestServer server(syncOptions(), syncHandlers());
        QCOMPARE(upgradeStatus(server.port(), "/v1/sync", origin.toStdString()), status);
        if (status == 101u) {
            SyncClient client(server.port());
            QCOMPARE(client.handshake(origin.toStdString()), 101u);
            client.send(hello(1));
            auto reply = client.receive();
            QVERIFY(reply.ok());
            QVERIFY(reply->has_welcome());
            QCOMPARE(reply->sequence(), std::uint64_t(1));
        } else {
            QVERIFY(server.logsWithin({"event=websocket_origin_refused"}));
        }
    }

    void syncPathWithoutHandlerIsNotFound()
    {
        TestServer server(syncOptions());
        QCOMPARE(upgradeStatus(server.port(), "/v1/sync", ""), 404u);
        TestServer withHandler(syncOptions(), syncHandlers());
        QCOMPARE(upgradeStatus(withHandler.port(), "/elsewhere", ""), 404u);
    }

    void oversizedFrameClosesOnlyThatConnection()
    {
        TestServer server(syncOptions(), syncHandlers());
        SyncClient bystander(server.port());
        QCOMPARE(bystander.handshake(""), 101u);

        SyncClient client(server.port());
        QCOMPARE(client.handshake(""), 101u);
        client.sendBytes(std::string(10000, 'x'));
        QVERIFY(!client.receive().ok());
        QCOMPARE(client.closeReason().code, std::uint16_t(websocket::close_code::too_big));
        QVERIFY2(std::string(client.closeReason().reason.c_str()).find("4096") != std::string::npos,
                 client.closeReason().reason.c_str());

        bystander.send(hello(2));
        auto reply = bystander.receive();
        QVERIFY(reply.ok() && reply->has_welcome());
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
    }

    void badFramesGetRejectAndConnectionSurvives_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QByteArray() << "empty frame";
        QTest::newRow("garbage") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11) << "malformed";
        QTest::newRow("no frame") << QByteArray("\x08\x01", 2) << "no frame";
    }

    void badFramesGetRejectAndConnectionSurvives()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        TestServer server(syncOptions(), syncHandlers());
        SyncClient client(server.port());
        QCOMPARE(client.handshake(""), 101u);
        client.sendBytes(bytes.toStdString());
        auto reject = client.receive();
        QVERIFY(reject.ok());
        QVERIFY(reject->has_reject());
        QCOMPARE(reject->reject().code(), std::string("malformed_frame"));
        QVERIFY2(QString::fromStdString(reject->reject().reason()).contains(reason), reject->reject().reason().c_str());
        QVERIFY(!reject->reject().fatal());

        client.send(hello(3));
        auto welcome = client.receive();
        QVERIFY(welcome.ok() && welcome->has_welcome());
        QCOMPARE(server.server().metrics().counter("sigess_sync_frames_rejected_total", "").value(), std::uint64_t(1));
    }

    void hubReachesEverySession()
    {
        TestServer server(syncOptions(), syncHandlers());
        SyncClient first(server.port());
        SyncClient second(server.port());
        for (auto *client : {&first, &second}) {
            QCOMPARE(client->handshake(""), 101u);
            client->send(hello(1));
            QVERIFY(client->receive().ok());
        }
        QCOMPARE(server.server().hub().size(), std::size_t(2));

        sigess::v1::Envelope broadcast;
        broadcast.mutable_notify()->set_latest_cursor("c1");
        server.server().hub().broadcast(broadcast);
        server.server().hub().forEachSession(
            [](SyncSession &session) { static_cast<WelcomingSession &>(session).notify("c2"); });
        for (auto *client : {&first, &second}) {
            for (const char *cursor : {"c1", "c2"}) {
                auto frame = client->receive();
                QVERIFY(frame.ok() && frame->has_notify());
                QCOMPARE(frame->notify().latest_cursor(), std::string(cursor));
            }
        }
    }

    void stopClosesSessionsGoingAway()
    {
        TestServer server(syncOptions(), syncHandlers());
        SyncClient client(server.port());
        QCOMPARE(client.handshake(""), 101u);
        client.send(hello(1));
        QVERIFY(client.receive().ok());
        server.server().stop();
        QVERIFY(!client.receive().ok());
        QCOMPARE(client.closeReason().code, std::uint16_t(websocket::close_code::going_away));
        server.server().wait();
    }
};

QTEST_GUILESS_MAIN(TestWebSocketServer)
#include "tst_websocket_server.moc"
