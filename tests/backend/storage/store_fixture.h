// Test fixture: a fresh, empty backend store of either kind, so one test suite runs
// against both. PostgreSQL comes from SIGESS_TEST_PG (set by deploy/test); when that
// is unset (a test run by hand) the fixture starts a server of its own through
// deploy/pg-test-server under the build directory, and stops it when done. Every store
// it opens is isolated: the embedded one in its own temporary directory, the
// PostgreSQL one in its own schema, dropped afterwards.
// Thread safety: use from the test's main thread; the stores it returns are
// SqlDatabases, safe from any thread.
#pragma once

#include "storage/embedded_database.h"
#include "storage/postgres_database.h"
#include "storage/schema.h"
#include "storage/sql.h"
#include "support/free_port.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>
#include <string>

namespace sigess::test {

enum class StoreKind { Embedded, Postgres };

// The rows of a data-driven test that runs once on each store, and the store of the row
// running (a row named "postgres..." runs on PostgreSQL).
inline void addStoreRows()
{
    QTest::addColumn<int>("unused");
    QTest::newRow("embedded") << 0;
    QTest::newRow("postgres") << 0;
}

inline StoreKind currentStoreKind()
{
    return QByteArray(QTest::currentDataTag()).startsWith("postgres") ? StoreKind::Postgres : StoreKind::Embedded;
}

class TestPostgresServer {
public:
    TestPostgresServer() = default;
    TestPostgresServer(const TestPostgresServer &) = delete;
    TestPostgresServer &operator=(const TestPostgresServer &) = delete;
    ~TestPostgresServer()
    {
        m_admin.reset();
        if (!m_ownDir.isEmpty()) {
            QProcess::execute(script(), {"stop", m_ownDir});
            QDir(m_ownDir).removeRecursively();
        }
    }

    // The server's connection string, starting a server on first use if needed.
    Result<std::string> connectionString()
    {
        if (!m_connectionString.empty())
            return m_connectionString;
        const QByteArray fromEnvironment = qgetenv("SIGESS_TEST_PG");
        if (!fromEnvironment.isEmpty()) {
            m_connectionString = fromEnvironment.toStdString();
            return m_connectionString;
        }
        m_ownDir = QStringLiteral(SIGESS_BINARY_DIR "/test-pg-%1").arg(QCoreApplication::applicationPid());
        QProcess process;
        process.start(script(), {"start", m_ownDir, QString::number(testing::freeLoopbackPort())});
        if (!process.waitForFinished(120000) || process.exitCode() != 0)
            return makeError(ErrorCode::Unavailable, "cannot start a test PostgreSQL: "
                                                         + process.readAllStandardError().toStdString());
        m_connectionString = process.readAllStandardOutput().trimmed().toStdString();
        return m_connectionString;
    }

    // A connection string to a new, empty schema that only this caller uses.
    Result<std::string> freshSchema(std::string &schemaName)
    {
        SIGESS_TRY(connectAdmin());
        schemaName = "test_" + std::to_string(QCoreApplication::applicationPid()) + "_" + std::to_string(++m_schemas);
        Result<std::int64_t> created = m_admin->execute("CREATE SCHEMA " + schemaName, {});
        if (!created.ok())
            return created.takeError();
        return m_connectionString + " options='-c search_path=" + schemaName + "'";
    }

    void dropSchema(const std::string &schemaName)
    {
        if (m_admin != nullptr)
            static_cast<void>(m_admin->execute("DROP SCHEMA " + schemaName + " CASCADE", {}));
    }

    // Ends one server process's connection, as a server restart or a network cut would.
    Status terminateBackend(std::int64_t pid)
    {
        SIGESS_TRY(connectAdmin());
        return m_admin->query("SELECT pg_terminate_backend($1::integer)", {pid},
                              [](const storage::SqlRow &) -> Status { return {}; });
    }

private:
    Status connectAdmin()
    {
        if (m_admin != nullptr)
            return {};
        Result<std::string> base = connectionString();
        if (!base.ok())
            return base.takeError();
        Result<std::unique_ptr<storage::SqlDatabase>> admin = storage::openPostgresDatabase({*base, 1, 5});
        if (!admin.ok())
            return admin.takeError();
        m_admin = std::move(admin).value();
        return {};
    }

    static QString script() { return QStringLiteral(SIGESS_SOURCE_DIR "/deploy/pg-test-server"); }

    std::string m_connectionString;
    QString m_ownDir;
    std::unique_ptr<storage::SqlDatabase> m_admin;
    int m_schemas = 0;
};

// One isolated, migrated store.
class TestStore {
public:
    // A store migrated to `schemaVersion`: the latest, or an older one whose own
    // migration a test follows.
    static Result<std::unique_ptr<TestStore>> open(StoreKind kind, TestPostgresServer &server,
                                                   int schemaVersion = storage::latestSchemaVersion())
    {
        auto store = std::unique_ptr<TestStore>(new TestStore(server));
        Result<std::unique_ptr<storage::SqlDatabase>> database = makeError(ErrorCode::Internal, "");
        if (kind == StoreKind::Embedded) {
            store->m_embedded = embeddedConfig(store->m_dir.path());
            database = storage::openEmbeddedDatabase(*store->m_embedded, store->m_key);
        } else {
            Result<std::string> connection = server.freshSchema(store->m_schema);
            if (!connection.ok())
                return connection.takeError();
            store->m_postgres = storage::PostgresStoreConfig{*connection, 4, 5};
            database = storage::openPostgresDatabase(*store->m_postgres);
        }
        if (!database.ok())
            return database.takeError();
        SIGESS_TRY(storage::migrateSchemaTo(**database, schemaVersion));
        store->m_database = std::move(database).value();
        return store;
    }

    static storage::EmbeddedStoreConfig embeddedConfig(const QString &dir)
    {
        storage::EmbeddedStoreConfig config;
        config.path = QDir(dir).filePath("store.db").toStdString();
        config.keyFile = QDir(dir).filePath("store.key").toStdString();
        config.deviceSecretFile = QDir(dir).filePath("device.secret").toStdString();
        config.readers = 3;
        return config;
    }

    ~TestStore()
    {
        m_database.reset();
        if (!m_schema.empty())
            m_server.dropSchema(m_schema);
    }

    storage::SqlDatabase &database() { return *m_database; }
    const store::RawKey &key() const { return m_key; }
    const std::optional<storage::EmbeddedStoreConfig> &embedded() const { return m_embedded; }
    const std::optional<storage::PostgresStoreConfig> &postgres() const { return m_postgres; }
    void close() { m_database.reset(); }

private:
    explicit TestStore(TestPostgresServer &server) : m_server(server), m_key(store::RawKey::random()) {}

    TestPostgresServer &m_server;
    QTemporaryDir m_dir;
    store::RawKey m_key;
    std::string m_schema;
    std::optional<storage::EmbeddedStoreConfig> m_embedded;
    std::optional<storage::PostgresStoreConfig> m_postgres;
    std::unique_ptr<storage::SqlDatabase> m_database;
};

} // namespace sigess::test
