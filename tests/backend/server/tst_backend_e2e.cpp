// sigess-backend end to end: the real executable, started on an empty store of either
// kind, over TLS with a CA made by deploy/make-demo-tls, administered with the real
// sigessctl, spoken to over HTTPS by a client that trusts only that CA.
#include "backend/storage/store_fixture.h"
#include "config/config.h"
#include "config/storage_config.h"
#include "https_client.h"
#include "storage/audit_repository.h"
#include "storage/citizen_repository.h"
#include "storage/storage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <boost/asio/ssl/error.hpp>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

using namespace sigess;
using sigess::test::StoreKind;
using sigess::testing::HttpsClient;
using sigess::testing::HttpsReply;
namespace http = boost::beast::http;

Q_DECLARE_METATYPE(sigess::test::StoreKind)

namespace {

const QString backendBinary = QStringLiteral(SIGESS_BACKEND_BINARY);
const QString ctlBinary = QStringLiteral(SIGESS_CTL_BINARY);
const QString sourceDir = QStringLiteral(SIGESS_SOURCE_DIR);
constexpr char kPresidio[] = "P-M01-01";
constexpr char kUsername[] = "e2e.coordinator";
constexpr char kPassword[] = "correct horse battery";

#define QVERIFY_OK(status)                                                                                             \
    do {                                                                                                               \
        const auto &checked_ = (status);                                                                               \
        QVERIFY2(checked_.ok(), checked_.ok() ? "" : checked_.error().message.c_str());                               \
    } while (false)

struct ToolRun {
    int exitCode = -1;
    QString output;
};

ToolRun runTool(const QString &program, const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, arguments);
    process.write(input);
    process.closeWriteChannel();
    ToolRun run;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        run.output = "timed out: " + program + " " + arguments.join(' ');
        return run;
    }
    run.output = QString::fromUtf8(process.readAll());
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return run;
}

QJsonObject json(const HttpsReply &reply)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(reply.body)).object();
}

std::string text(const QJsonValue &value)
{
    return value.toString().toStdString();
}

std::string loginBody(const std::string &password)
{
    return R"({"username":")" + std::string(kUsername) + R"(","password":")" + password + R"("})";
}

std::string citizenBody(const std::string &family, const std::string &given)
{
    return R"({"family_name":")" + family + R"(","given_name":")" + given + R"("})";
}

// Everything one backend needs on disk (TLS material, catalog release, cursor key, store
// and config) in a temporary directory, and the backend process itself.
class Backend {
public:
    Backend(StoreKind kind, test::TestPostgresServer &postgres) : m_kind(kind), m_postgres(postgres) {}

