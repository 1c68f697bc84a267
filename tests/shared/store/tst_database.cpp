// The connection, its statements, transactions, migrations and rekey, on real
// SQLCipher files in a temporary directory.
#include "store/database.h"
#include "store/migrations.h"
#include "store/transaction.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <string>

using namespace sigess;
using namespace sigess::store;

namespace {

constexpr std::array<Migration, 1> schemaV1 = {{
    {1, "CREATE TABLE citizen (id TEXT PRIMARY KEY, name TEXT NOT NULL);"
        "CREATE TABLE visit (id INTEGER PRIMARY KEY, citizen TEXT NOT NULL REFERENCES citizen(id));"},
}};

constexpr std::array<Migration, 2> schemaV2 = {{
    schemaV1[0],
    {2, "ALTER TABLE citizen ADD COLUMN language TEXT NOT NULL DEFAULT 'it';"
        "CREATE INDEX citizen_language ON citizen(language);"},
}};

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

Status insertCitizen(Database &database, std::string_view id, std::string_view name)
{
    Result<Statement> insert = database.prepare("INSERT INTO citizen (id, name) VALUES (?, ?)");
    if (!insert.ok())
        return insert.takeError();
    return insert->bindText(1, id).bindText(2, name).run();
}

std::string citizenName(Database &database, std::string_view id)
{
    Result<Statement> query = database.prepare("SELECT name FROM citizen WHERE id = ?");
    if (!query.ok())
        return "error: " + query.error().message;
    query->bindText(1, id);
    Result<bool> row = query->step();
    if (!row.ok())
        return "error: " + row.error().message;
    return *row ? std::string(query->columnText(0)) : "absent";
}

std::string queryText(Database &database, std::string_view sql)
{
    Result<Statement> query = database.prepare(sql);
    if (!query.ok())
        return "error: " + query.error().message;
    Result<bool> row = query->step();
    if (!row.ok())
        return "error: " + row.error().message;
    return *row ? std::string(query->columnText(0)) : "no row";
}

} // namespace

