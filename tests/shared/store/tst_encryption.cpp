// Proof that nothing readable reaches the disk: the database, its -wal and -shm files
// and the temporary directory never hold the SQLite header nor a name we inserted,
// after commits, in the middle of an open transaction and during a large sort. And
// the file is SQLCipher's standard format: Debian's sqlcipher shell opens it with the
// raw key and the store's HMAC algorithm while the sqlite3 shell cannot.
#include "store/database.h"
#include "store/transaction.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace sigess;
using namespace sigess::store;

namespace {

constexpr std::string_view knownName = "Giuseppina Abbondanzieri";
const QByteArray sqliteHeader("SQLite format 3");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestEncryption : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_tempDir;
    QString m_store;
    RawKey m_key = RawKey::random();

    // A small page cache, so that large transactions spill to the WAL and the sort
    // below is larger than the sorter's memory: without temp_store=MEMORY it would go
    // to a temporary file.
    static StoreSettings smallCache()
    {
        StoreSettings settings;
        settings.cacheKiB = 256;
        return settings;
    }

    Database openStore()
    {
        Result<Database> database = Database::open(m_store.toStdString(), m_key, OpenMode::CreateIfMissing, smallCache());
        if (!database.ok())
            qFatal("cannot open the store: %s", database.error().message.c_str());
        return std::move(database).value();
    }

    void verifyNoPlaintextOnDisk(const char *when)
    {
        for (const char *suffix : {"", "-wal", "-shm"}) {
            const QString path = m_store + suffix;
            const QByteArray bytes = readAll(path);
            QVERIFY2(!bytes.contains(sqliteHeader), qPrintable(path + " holds the SQLite header " + when));
            QVERIFY2(!bytes.contains(QByteArray(knownName.data(), qsizetype(knownName.size()))),
                     qPrintable(path + " holds a plaintext name " + when));
        }
        QDirIterator files(m_tempDir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        QVERIFY2(!files.hasNext(), qPrintable("a file appeared in the temporary directory " + QString(when)));
        // SQLite unlinks its temporary files as soon as it opens them, so look for
        // open descriptors too.
        for (const QFileInfo &fd : QDir("/proc/self/fd").entryInfoList(QDir::Files | QDir::System)) {
            const QString target = fd.symLinkTarget();
            QVERIFY2(!target.startsWith(m_tempDir), qPrintable("an open temporary file " + QString(when) + ": " + target));
        }
    }

    QByteArray runShell(const QString &program, const QByteArray &script)
    {
        QProcess shell;
        shell.setProcessChannelMode(QProcess::MergedChannels);
        shell.start(program, {m_store});
        if (!shell.waitForStarted())
            return "cannot start " + program.toUtf8();
        shell.write(script);
        shell.closeWriteChannel();
        shell.waitForFinished();
        return shell.readAll();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tempDir = m_dir.filePath("tmp");
        QVERIFY(QDir().mkpath(m_tempDir));
        // Read by SQLite the first time it needs a temporary file, so set before any.
        qputenv("SQLITE_TMPDIR", m_tempDir.toUtf8());
        qputenv("TMPDIR", m_tempDir.toUtf8());
        m_store = m_dir.filePath("citizens.db");

        Database database = openStore();
        QVERIFY(database
                    .exec("CREATE TABLE citizen (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT NOT NULL);"
                          "CREATE INDEX citizen_name ON citizen(name);")
                    .ok());
        Result<Transaction> transaction = Transaction::begin(database);
        QVERIFY(transaction.ok());
        for (int i = 0; i < 100000; ++i) {
            Result<Statement> insert = database.prepare("INSERT INTO citizen (name, note) VALUES (?, ?)");
            QVERIFY(insert.ok());
            const std::string name = i % 1000 == 0 ? std::string(knownName) : "Cittadino " + std::to_string(i * 7919 % 100000);
            QVERIFY(insert->bindText(1, name).bindText(2, "presa in carico " + std::to_string(i)).run().ok());
        }
        QVERIFY(transaction->commit().ok());
    }

    void committedData() { verifyNoPlaintextOnDisk("after commit"); }

    void inTheMiddleOfATransaction()
    {
        Database database = openStore();
        Result<Transaction> transaction = Transaction::begin(database);
        QVERIFY(transaction.ok());
        QVERIFY(database.exec("UPDATE citizen SET note = note || ' rivalutazione' WHERE id % 3 = 0").ok());
        QVERIFY(database.exec("CREATE TEMP TABLE recent AS SELECT * FROM citizen WHERE id > 90000").ok());
        verifyNoPlaintextOnDisk("inside a transaction");
    }

    void duringALargeSort()
    {
        Database database = openStore();
        // Sorting on an unindexed expression forces a sort of all 100,000 rows; after
        // the first row the sort is complete and any spill file would be open.
        Result<Statement> sorted = database.prepare("SELECT name, note FROM citizen ORDER BY note || name DESC");
        QVERIFY(sorted.ok());
        QVERIFY(sorted->step().value());
        verifyNoPlaintextOnDisk("during a sort");
    }

    void sqlcipherShellOpensItWithTheRawKey()
    {
        const QByteArray output = runShell("sqlcipher", "PRAGMA key = \"" + QByteArray::fromStdString(m_key.sqlcipherLiteral())
                                                            + "\";\nPRAGMA cipher_hmac_algorithm = "
                                                            + QByteArray::fromStdString(StoreSettings{}.hmacAlgorithm)
                                                            + ";\nSELECT count(*) FROM citizen WHERE name = '"
                                                            + QByteArray(knownName.data(), qsizetype(knownName.size()))
                                                            + "';\n");
        QVERIFY2(output.contains("100"), output.constData());
    }

    void sqliteShellCannot()
    {
        const QByteArray output = runShell("sqlite3", "SELECT count(*) FROM citizen;\n");
        QVERIFY2(output.contains("file is not a database"), output.constData());
    }
};

QTEST_GUILESS_MAIN(TestEncryption)
#include "tst_encryption.moc"
