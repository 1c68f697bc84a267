#include "net_test_support.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sstream>
#include <future>
#include <cctype>
#include <thread>

using namespace sigess::net;
using namespace sigess::net::testing;
namespace http = boost::beast::http;

namespace {

Handlers echoApi()
{
    Handlers handlers;
    handlers.routes.push_back({"/api/", [](const Request &request, const PeerInfo &) {
                                   Response response{http::status::ok, request.version()};
                                   response.body() = request.body();
                                   response.prepare_payload();
                                   return response;
                               }});
    return handlers;
}

// Value of a series ("name" or "name{labels}") in a Prometheus text body, -1 if absent.
double metricValue(const std::string &text, const std::string &series)
{
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with(series + ' '))
            return std::stod(line.substr(series.size() + 1));
    }
    return -1;
}

bool isMetricName(std::string_view name)
{
    const auto valid = [](char c, bool first) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'
               || (!first && std::isdigit(static_cast<unsigned char>(c)));
    };
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!valid(name[i], i == 0))
            return false;
    }
    return !name.empty();
}

// "name value" or "name{label=\"v\",...} value", as the exposition format has it.
bool isSampleLine(const std::string &line)
{
    const auto space = line.rfind(' ');
    if (space == std::string::npos)
        return false;
    const std::string value = line.substr(space + 1);
    std::string series = line.substr(0, space);
    if (value != "+Inf" && value.find_first_not_of("0123456789.eE+-") != std::string::npos)
        return false;
    const auto brace = series.find('{');
    if (brace == std::string::npos)
        return isMetricName(series);
    if (series.back() != '}' || !isMetricName(std::string_view(series).substr(0, brace)))
        return false;
    std::istringstream labels(series.substr(brace + 1, series.size() - brace - 2));
    for (std::string label; std::getline(labels, label, ',');) {
        const auto equals = label.find('=');
        if (equals == std::string::npos || !isMetricName(std::string_view(label).substr(0, equals))
            || label.size() < equals + 3 || label[equals + 1] != '"' || label.back() != '"')
            return false;
    }
    return true;
}

} // namespace