    ~Backend()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
        if (!m_schema.empty())
            m_postgres.dropSchema(m_schema);
    }

    // Writes the files and the config; the store itself starts empty.
    Status prepare()
    {
        if (!m_dir.isValid())
            return makeError(ErrorCode::Unavailable, "no temporary directory");
        const ToolRun tls = runTool(sourceDir + "/deploy/make-demo-tls", {path("tls")});
        if (tls.exitCode != 0)
            return makeError(ErrorCode::Unavailable, "make-demo-tls failed: " + tls.output.toStdString());
        const ToolRun catalog = runTool(ctlBinary, {"catalog", "build", "--source", sourceDir + "/deploy/catalog",
                                                    "--out", path("catalog.pb")});
        if (catalog.exitCode != 0)
            return makeError(ErrorCode::Unavailable, "catalog build failed: " + catalog.output.toStdString());
        QFile cursorKey(path("cursor.key"));
        if (!cursorKey.open(QIODevice::WriteOnly) || cursorKey.write(QByteArray(48, 'c') + "\n") < 0)
            return makeError(ErrorCode::Unavailable, "cannot write the cursor key");
        cursorKey.close();

        std::string storage;
        if (m_kind == StoreKind::Embedded) {
            storage::EmbeddedStoreConfig embedded;
            embedded.path = path("backend.db").toStdString();
            embedded.keyFile = path("store.key").toStdString();
            SIGESS_TRY(storage::createKeyFile(embedded, storage::KeyFileFormat::RawHex));
            storage = "kind = embedded\npath = " + embedded.path + "\nkey_file = " + embedded.keyFile + "\n";
        } else {
            Result<std::string> conninfo = m_postgres.freshSchema(m_schema);
            if (!conninfo.ok())
                return conninfo.takeError();
            storage = "kind = postgresql\nconninfo = " + *conninfo + "\n";
        }
        // Four workers on however many cores: requests overlap even on a small machine.
        const std::string config = "[listen]\naddress = 127.0.0.1\nport = 0\n"
                                   "[tls]\ncertificate = " + path("tls/server.crt").toStdString()
            + "\nprivate_key = " + path("tls/server.key").toStdString() + "\n"
            + "[server]\nthreads = 4\n"
            + "[storage]\n" + storage
            + "[catalog]\nrelease = " + path("catalog.pb").toStdString() + "\n"
            + "[api]\ncursor_key_file = " + path("cursor.key").toStdString() + "\n";
        QFile file(configFile());
        if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::fromStdString(config)) < 0)
            return makeError(ErrorCode::Unavailable, "cannot write the config");
        return {};
    }

    // Starts sigess-backend and waits for the line that says where it listens.
    Status start()
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(backendBinary, {"--config", configFile()});
        if (!m_process.waitForStarted())
            return makeError(ErrorCode::Unavailable, "sigess-backend did not start");
        const QRegularExpression listening("event=listening url=https://127\\.0\\.0\\.1:(\\d+)");
        while (m_port == 0 && m_process.waitForReadyRead(60000)) {
            m_log += QString::fromUtf8(m_process.readAll());
            const auto match = listening.match(m_log);
            if (match.hasMatch())
                m_port = static_cast<std::uint16_t>(match.captured(1).toUInt());
        }
        if (m_port == 0)
            return makeError(ErrorCode::Unavailable, "no listening line: " + m_log.toStdString());
        return {};
    }

    // SIGTERM, then the exit status once drained.
    int terminate()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(60000))
            return -1;
        m_log += QString::fromUtf8(m_process.readAll());
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    ToolRun ctl(QStringList arguments, const QByteArray &input = {}) const
    {
        arguments << "--config" << configFile();
        return runTool(ctlBinary, arguments, input);
    }

    // The store as the server opens it (for checks once it has stopped).
    Result<std::unique_ptr<storage::SqlDatabase>> openStore() const
    {
        Result<config::BackendConfig> config = config::loadConfig(configFile().toStdString());
        if (!config.ok())
            return config.takeError();
        return storage::openStorage(config::storageConfigOf(config->storage, 2));
    }

    std::uint16_t port() const { return m_port; }
    QString caFile() const { return path("tls/ca.crt"); }
    QString configFile() const { return path("backend.conf"); }
    QString log() const { return m_log; }

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    StoreKind m_kind;
    test::TestPostgresServer &m_postgres;
    QTemporaryDir m_dir;
    std::string m_schema;
    QProcess m_process;
    QString m_log;
    std::uint16_t m_port = 0;
};

} // namespace