class TestDatabase : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)).toStdString(); }

    Database createPopulated(const std::string &file, const RawKey &key)
    {
        Result<Database> database = Database::open(file, key, OpenMode::CreateIfMissing);
        if (!database.ok())
            qFatal("cannot create %s: %s", file.c_str(), database.error().message.c_str());
        if (!migrate(*database, schemaV1).ok() || !insertCitizen(*database, "c1", "Maria Rossi").ok())
            qFatal("cannot populate %s", file.c_str());
        return std::move(database).value();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTrip()
    {
        const std::string file = path("round-trip.db");
        const RawKey key = RawKey::random();
        createPopulated(file, key);
        Result<Database> reopened = Database::open(file, key, OpenMode::OpenExisting);
        QVERIFY2(reopened.ok(), reopened.ok() ? "" : reopened.error().message.c_str());
        QCOMPARE(citizenName(*reopened, "c1"), std::string("Maria Rossi"));
        QCOMPARE(citizenName(*reopened, "c2"), std::string("absent"));
        QCOMPARE(reopened->cipherIntegrityCheck().value(), std::string());
    }

    void missingFileIsNotFound()
    {
        Result<Database> database = Database::open(path("nowhere.db"), RawKey::random(), OpenMode::OpenExisting);
        QVERIFY(!database.ok());
        QCOMPARE(database.error().code, ErrorCode::NotFound);
        QVERIFY(!QFile::exists(m_dir.filePath("nowhere.db")));
    }

    void wrongKeyLeavesFileUntouched_data()
    {
        QTest::addColumn<bool>("otherConnectionOpen");
        QTest::newRow("store closed") << false;
        // The other connection keeps a live WAL beside the file.
        QTest::newRow("store in use") << true;
    }

    void wrongKeyLeavesFileUntouched()
    {
        QFETCH(bool, otherConnectionOpen);
        const std::string file = path(otherConnectionOpen ? "wrong-key-busy.db" : "wrong-key.db");
        const RawKey key = RawKey::random();
        std::optional<Database> keeper = createPopulated(file, key);
        if (!otherConnectionOpen)
            keeper.reset();
        const QString qfile = QString::fromStdString(file);
        const QByteArray before = fileHash(qfile);
        const QByteArray walBefore = fileHash(qfile + "-wal");

        Result<Database> wrong = Database::open(file, RawKey::random(), OpenMode::OpenExisting);
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().code, ErrorCode::Unauthorized);
        QVERIFY2(wrong.error().message.find("the key does not open this store") != std::string::npos,
                 wrong.error().message.c_str());
        QCOMPARE(fileHash(qfile), before);
        QCOMPARE(fileHash(qfile + "-wal"), walBefore);

        Result<Database> unkeyed = Database::openUnencrypted(file, OpenMode::OpenExisting);
        QVERIFY(!unkeyed.ok());
        QCOMPARE(unkeyed.error().code, ErrorCode::Unauthorized);
        QCOMPARE(fileHash(qfile), before);

        Result<Database> right = Database::open(file, key, OpenMode::OpenExisting);
        QVERIFY(right.ok());
        QCOMPARE(citizenName(*right, "c1"), std::string("Maria Rossi"));
    }

    void settingsAreInForce_data()
    {
        QTest::addColumn<QString>("pragma");
        QTest::addColumn<QString>("expected");
        QTest::newRow("journal_mode") << "PRAGMA journal_mode" << "wal";
        QTest::newRow("synchronous NORMAL") << "PRAGMA synchronous" << "1";
        QTest::newRow("temp_store MEMORY") << "PRAGMA temp_store" << "2";
        QTest::newRow("foreign_keys") << "PRAGMA foreign_keys" << "1";
        QTest::newRow("cipher page size") << "PRAGMA cipher_page_size" << "4096";
        QTest::newRow("cipher hmac") << "PRAGMA cipher_hmac_algorithm" << "HMAC_SHA256";
        QTest::newRow("cipher hmac in use") << "PRAGMA cipher_use_hmac" << "1";
        QTest::newRow("no plaintext header") << "PRAGMA cipher_plaintext_header_size" << "0";
    }

    void settingsAreInForce()
    {
        QFETCH(QString, pragma);
        QFETCH(QString, expected);
        const std::string file = path("settings.db") + QTest::currentDataTag();
        const RawKey key = RawKey::random();
        createPopulated(file, key);
        Result<Database> database = Database::open(file, key, OpenMode::OpenExisting);
        QVERIFY(database.ok());
        QCOMPARE(QString::fromStdString(queryText(*database, pragma.toStdString())), expected);
        QVERIFY(!queryText(*database, "PRAGMA cipher_version").empty());
    }

    void unknownHmacIsRefused()
    {
        StoreSettings settings;
        settings.hmacAlgorithm = "HMAC_MD5";
        Result<Database> database = Database::open(path("md5.db"), RawKey::random(), OpenMode::CreateIfMissing, settings);
        QVERIFY(!database.ok());
        QCOMPARE(database.error().code, ErrorCode::Invalid);
    }

    void foreignKeysAreEnforced()
    {
        Database database = createPopulated(path("foreign-keys.db"), RawKey::random());
        Result<Statement> insert = database.prepare("INSERT INTO visit (citizen) VALUES (?)");
        QVERIFY(insert.ok());
        Status orphan = insert->bindText(1, "nobody").run();
        QVERIFY(!orphan.ok());
        QCOMPARE(orphan.error().code, ErrorCode::Conflict);
    }

    void nestedPrepareOfTheSameSql()
    {
        Database database = createPopulated(path("nested.db"), RawKey::random());
        QVERIFY(insertCitizen(database, "c2", "Ahmed Ali").ok());
        constexpr std::string_view sql = "SELECT id FROM citizen ORDER BY id";
        Result<Statement> outer = database.prepare(sql);
        QVERIFY(outer.ok());
        QStringList pairs;
        while (outer->step().value()) {
            Result<Statement> inner = database.prepare(sql);
            QVERIFY(inner.ok());
            while (inner->step().value())
                pairs << QString::fromUtf8(outer->columnText(0).data(), qsizetype(outer->columnText(0).size())) + '/'
                             + QString::fromUtf8(inner->columnText(0).data(), qsizetype(inner->columnText(0).size()));
        }
        QCOMPARE(pairs, QStringList({"c1/c1", "c1/c2", "c2/c1", "c2/c2"}));
    }

    void bindErrorIsReportedByStep()
    {
        Database database = createPopulated(path("bind.db"), RawKey::random());
        Result<Statement> query = database.prepare("SELECT name FROM citizen WHERE id = ?");
        QVERIFY(query.ok());
        Result<bool> row = query->bindText(7, "c1").step();
        QVERIFY(!row.ok());
        QCOMPARE(row.error().code, ErrorCode::Invalid);
    }

    // Views bind the caller's bytes as they are: text, a blob with a NUL inside, and an
    // empty blob that stays a blob rather than becoming NULL; each row keeps its own
    // bytes after the buffers are reused for the next.
    void viewsBindWithoutCopying()
    {
        Database database = createPopulated(path("views.db"), RawKey::random());
        QVERIFY(database.exec("CREATE TABLE kept (name TEXT, bytes BLOB)").ok());
        std::string name = "Giulia";
        std::string bytes = std::string("a\0b", 3);
        Result<Statement> insert = database.prepare("INSERT INTO kept (name, bytes) VALUES (?, ?)");
        QVERIFY(insert.ok());
        QVERIFY(insert->bindTextView(1, name).bindBlobView(2, bytes).run().ok());
        name = "Luca";
        bytes.clear();
        QVERIFY(insert->bindTextView(1, name).bindBlobView(2, bytes).run().ok());
        Result<Statement> select
            = database.prepare("SELECT name, bytes, typeof(bytes) FROM kept ORDER BY rowid");
        QVERIFY(select.ok());
        QStringList rows;
        QVERIFY(select
                    ->forEachRow([&rows](const Statement &row) -> Status {
                        rows << QString::fromStdString(std::string(row.columnText(0))) + '/'
                                    + QString::number(row.columnBlob(1).size()) + '/'
                                    + QString::fromStdString(std::string(row.columnText(2)));
                        if (row.columnBlob(1) == std::string_view("a\0b", 3) || row.columnBlob(1).empty())
                            return {};
                        return makeError(ErrorCode::Corrupt, "the blob changed");
                    })
                    .ok());
        QCOMPARE(rows, QStringList({"Giulia/3/blob", "Luca/0/blob"}));
    }

    void prepareTakesOneStatement()
    {
        Database database = createPopulated(path("one.db"), RawKey::random());
        Result<Statement> two = database.prepare("SELECT 1; SELECT 2");
        QVERIFY(!two.ok());
        QCOMPARE(two.error().code, ErrorCode::Invalid);
        QVERIFY(database.prepare("SELECT 1;").ok());
    }

    void transactionRollsBackUnlessCommitted()
    {
        Database database = createPopulated(path("transaction.db"), RawKey::random());
        {
            Result<Transaction> transaction = Transaction::begin(database);
            QVERIFY(transaction.ok());
            QVERIFY(insertCitizen(database, "c2", "Ahmed Ali").ok());
        }
        QCOMPARE(citizenName(database, "c2"), std::string("absent"));
        {
            Result<Transaction> transaction = Transaction::begin(database);
            QVERIFY(transaction.ok());
            QVERIFY(insertCitizen(database, "c2", "Ahmed Ali").ok());
            QVERIFY(transaction->commit().ok());
            QCOMPARE(transaction->commit().error().code, ErrorCode::Invalid);
        }
        QCOMPARE(citizenName(database, "c2"), std::string("Ahmed Ali"));
    }

    void migrationOnPopulatedFile()
    {
        const std::string file = path("migrate.db");
        const RawKey key = RawKey::random();
        {
            Database database = createPopulated(file, key);
            QCOMPARE(schemaVersion(database).value(), 1);
        }
        Result<Database> database = Database::open(file, key, OpenMode::OpenExisting);
        QVERIFY(database.ok());
        QVERIFY(migrate(*database, schemaV2).ok());
        QCOMPARE(schemaVersion(*database).value(), 2);
        QCOMPARE(citizenName(*database, "c1"), std::string("Maria Rossi"));
        QCOMPARE(queryText(*database, "SELECT language FROM citizen WHERE id = 'c1'"), std::string("it"));
        // Applying the same steps again is a no-op.
        QVERIFY(migrate(*database, schemaV2).ok());
        QCOMPARE(queryText(*database, "SELECT count(*) FROM schema_version"), std::string("2"));
    }

    void failedMigrationLeavesTheStoreAtTheLastWholeStep()
    {
        const std::string file = path("failed-migration.db");
        Database database = createPopulated(file, RawKey::random());
        constexpr std::array<Migration, 2> broken = {{
            schemaV1[0],
            {2, "ALTER TABLE citizen ADD COLUMN language TEXT; CREATE TABLE citizen (x);"},
        }};
        Status migrated = migrate(database, broken);
        QVERIFY(!migrated.ok());
        QVERIFY2(migrated.error().message.find("schema migration 2 failed") != std::string::npos,
                 migrated.error().message.c_str());
        QCOMPARE(schemaVersion(database).value(), 1);
        QVERIFY(queryText(database, "SELECT language FROM citizen").starts_with("error:"));
    }

    void newerStoreIsRefused()
    {
        const std::string file = path("newer.db");
        const RawKey key = RawKey::random();
        {
            Database database = createPopulated(file, key);
            QVERIFY(migrate(database, schemaV2).ok());
        }
        Result<Database> database = Database::open(file, key, OpenMode::OpenExisting);
        QVERIFY(database.ok());
        Status migrated = migrate(*database, schemaV1);
        QVERIFY(!migrated.ok());
        QCOMPARE(migrated.error().code, ErrorCode::Conflict);
        QVERIFY2(migrated.error().message.find("newer than this program") != std::string::npos,
                 migrated.error().message.c_str());
    }

    void badlyNumberedStepsAreRefused()
    {
        Database database = createPopulated(path("numbering.db"), RawKey::random());
        constexpr std::array<Migration, 2> gap = {{schemaV1[0], {3, "SELECT 1"}}};
        Status migrated = migrate(database, gap);
        QVERIFY(!migrated.ok());
        QCOMPARE(migrated.error().code, ErrorCode::Invalid);
    }

    void rekeyReplacesTheKey()
    {
        const std::string file = path("rekey.db");
        const RawKey oldKey = RawKey::random();
        const RawKey newKey = RawKey::random();
        {
            Database database = createPopulated(file, oldKey);
            QVERIFY(database.rekey(newKey).ok());
            QVERIFY(insertCitizen(database, "c2", "Ahmed Ali").ok());
        }
        Result<Database> withOld = Database::open(file, oldKey, OpenMode::OpenExisting);
        QVERIFY(!withOld.ok());
        QCOMPARE(withOld.error().code, ErrorCode::Unauthorized);
        Result<Database> withNew = Database::open(file, newKey, OpenMode::OpenExisting);
        QVERIFY(withNew.ok());
        QCOMPARE(citizenName(*withNew, "c1"), std::string("Maria Rossi"));
        QCOMPARE(citizenName(*withNew, "c2"), std::string("Ahmed Ali"));
        QCOMPARE(withNew->cipherIntegrityCheck().value(), std::string());
    }
};

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
