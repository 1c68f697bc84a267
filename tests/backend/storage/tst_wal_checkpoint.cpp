// The embedded store's commits never checkpoint the WAL themselves; the store's own
// thread copies it into the main file beside the writer (storage/embedded_database.h).
#include "storage/embedded_database.h"
#include "store/raw_key.h"
#include "support/result_checks.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <filesystem>

using namespace sigess;

class TestWalCheckpoint : public QObject {
    Q_OBJECT

private:
    static storage::EmbeddedStoreConfig configIn(const QTemporaryDir &dir, int intervalMs)
    {
        storage::EmbeddedStoreConfig config;
        config.path = QDir(dir.path()).filePath("store.db").toStdString();
        config.keyFile = QDir(dir.path()).filePath("store.key").toStdString();
        config.readers = 1;
        config.checkpointIntervalMs = intervalMs;
        return config;
    }

    // Writes about 4 MiB in transactions of 64 KiB: more than the 1,000 pages after which
    // SQLite's own automatic checkpoint would have run in a commit.
    static void fill(storage::SqlDatabase &database)
    {
        EXPECT_OK(database.execute("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB NOT NULL)", {}));
        const std::string blob(1024, 'x');
        for (int batch = 0; batch < 64; ++batch) {
            EXPECT_OK(database.transaction([&](storage::SqlExecutor &transaction) -> Status {
                for (int row = 0; row < 64; ++row) {
                    Result<std::int64_t> inserted
                        = transaction.execute("INSERT INTO filler (data) VALUES ($1)", {storage::SqlBytes{blob}});
                    if (!inserted.ok())
                        return inserted.takeError();
                }
                return {};
            }));
        }
    }

    static std::uintmax_t sizeOf(const std::string &path) { return std::filesystem::file_size(path); }

    static Result<std::int64_t> rowsOf(storage::SqlDatabase &database)
    {
        std::int64_t rows = 0;
        Status read = database.query("SELECT count(*) FROM filler", {}, [&](const storage::SqlRow &row) -> Status {
            rows = row.int64(0);
            return {};
        });
        if (!read.ok())
            return read.takeError();
        return rows;
    }

private Q_SLOTS:
    void commitsLeaveCheckpointsToTheStoresThread()
    {
        QTemporaryDir dir;
        const storage::EmbeddedStoreConfig config = configIn(dir, 3'600'000);
        auto database = storage::openEmbeddedDatabase(config, store::RawKey::random());
        EXPECT_OK(database);
        const std::uintmax_t before = sizeOf(config.path);
        fill(**database);
        // With its thread asleep for an hour, nothing has reached the main file.
        QCOMPARE(sizeOf(config.path), before);
        QVERIFY(sizeOf(config.path + "-wal") > 4'000'000);
    }

    void theStoresThreadCopiesTheWalIntoTheMainFile()
    {
        QTemporaryDir dir;
        const storage::EmbeddedStoreConfig config = configIn(dir, 20);
        auto database = storage::openEmbeddedDatabase(config, store::RawKey::random());
        EXPECT_OK(database);
        fill(**database);
        QTRY_VERIFY_WITH_TIMEOUT(sizeOf(config.path) > 4'000'000, 10'000);
        const Result<std::int64_t> rows = rowsOf(**database);
        EXPECT_OK(rows);
        QCOMPARE(*rows, std::int64_t{64 * 64});
    }

    // Once the store's thread has copied a WAL longer than walRestartFrames, the writer's
    // next transaction writes the WAL over from its start, so under steady writes the
    // file stays a fraction of what is written instead of holding all of it, and nothing
    // written is lost. Each fill waits for the store's thread to have copied the ones
    // before (on a busy machine it may sleep through a fill), so the WAL is written over
    // during the next fill and never holds more than about two of the nine.
    void aLongWalStartsOverOnceCopied()
    {
        QTemporaryDir dir;
        storage::EmbeddedStoreConfig config = configIn(dir, 20);
        config.walRestartFrames = 100;
        auto database = storage::openEmbeddedDatabase(config, store::RawKey::random());
        EXPECT_OK(database);
        constexpr int fills = 9;
        constexpr std::uintmax_t fillBytes = 64 * 64 * 1024;
        for (int round = 0; round < fills; ++round) {
            fill(**database);
            QTRY_VERIFY_WITH_TIMEOUT(sizeOf(config.path) > static_cast<std::uintmax_t>(round + 1) * fillBytes, 10'000);
        }
        constexpr std::uintmax_t written = fills * fillBytes;
        QVERIFY2(sizeOf(config.path + "-wal") < written / 2,
                 qPrintable(QString("WAL %1 bytes after %2 bytes written").arg(sizeOf(config.path + "-wal")).arg(written)));
        const Result<std::int64_t> rows = rowsOf(**database);
        EXPECT_OK(rows);
        QCOMPARE(*rows, std::int64_t{fills * 64 * 64});
        QVERIFY(sizeOf(config.path) > written);
    }
};

QTEST_GUILESS_MAIN(TestWalCheckpoint)
#include "tst_wal_checkpoint.moc"