class TestBackendE2e : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void servesTheApiOverTls_data() { addStoreRows(); }
    void servesTheApiOverTls()
    {
        QFETCH(StoreKind, kind);
        Backend backend(kind, m_postgres);
        QVERIFY_OK(backend.prepare());
        QVERIFY_OK(backend.start());
        // The server copied the catalog's presidi into the empty store, so an operator of
        // one can be made, by the admin tool, beside the running server.
        const ToolRun added = backend.ctl({"user", "add", kUsername, "--role", "coordinator", "--presidio", kPresidio},
                                          QByteArray(kPassword) + "\n");
        QVERIFY2(added.exitCode == 0, qPrintable(added.output));

        boost::asio::io_context io;
        auto tls = testing::makeClientTls(backend.caFile().toStdString());
        HttpsClient client(io, tls, backend.port());
        const HttpsReply health = client.request(http::verb::get, "/healthz");
        QVERIFY2(!health.error, health.error.message().c_str());
        QCOMPARE(health.status, 200);

        // A client that does not trust the demo CA never gets past the handshake.
        boost::asio::ssl::context untrusting(boost::asio::ssl::context::tls_client);
        untrusting.set_verify_mode(boost::asio::ssl::verify_peer);
        HttpsClient stranger(io, untrusting, backend.port());
        QVERIFY(stranger.connect());

        const HttpsReply refused = client.request(http::verb::post, "/api/v1/login", loginBody("wrong password!"));
        QCOMPARE(refused.status, 401);
        QCOMPARE(text(json(refused)["error"].toObject()["code"]), std::string("unauthorized"));
        QCOMPARE(client.request(http::verb::get, "/api/v1/me").status, 401);

        const HttpsReply login = client.request(http::verb::post, "/api/v1/login", loginBody(kPassword));
        QCOMPARE(login.status, 200);
        const std::string token = text(json(login)["token"]);
        QVERIFY(!token.empty());
        const HttpsReply me = client.request(http::verb::get, "/api/v1/me", {}, token);
        QCOMPARE(me.status, 200);
        QVERIFY2(me.body.find(kUsername) != std::string::npos, me.body.c_str());

        QSet<QString> created;
        for (const char *given : {"Anna", "Bruno", "Carla", "Dario", "Elena"}) {
            const HttpsReply reply = client.request(http::verb::post, "/api/v1/citizens",
                                                    citizenBody("Paginato", given), token);
            QCOMPARE(reply.status, 201);
            const std::string id = text(json(reply)["meta"].toObject()["id"]);
            const HttpsReply read = client.request(http::verb::get, "/api/v1/citizens/" + id, {}, token);
            QCOMPARE(read.status, 200);
            QCOMPARE(text(json(read)["given_name"]), std::string(given));
            QCOMPARE(text(json(read)["family_name"]), std::string("Paginato"));
            created.insert(QString::fromStdString(id));
        }

        // Two at a time: three pages, each citizen once, the last page without a cursor.
        QSet<QString> listed;
        int pages = 0;
        std::string cursor;
        do {
            const std::string target = "/api/v1/citizens?presidio=" + std::string(kPresidio)
                + "&q=paginato&limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor);
            const HttpsReply page = client.request(http::verb::get, target, {}, token);
            QVERIFY2(page.status == 200, page.body.c_str());
            const QJsonArray citizens = json(page)["citizens"].toArray();
            QVERIFY(citizens.size() <= 2);
            for (const QJsonValue &citizen : citizens) {
                const QString id = citizen.toObject()["meta"].toObject()["id"].toString();
                QVERIFY2(!listed.contains(id), "a citizen was listed twice");
                listed.insert(id);
            }
            cursor = text(json(page)["next_cursor"]);
            QVERIFY(++pages <= 3);
        } while (!cursor.empty());
        QCOMPARE(pages, 3);
        QCOMPARE(listed, created);

        const HttpsReply tampered = client.request(
            http::verb::get, "/api/v1/citizens?presidio=" + std::string(kPresidio) + "&q=paginato&limit=2&cursor=AAAA",
            {}, token);
        QCOMPARE(tampered.status, 400);

        const HttpsReply metrics = client.request(http::verb::get, "/metrics");
        QCOMPARE(metrics.status, 200);
        // The sync service's own series beside the server's.
        QVERIFY2(metrics.body.find("\nsigess_sync_device_resets_total 0\n") != std::string::npos, metrics.body.c_str());
        QCOMPARE(client.request(http::verb::post, "/api/v1/logout", {}, token).status, 200);
        QCOMPARE(client.request(http::verb::get, "/api/v1/me", {}, token).status, 401);

        client.close();
        QCOMPARE(backend.terminate(), 0);
        QVERIFY2(backend.log().contains("event=server_stopped"), qPrintable(backend.log()));
        const ToolRun verified = backend.ctl({"audit", "verify"});
        QVERIFY2(verified.exitCode == 0, qPrintable(verified.output));
    }

    // Writers keep creating citizens while the server is told to stop: every creation
    // the server acknowledged is in the store, every stored one is whole (its audit
    // event with it), and the audit chain verifies.
    void sigtermDuringLoadLosesNothing_data() { addStoreRows(); }
    void sigtermDuringLoadLosesNothing()
    {
        QFETCH(StoreKind, kind);
        Backend backend(kind, m_postgres);
        QVERIFY_OK(backend.prepare());
        QVERIFY_OK(backend.start());
        const ToolRun added = backend.ctl({"user", "add", kUsername, "--role", "coordinator", "--presidio", kPresidio},
                                          QByteArray(kPassword) + "\n");
        QVERIFY2(added.exitCode == 0, qPrintable(added.output));
        auto tls = testing::makeClientTls(backend.caFile().toStdString());
        std::string token;
        {
            boost::asio::io_context io;
            HttpsClient client(io, tls, backend.port());
            const HttpsReply login = client.request(http::verb::post, "/api/v1/login", loginBody(kPassword));
            QCOMPARE(login.status, 200);
            token = text(json(login)["token"]);
        }

        constexpr int writers = 6;
        constexpr int acknowledgedBeforeStop = 60;
        struct Writer {
            std::vector<std::string> acknowledged;
            std::map<int, int> otherStatuses;
            std::string lastError;
        };
        std::vector<Writer> results(writers);
        std::atomic<int> acknowledged {0};
        std::atomic<int> running {writers};
        std::atomic<bool> stopping {false};
        std::atomic<int> errorsBeforeStop {0};
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w) {
            threads.emplace_back([&, w] {
                boost::asio::io_context io;
                HttpsClient client(io, tls, backend.port());
                Writer &mine = results[static_cast<std::size_t>(w)];
                for (int i = 0;; ++i) {
                    const HttpsReply reply = client.request(
                        http::verb::post, "/api/v1/citizens",
                        citizenBody("Drain", "W" + std::to_string(w) + "N" + std::to_string(i)), token);
                    if (reply.error) {
                        // Once the server stops, new connections are refused: this writer is done.
                        mine.lastError = reply.error.message();
                        if (!stopping)
                            ++errorsBeforeStop;
                        break;
                    }
                    if (reply.status == 201) {
                        mine.acknowledged.push_back(text(json(reply)["meta"].toObject()["id"]));
                        ++acknowledged;
                    } else {
                        ++mine.otherStatuses[reply.status];
                    }
                }
                --running;
            });
        }
        while (acknowledged < acknowledgedBeforeStop && running > 0)
            QTest::qWait(20);
        stopping = true;
        const int exitCode = backend.terminate();
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(errorsBeforeStop.load(), 0);
        QCOMPARE(exitCode, 0);
        QVERIFY2(backend.log().contains("event=server_stopped"), qPrintable(backend.log()));

        QSet<QString> acknowledgedIds;
        for (const Writer &writer : results) {
            for (const auto &[status, count] : writer.otherStatuses)
                QVERIFY2(status == 503, qPrintable(QStringLiteral("%1 answers of status %2").arg(count).arg(status)));
            for (const std::string &id : writer.acknowledged)
                acknowledgedIds.insert(QString::fromStdString(id));
        }
        QVERIFY(acknowledgedIds.size() >= acknowledgedBeforeStop);

        auto store = backend.openStore();
        QVERIFY_OK(store);
        storage::SqlDatabase &database = **store;
        QSet<QString> stored;
        storage::PageRequest page;
        page.limit = storage::PageRequest::maxLimit;
        do {
            auto found = storage::CitizenRepository(database).search(
                storage::CitizenSearch {"drain", storage::Scope::presidio(kPresidio)}, page);
            QVERIFY_OK(found);
            for (const v1::Citizen &citizen : found->items) {
                QCOMPARE(citizen.family_name(), std::string("Drain"));
                stored.insert(QString::fromStdString(citizen.meta().id()));
            }
            page.cursor = found->nextCursor;
        } while (!page.cursor.empty());
        QVERIFY2(stored.contains(acknowledgedIds),
                 qPrintable(QStringLiteral("acknowledged %1, stored %2").arg(acknowledgedIds.size()).arg(stored.size())));

        std::map<QString, int> createEvents;
        std::int64_t after = 0;
        for (;;) {
            auto entries = storage::AuditRepository(database).scan(after, storage::PageRequest::maxLimit);
            QVERIFY_OK(entries);
            if (entries->empty())
                break;
            for (const storage::AuditEntry &entry : *entries) {
                if (entry.event.action() == "create" && entry.event.record_type() == v1::ENTITY_TYPE_CITIZEN)
                    ++createEvents[QString::fromStdString(entry.event.record_id())];
                after = entry.sequence;
            }
        }
        int refused = 0;
        for (const Writer &writer : results) {
            for (const auto &[status, count] : writer.otherStatuses)
                refused += count;
        }
        qInfo("acknowledged %lld, stored %lld, answered 503: %d", static_cast<long long>(acknowledgedIds.size()),
              static_cast<long long>(stored.size()), refused);
        QCOMPARE(createEvents.size(), std::size_t(stored.size()));
        for (const auto &[id, count] : createEvents) {
            QVERIFY2(stored.contains(id), qPrintable("an audit event without its citizen: " + id));
            QCOMPARE(count, 1);
        }
        store->reset();
        const ToolRun verified = backend.ctl({"audit", "verify"});
        QVERIFY2(verified.exitCode == 0, qPrintable(verified.output));
    }

private:
    static void addStoreRows()
    {
        QTest::addColumn<StoreKind>("kind");
        QTest::newRow("embedded") << StoreKind::Embedded;
        QTest::newRow("postgresql") << StoreKind::Postgres;
    }

    test::TestPostgresServer m_postgres;
};

QTEST_GUILESS_MAIN(TestBackendE2e)
#include "tst_backend_e2e.moc"