class TestHttpServer : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void healthzOverPlaintextLoopback()
    {
        TestServer server;
        const auto got = fetch(server.port(), makeRequest(http::verb::get, "/healthz"));
        QVERIFY2(!got.error, got.error.message().c_str());
        QCOMPARE(got.response.result(), http::status::ok);
        QCOMPARE(got.response.body(), std::string(R"({"status":"ok"})"));
        QVERIFY(server.logsWithin({"event=http_request", "peer=127.0.0.1", "method=GET", "path=/healthz", "status=200",
                               "ms="}));
    }

    void healthzReportsFailingHealthCheck()
    {
        Handlers handlers;
        handlers.health = [] { return sigess::Status(sigess::makeError(sigess::ErrorCode::Unavailable, "store down")); };
        TestServer server(fastOptions(), handlers);
        const auto got = fetch(server.port(), makeRequest(http::verb::get, "/healthz"));
        QCOMPARE(got.response.result(), http::status::service_unavailable);
        QVERIFY(got.response.body().find("store down") != std::string::npos);
    }

    void healthzOverTlsWithDemoCa()
    {
        QTemporaryDir dir;
        QProcess script;
        script.start(SIGESS_SOURCE_DIR "/deploy/make-demo-tls", {dir.path()});
        QVERIFY(script.waitForFinished(60000));
        QCOMPARE(script.exitCode(), 0);
        const std::string tlsDir = dir.path().toStdString();

        auto options = fastOptions();
        options.transport = Transport::Tls;
        options.certificateFile = tlsDir + "/server.crt";
        options.privateKeyFile = tlsDir + "/server.key";
        TestServer server(options);
        const auto got = fetchTls(server.port(), makeRequest(http::verb::get, "/healthz"), tlsDir + "/ca.crt");
        QVERIFY2(!got.error, got.error.message().c_str());
        QCOMPARE(got.response.result(), http::status::ok);

        // A client trusting another CA must refuse the server's chain.
        QTemporaryDir otherDir;
        script.start(SIGESS_SOURCE_DIR "/deploy/make-demo-tls", {otherDir.path()});
        QVERIFY(script.waitForFinished(60000));
        const auto untrusted = fetchTls(server.port(), makeRequest(http::verb::get, "/healthz"),
                                        otherDir.path().toStdString() + "/ca.crt");
        QVERIFY(untrusted.error);
        // A plaintext client gets nothing from a TLS port.
        QVERIFY(fetch(server.port(), makeRequest(http::verb::get, "/healthz"), 2s).error);
    }

    void missingTlsFilesAreAClearError()
    {
        auto options = fastOptions();
        options.transport = Transport::Tls;
        options.certificateFile = "/nonexistent/server.crt";
        options.privateKeyFile = "/nonexistent/server.key";
        sigess::core::ManualClock clock;
        Logger logger(clock, LogLevel::Error, [](std::string_view) {});
        auto created = Server::create(options, {}, logger);
        QVERIFY(!created.ok());
        QVERIFY(created.error().message.find("/nonexistent/server.crt") != std::string::npos);
    }

    void plaintextOffLoopbackIsRefused()
    {
        auto options = fastOptions();
        options.address = "0.0.0.0";
        sigess::core::ManualClock clock;
        Logger logger(clock, LogLevel::Error, [](std::string_view) {});
        auto created = Server::create(options, {}, logger);
        QVERIFY(!created.ok());
        QVERIFY(created.error().message.find("loopback") != std::string::npos);
    }

    void metricsCountRequests()
    {
        TestServer server(fastOptions(), echoApi());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/nowhere")).response.result(),
                 http::status::not_found);
        const auto got = fetch(server.port(), makeRequest(http::verb::get, "/metrics"));
        QCOMPARE(got.response.result(), http::status::ok);
        QVERIFY(std::string(got.response[http::field::content_type]).starts_with("text/plain; version=0.0.4"));
        const std::string &text = got.response.body();
        // Every line is a HELP or TYPE comment or a sample.
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            if (line.starts_with("# HELP ") || line.starts_with("# TYPE "))
                continue;
            QVERIFY2(isSampleLine(line), line.c_str());
        }
        QCOMPARE(metricValue(text, R"(sigess_http_requests_total{class="2xx"})"), 3.0);
        QCOMPARE(metricValue(text, R"(sigess_http_requests_total{class="4xx"})"), 1.0);
        QCOMPARE(metricValue(text, "sigess_http_request_duration_seconds_count"), 4.0);
        QCOMPARE(metricValue(text, R"(sigess_http_request_duration_seconds_bucket{le="+Inf"})"), 4.0);
        QVERIFY(metricValue(text, "sigess_connections_open") >= 1);
        QVERIFY(metricValue(text, "sigess_connections_accepted_total") >= 5);
        QVERIFY(text.find("# TYPE sigess_sync_ops_received_total counter") != std::string::npos);
    }

    void apiRoutesReceiveTheBody()
    {
        TestServer server(fastOptions(), echoApi());
        const auto got = fetch(server.port(), makeRequest(http::verb::post, "/api/v1/echo", "hello"));
        QCOMPARE(got.response.result(), http::status::ok);
        QCOMPARE(got.response.body(), std::string("hello"));
    }

    void oversizedHeaderGets431AndServerKeepsServing()
    {
        auto options = fastOptions();
        options.limits.headerBytes = 1024;
        TestServer server(options, echoApi());
        auto request = makeRequest(http::verb::get, "/healthz");
        request.set("X-Padding", std::string(4096, 'p'));
        const auto got = fetch(server.port(), request);
        QVERIFY2(!got.error, got.error.message().c_str());
        QCOMPARE(got.response.result(), http::status::request_header_fields_too_large);
        QVERIFY(got.response.body().find(R"("code":"too_large")") != std::string::npos);
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
    }

    void oversizedBodyGets413AndServerKeepsServing()
    {
        auto options = fastOptions();
        options.limits.bodyBytes = 1024;
        TestServer server(options, echoApi());
        const auto got = fetch(server.port(), makeRequest(http::verb::post, "/api/v1/echo", std::string(64 * 1024, 'b')));
        QVERIFY2(!got.error, got.error.message().c_str());
        QCOMPARE(got.response.result(), http::status::payload_too_large);
        const auto small = fetch(server.port(), makeRequest(http::verb::post, "/api/v1/echo", std::string(1000, 'b')));
        QCOMPARE(small.response.result(), http::status::ok);
    }

    void slowlorisIsShedWhileOthersAreServed()
    {
        auto options = fastOptions();
        options.timeouts.header = 300ms;
        TestServer server(options);
        RawClient slow(server.port());
        QVERIFY(slow.connected());
        QVERIFY(slow.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
        bool othersServed = false;
        bool shed = false;
        for (int i = 0; i < 100 && !shed; ++i) {
            slow.send("a");
            if (!othersServed)
                othersServed = fetch(server.port(), makeRequest(http::verb::get, "/healthz")).response.result()
                               == http::status::ok;
            shed = slow.closedWithin(50ms);
        }
        QVERIFY(othersServed);
        QVERIFY(shed);
        QVERIFY(server.logsWithin({"event=request_timeout", "phase=header"}));
    }

    void idleKeepAliveIsShed()
    {
        auto options = fastOptions();
        options.timeouts.idle = 200ms;
        TestServer server(options);
        RawClient client(server.port());
        const auto got = client.exchange(makeRequest(http::verb::get, "/healthz"));
        QCOMPARE(got.response.result(), http::status::ok);
        QVERIFY(got.response.keep_alive());
        QVERIFY(client.closedWithin(5s));
    }

    void connectionsPerClientAreLimited()
    {
        auto options = fastOptions();
        options.limits.connectionsPerClient = 2;
        options.timeouts.idle = 10s;
        TestServer server(options);
        RawClient first(server.port());
        RawClient second(server.port());
        QCOMPARE(first.exchange(makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
        QCOMPARE(second.exchange(makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
        RawClient excess(server.port());
        QVERIFY(excess.closedWithin(5s));
        // The admitted connections keep being served.
        QCOMPARE(first.exchange(makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
        QVERIFY(server.logsWithin({"event=connection_refused", "reason=per_client_limit"}));
        QCOMPARE(server.server().metrics().counter("sigess_connections_refused_total", "",
                                                   {{"reason", "per_client_limit"}}).value(), std::uint64_t(1));
    }

    void stopFinishesInFlightRequestAndRefusesNewOnes()
    {
        std::promise<void> entered;
        std::promise<void> release;
        auto released = release.get_future().share();
        Handlers handlers;
        handlers.routes.push_back({"/api/slow", [&entered, released](const Request &request, const PeerInfo &) {
                                       entered.set_value();
                                       released.wait();
                                       Response response{http::status::ok, request.version()};
                                       response.body() = "done";
                                       response.prepare_payload();
                                       return response;
                                   }});
        TestServer server(fastOptions(), handlers);
        const auto port = server.port();
        RawClient idle(port);
        QCOMPARE(idle.exchange(makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);

        auto inFlight = std::async(std::launch::async, [port] { return fetch(port, makeRequest(http::verb::get, "/api/slow"), 10s); });
        entered.get_future().wait();
        // Whatever a check below finds, the handler must not stay blocked.
        const auto releaseOnExit = std::shared_ptr<void>(nullptr, [&release, &released](void *) {
            if (released.wait_for(0s) != std::future_status::ready)
                release.set_value();
        });
        server.server().stop();
        // stop() returns once the listening socket is closed: nobody answers any more.
        // (A bare connect can succeed on loopback by connecting to itself, as the port is
        // now free, so the check is that no request is served.)
        QVERIFY(fetch(port, makeRequest(http::verb::get, "/healthz"), 2s).error);
        // The idle keep-alive connection is closed without waiting for the drain.
        QVERIFY(idle.closedWithin(5s));
        release.set_value();
        const auto got = inFlight.get();
        QVERIFY2(!got.error, got.error.message().c_str());
        QCOMPARE(got.response.result(), http::status::ok);
        QCOMPARE(got.response.body(), std::string("done"));
        QVERIFY(!got.response.keep_alive());
        server.server().wait();
        QVERIFY(server.logged({"event=server_stopped"}));
    }

    void sigtermStartsTheDrain()
    {
        TestServer server;
        server.server().stopOnSignals();
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
        std::raise(SIGTERM);
        server.server().wait();
        QVERIFY(server.logged({"event=signal", "signal=15"}));
        QVERIFY(server.logged({"event=server_stopped"}));
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_http_server.moc"
