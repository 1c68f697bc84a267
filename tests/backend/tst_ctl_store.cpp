// sigessctl store verify, run through runStore() on real files.
#include "ctl/command.h"
#include "store/database.h"
#include "store/migrations.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <sstream>

using namespace sigess;

namespace {

constexpr std::array<store::Migration, 2> storeSteps = {{{1, "CREATE TABLE a (x)"}, {2, "CREATE TABLE b (y)"}}};

struct Outcome {
    int status;
    std::string out;
    std::string err;
};

Outcome verify(const std::string &path, const std::string &stdinText)
{
    std::istringstream in(stdinText);
    std::ostringstream out;
    std::ostringstream err;
    const int status = ctl::runStore({"verify", path}, {in, out, err});
    return {status, out.str(), err.str()};
}

} // namespace

class TestCtlStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_store;
    store::RawKey m_key = store::RawKey::random();

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qunsetenv("SIGESS_STORE_KEY");
        m_store = m_dir.filePath("store.db").toStdString();
        Result<store::Database> database = store::Database::open(m_store, m_key, store::OpenMode::CreateIfMissing);
        QVERIFY(database.ok());
        QVERIFY(store::migrate(*database, storeSteps).ok());
    }

    void encryptedStoreWithItsKey_data()
    {
        QTest::addColumn<bool>("fromEnvironment");
        QTest::newRow("key on stdin") << false;
        QTest::newRow("key in SIGESS_STORE_KEY") << true;
    }

    void encryptedStoreWithItsKey()
    {
        QFETCH(bool, fromEnvironment);
        if (fromEnvironment)
            qputenv("SIGESS_STORE_KEY", QByteArray::fromStdString(m_key.toHex()));
        const Outcome outcome = verify(m_store, fromEnvironment ? "" : m_key.toHex() + "\n");
        qunsetenv("SIGESS_STORE_KEY");
        QCOMPARE(outcome.status, 0);
        QVERIFY2(outcome.out.find("looks encrypted") != std::string::npos, outcome.out.c_str());
        // The version of the store made above (its own two steps), not the backend's schema.
        QVERIFY2(outcome.out.find("schema version: " + std::to_string(std::size(storeSteps)) + "\n") != std::string::npos,
                 outcome.out.c_str());
        QVERIFY2(outcome.out.find("cipher_integrity_check: ok") != std::string::npos, outcome.out.c_str());
    }

    void wrongKey()
    {
        const Outcome outcome = verify(m_store, store::RawKey::random().toHex());
        QCOMPARE(outcome.status, 1);
        QVERIFY2(outcome.err.find("wrong key") != std::string::npos, outcome.err.c_str());
    }

    void malformedKey()
    {
        const Outcome outcome = verify(m_store, "not-a-key");
        QCOMPARE(outcome.status, 2);
        QVERIFY2(outcome.err.find("64 hexadecimal digits") != std::string::npos, outcome.err.c_str());
    }

    void plaintextFile()
    {
        const std::string plain = m_dir.filePath("plain.db").toStdString();
        Result<store::Database> database = store::Database::openUnencrypted(plain, store::OpenMode::CreateIfMissing);
        QVERIFY(database.ok());
        QVERIFY(database->exec("CREATE TABLE t (x)").ok());
        const Outcome outcome = verify(plain, m_key.toHex());
        QCOMPARE(outcome.status, 1);
        QVERIFY2(outcome.out.find("PLAINTEXT") != std::string::npos, outcome.out.c_str());
    }

    void missingFile()
    {
        const Outcome outcome = verify(m_dir.filePath("absent.db").toStdString(), m_key.toHex());
        QCOMPARE(outcome.status, 1);
        QVERIFY2(outcome.err.find("no such file") != std::string::npos, outcome.err.c_str());
    }

    void damagedPage()
    {
        const QString damaged = m_dir.filePath("damaged.db");
        {
            Result<store::Database> database = store::Database::open(damaged.toStdString(), m_key, store::OpenMode::CreateIfMissing);
            QVERIFY(database.ok());
            QVERIFY(database->exec("CREATE TABLE t (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
                                   " WHERE i < 2000) INSERT INTO t SELECT randomblob(100) FROM n;")
                        .ok());
        }
        QFile file(damaged);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(5 * 4096 + 100));
        file.write("tampered");
        file.close();
        const Outcome outcome = verify(damaged.toStdString(), m_key.toHex());
        QCOMPARE(outcome.status, 1);
        QVERIFY2(outcome.out.find("cipher_integrity_check: FAILED") != std::string::npos, outcome.out.c_str());
    }

    void usage()
    {
        std::istringstream in;
        std::ostringstream out;
        std::ostringstream err;
        QCOMPARE(ctl::runStore({"check"}, {in, out, err}), 2);
        QVERIFY(err.str().find("usage") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCtlStore)
#include "tst_ctl_store.moc"
