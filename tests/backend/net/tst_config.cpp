#include "config/config.h"
#include "config/storage_config.h"

#include <QTest>

using namespace sigess::config;

namespace {

const std::string goodText = R"(# a comment
[listen]
address = 127.0.0.1
port = 9443
plaintext = true

[websocket]
allowed_origins = https://console.example.org, http://localhost:8080

[limits]
header_bytes = 16 KiB
body_bytes = 2 MiB
frame_bytes = 512KiB
connections_per_client = 4

[timeouts]
idle = 250ms
header = 5s
drain = 1min

[server]
threads = 3
log_level = debug

[storage]
kind = embedded
path = /var/lib/sigess/backend.db
key_file = /etc/sigess/backend.key
checkpoint_interval = 50ms
poll_interval = 2s

[catalog]
release = /var/lib/sigess/catalog.binpb
)";

const std::string tail = "[storage]\npath = /db\nkey_file = /key\n[catalog]\nrelease = /c\n";

} // namespace

class TestConfig : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesGoodFile()
    {
        auto parsed = parseConfig(goodText, "good.conf");
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        const auto &config = *parsed;
        QCOMPARE(config.server.address, std::string("127.0.0.1"));
        QCOMPARE(config.server.port, std::uint16_t(9443));
        QVERIFY(config.server.transport == sigess::net::Transport::PlaintextLoopback);
        QCOMPARE(config.server.allowedOrigins,
                 (std::vector<std::string>{"https://console.example.org", "http://localhost:8080"}));
        QCOMPARE(config.server.limits.headerBytes, std::size_t(16 * 1024));
        QCOMPARE(config.server.limits.bodyBytes, std::size_t(2 * 1024 * 1024));
        QCOMPARE(config.server.limits.frameBytes, std::size_t(512 * 1024));
        QCOMPARE(config.server.limits.connectionsPerClient, std::size_t(4));
        QVERIFY(config.server.timeouts.idle == std::chrono::milliseconds(250));
        QVERIFY(config.server.timeouts.header == std::chrono::seconds(5));
        QVERIFY(config.server.timeouts.drain == std::chrono::minutes(1));
        QCOMPARE(config.server.threads, 3u);
        QVERIFY(config.logLevel == sigess::net::LogLevel::Debug);
        QVERIFY(config.storage.kind == StorageKind::Embedded);
        QCOMPARE(config.storage.keyFile, std::string("/etc/sigess/backend.key"));
        QVERIFY(config.storage.checkpointInterval == std::chrono::milliseconds(50));
        QVERIFY(config.storage.pollInterval == std::chrono::seconds(2));
        const auto store = storageConfigOf(config.storage, 2);
        QVERIFY(std::holds_alternative<sigess::storage::EmbeddedStoreConfig>(store));
        QCOMPARE(std::get<sigess::storage::EmbeddedStoreConfig>(store).checkpointIntervalMs, 50);
        QCOMPARE(config.catalogRelease, std::string("/var/lib/sigess/catalog.binpb"));
    }

    void documentedExampleIsValid()
    {
        auto parsed = loadConfig(SIGESS_SOURCE_DIR "/deploy/sigess-backend.conf.example");
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QVERIFY(parsed->server.transport == sigess::net::Transport::Tls);
        QCOMPARE(parsed->server.address, std::string("0.0.0.0"));
    }

    void postgresqlStore()
    {
        auto parsed = parseConfig("listen.plaintext = true\nstorage.kind = postgresql\n"
                                  "storage.conninfo = host=/run/pg dbname=sigess password=a#b\ncatalog.release = /c\n",
                                  "pg.conf");
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
        QVERIFY(parsed->storage.kind == StorageKind::PostgreSql);
        QCOMPARE(parsed->storage.conninfo, std::string("host=/run/pg dbname=sigess password=a#b"));
        QVERIFY(!parsed->storage.checkpointInterval && !parsed->storage.pollInterval);
    }

    void errorsNameFileAndLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << "listen.plaintext = true\nlisten.adress = 127.0.0.1\n"
                                     << "bad.conf:2: unknown key 'listen.adress'";
        QTest::newRow("unknown key in section") << "[limits]\n\nbody = 1 MiB\n" << "bad.conf:3: unknown key 'limits.body'";
        QTest::newRow("unknown section") << "[listne]\n" << "bad.conf:1: unknown section [listne]";
        QTest::newRow("no equals") << "listen.plaintext true\n" << "bad.conf:1: expected 'key = value'";
        QTest::newRow("empty value") << "listen.address =\n" << "bad.conf:1: listen.address has no value";
        QTest::newRow("repeated key") << "listen.port = 1\n# x\nlisten.port = 2\n"
                                      << "bad.conf:3: listen.port is already set on line 1";
        QTest::newRow("bad port") << "listen.port = 70000\n" << "bad.conf:1: listen.port: '70000' is not a port";
        QTest::newRow("size without unit") << "limits.body_bytes = 1000\n" << "bad.conf:1: limits.body_bytes: '1000' needs a number and a unit";
        QTest::newRow("zero duration") << "timeouts.idle = 0s\n" << "bad.conf:1: timeouts.idle: '0s' must be above zero";
        QTest::newRow("bad boolean") << "listen.plaintext = yes\n" << "bad.conf:1: listen.plaintext: 'yes' is not true or false";
        QTest::newRow("origin with path") << "websocket.allowed_origins = https://a.example/x\n"
                                          << "bad.conf:1: websocket.allowed_origins: 'https://a.example/x' is not an origin";
        QTest::newRow("bad log level") << "server.log_level = loud\n" << "bad.conf:1: server.log_level: unknown log level 'loud'";
        QTest::newRow("host name address") << QString::fromStdString("listen.plaintext = true\nlisten.address = localhost\n" + tail)
                                           << "bad.conf:2: 'localhost' is not an IP address";
        QTest::newRow("plaintext on 0.0.0.0") << QString::fromStdString("listen.address = 0.0.0.0\nlisten.plaintext = true\n" + tail)
                                              << "bad.conf:2: plaintext HTTP is allowed only on a loopback address";
        QTest::newRow("plaintext on a LAN address") << QString::fromStdString("listen.address = 192.168.1.10\nlisten.plaintext = true\n" + tail)
                                                    << "bad.conf:2: plaintext HTTP is allowed only on a loopback address";
        QTest::newRow("tls without certificate") << QString::fromStdString("listen.address = 0.0.0.0\n" + tail)
                                                 << "bad.conf: TLS needs tls.certificate and tls.private_key";
        QTest::newRow("embedded without key") << "listen.plaintext = true\nstorage.path = /db\ncatalog.release = /c\n"
                                              << "bad.conf: the embedded store needs storage.path and storage.key_file";
        QTest::newRow("conninfo on embedded") << QString::fromStdString("listen.plaintext = true\nstorage.conninfo = x\n" + tail)
                                              << "bad.conf:2: storage.conninfo is for storage.kind = postgresql";
        QTest::newRow("interval of an hour") << "storage.poll_interval = 60min\n"
                                             << "bad.conf:1: storage.poll_interval: '60min' is over 1min";
        QTest::newRow("checkpoint interval on postgresql")
            << "listen.plaintext = true\nstorage.kind = postgresql\nstorage.conninfo = x\n"
               "storage.checkpoint_interval = 1s\ncatalog.release = /c\n"
            << "bad.conf:4: storage.checkpoint_interval is for storage.kind = embedded";
        QTest::newRow("poll interval on postgresql")
            << "listen.plaintext = true\nstorage.kind = postgresql\nstorage.conninfo = x\n"
               "storage.poll_interval = 1s\ncatalog.release = /c\n"
            << "bad.conf:4: storage.poll_interval is for storage.kind = embedded";
        QTest::newRow("no catalog") << "listen.plaintext = true\nstorage.path = /db\nstorage.key_file = /k\n"
                                    << "bad.conf: catalog.release is required";
    }

    void errorsNameFileAndLine()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        auto parsed = parseConfig(text.toStdString(), "bad.conf");
        QVERIFY(!parsed.ok());
        QVERIFY2(QString::fromStdString(parsed.error().message).startsWith(message), parsed.error().message.c_str());
    }

    void missingFileIsAnError()
    {
        auto parsed = loadConfig("/nonexistent/sigess.conf");
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.error().message.find("/nonexistent/sigess.conf") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
