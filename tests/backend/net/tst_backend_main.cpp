#include "net_test_support.h"
#include "server/backend.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sstream>

using namespace sigess::net;
using namespace sigess::net::testing;
namespace http = boost::beast::http;

namespace {

const QString backendBinary = QStringLiteral(SIGESS_BACKEND_BINARY);

QString writeConfig(const QTemporaryDir &dir, const std::string &text)
{
    const QString path = dir.filePath("backend.conf");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QByteArray::fromStdString(text));
    return path;
}

const std::string hexKey(64, 'a');

// A complete loopback deployment in `dir`: a catalog release built from the repository's
// source data, a new embedded store with a raw key, a cursor key, and the config.
QString writeDeployment(const QTemporaryDir &dir)
{
    QProcess build;
    build.start(QStringLiteral(SIGESS_CTL_BINARY),
                {"catalog", "build", "--source", SIGESS_SOURCE_DIR "/deploy/catalog", "--out", dir.filePath("catalog.pb")});
    if (!build.waitForFinished(60000) || build.exitCode() != 0)
        return {};
    for (const char *name : {"store.key", "cursor.key"}) {
        QFile key(dir.filePath(name));
        if (!key.open(QIODevice::WriteOnly))
            return {};
        key.write(QByteArray::fromStdString(hexKey + '\n'));
    }
    const std::string path = dir.path().toStdString();
    return writeConfig(dir, "[listen]\naddress = 127.0.0.1\nport = 0\nplaintext = true\n"
                            "[storage]\npath = " + path + "/backend.db\nkey_file = " + path + "/store.key\n"
                            "[catalog]\nrelease = " + path + "/catalog.pb\n"
                            "[api]\ncursor_key_file = " + path + "/cursor.key\n");
}

} // namespace

class TestBackendMain : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void apiPrefixRoutesToTheApiHandler()
    {
        sigess::server::Services services;
        services.api = [](const Request &request, const PeerInfo &) {
            Response response{http::status::ok, request.version()};
            response.body() = "api";
            response.prepare_payload();
            return response;
        };
        TestServer server(fastOptions(), sigess::server::makeHandlers(std::move(services)));
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/api/v1/me")).response.body(), std::string("api"));
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/apix")).response.result(), http::status::not_found);
        QCOMPARE(fetch(server.port(), makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
    }

    void usageAndConfigErrors()
    {
        std::ostringstream err;
        QCOMPARE(sigess::server::backendMain({}, err), 2);
        QVERIFY(err.str().find("usage:") != std::string::npos);

        QTemporaryDir dir;
        const auto bad = writeConfig(dir, "listen.address = 0.0.0.0\nlisten.plaintext = true\n");
        err.str({});
        QCOMPARE(sigess::server::backendMain({"--config", bad.toStdString(), "--check-config"}, err), 1);
        QVERIFY2(err.str().find("backend.conf:2: plaintext HTTP is allowed only on a loopback address")
                     != std::string::npos,
                 err.str().c_str());

        const auto good = writeDeployment(dir);
        QVERIFY(!good.isEmpty());
        err.str({});
        QCOMPARE(sigess::server::backendMain({"--config", good.toStdString(), "--check-config"}, err), 0);
    }

    void processServesAndDrainsOnSigterm()
    {
        QTemporaryDir dir;
        const auto config = writeDeployment(dir);
        QVERIFY(!config.isEmpty());
        QProcess backend;
        // The log goes to stderr; merged, it arrives through readyRead.
        backend.setProcessChannelMode(QProcess::MergedChannels);
        backend.start(backendBinary, {"--config", config});
        QVERIFY(backend.waitForStarted());
        QString log;
        int port = 0;
        const QRegularExpression started("event=server_started .*port=(\\d+)");
        while (port == 0 && backend.waitForReadyRead(10000)) {
            log += QString::fromUtf8(backend.readAll());
            const auto match = started.match(log);
            if (match.hasMatch())
                port = match.captured(1).toInt();
        }
        QVERIFY2(port != 0, qPrintable(log));
        QCOMPARE(fetch(std::uint16_t(port), makeRequest(http::verb::get, "/healthz")).response.result(), http::status::ok);
        // /api/ reaches the API, which wants a session for "me".
        QCOMPARE(fetch(std::uint16_t(port), makeRequest(http::verb::get, "/api/v1/me")).response.result(),
                 http::status::unauthorized);
        backend.terminate();  // SIGTERM
        QVERIFY(backend.waitForFinished(10000));
        log += QString::fromUtf8(backend.readAll());
        QCOMPARE(backend.exitStatus(), QProcess::NormalExit);
        QCOMPARE(backend.exitCode(), 0);
        QVERIFY2(log.contains("event=server_stopped"), qPrintable(log));
        QVERIFY2(log.contains("event=http_request peer=127.0.0.1 method=GET path=/healthz status=200"), qPrintable(log));
    }
};

QTEST_GUILESS_MAIN(TestBackendMain)
#include "tst_backend_main.moc"
