// Rekey under crashes: a child process rekeys a populated store and dies (_exit, as
// kill -9 would: no destructor, no close) at every protocol step and before every
// single file write SQLite makes; after each crash the parent must open the store with
// the key file as the crash left it, with every row intact and one key in the file.
// The writes are intercepted by a VFS that wraps the default one and counts them.
#include "store/device_secret.h"
#include "store/key_vault.h"
#include "store/vaulted_database.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sqlcipher/sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

using namespace sigess;
using namespace sigess::store;

namespace {

constexpr int rowCount = 300;
constexpr int crashedExit = 99;

// Writes left before the process dies; negative: never.
int g_writesBeforeCrash = -1;
sqlite3_vfs *g_realVfs = nullptr;

struct CrashFile {
    sqlite3_file base;
    sqlite3_file *real;
};

sqlite3_file *real(sqlite3_file *file) { return reinterpret_cast<CrashFile *>(file)->real; }

int crashClose(sqlite3_file *f) { return real(f)->pMethods->xClose(real(f)); }
int crashRead(sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), b, n, o); }
int crashWrite(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (g_writesBeforeCrash == 0)
        ::_exit(crashedExit);
    if (g_writesBeforeCrash > 0)
        --g_writesBeforeCrash;
    return real(f)->pMethods->xWrite(real(f), b, n, o);
}
int crashTruncate(sqlite3_file *f, sqlite3_int64 s) { return real(f)->pMethods->xTruncate(real(f), s); }
int crashSync(sqlite3_file *f, int flags) { return real(f)->pMethods->xSync(real(f), flags); }
int crashFileSize(sqlite3_file *f, sqlite3_int64 *s) { return real(f)->pMethods->xFileSize(real(f), s); }
int crashLock(sqlite3_file *f, int l) { return real(f)->pMethods->xLock(real(f), l); }
int crashUnlock(sqlite3_file *f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
int crashCheckReserved(sqlite3_file *f, int *r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); }
int crashFileControl(sqlite3_file *f, int op, void *a) { return real(f)->pMethods->xFileControl(real(f), op, a); }
int crashSectorSize(sqlite3_file *f) { return real(f)->pMethods->xSectorSize(real(f)); }
int crashDevice(sqlite3_file *f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int crashShmMap(sqlite3_file *f, int i, int sz, int e, void volatile **p) { return real(f)->pMethods->xShmMap(real(f), i, sz, e, p); }
int crashShmLock(sqlite3_file *f, int o, int n, int fl) { return real(f)->pMethods->xShmLock(real(f), o, n, fl); }
void crashShmBarrier(sqlite3_file *f) { real(f)->pMethods->xShmBarrier(real(f)); }
int crashShmUnmap(sqlite3_file *f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); }

// No xFetch/xUnfetch (version 2): SQLite then reads without memory mapping, which
// SQLCipher does anyway.
const sqlite3_io_methods crashMethods = {
    2, crashClose, crashRead, crashWrite, crashTruncate, crashSync, crashFileSize, crashLock, crashUnlock,
    crashCheckReserved, crashFileControl, crashSectorSize, crashDevice, crashShmMap, crashShmLock,
    crashShmBarrier, crashShmUnmap, nullptr, nullptr,
};

int crashOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
{
    auto *wrapper = reinterpret_cast<CrashFile *>(file);
    wrapper->real = reinterpret_cast<sqlite3_file *>(wrapper + 1);
    wrapper->base.pMethods = nullptr;
    const int rc = g_realVfs->xOpen(g_realVfs, name, wrapper->real, flags, outFlags);
    if (wrapper->real->pMethods != nullptr)
        wrapper->base.pMethods = &crashMethods;
    return rc;
}

void installCrashVfs()
{
    static sqlite3_vfs vfs;
    g_realVfs = sqlite3_vfs_find(nullptr);
    vfs = *g_realVfs;
    vfs.zName = "sigess-crash";
    vfs.szOsFile = static_cast<int>(sizeof(CrashFile)) + g_realVfs->szOsFile;
    vfs.xOpen = crashOpen;
    sqlite3_vfs_register(&vfs, 1);
}

class FixedDeviceSecret final : public DeviceSecretSource {
public:
    explicit FixedDeviceSecret(DeviceSecret secret) : m_secret(std::move(secret)) {}
    Result<DeviceSecret> secret() override { return m_secret; }

private:
    DeviceSecret m_secret;
};

enum class CrashPoint { AfterStaging, AfterDatabaseRekey, AtWrite, Never };

} // namespace

class TestRekeyCrash : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FixedDeviceSecret m_device{DeviceSecret::random()};
    QString m_template;

    KeyVault vaultAt(const QString &store)
    {
        return KeyVault((store + ".key").toStdString(), m_device, Argon2Cost::cheapestForTests());
    }

    // Runs the rekey in a child process that dies at crashPoint; returns how it ended.
    int rekeyInChild(const QString &store, CrashPoint crashPoint, int writes)
    {
        const pid_t child = ::fork();
        if (child == 0) {
            KeyVault vault = vaultAt(store);
            Result<Database> database = openVaulted(store.toStdString(), vault, Pin("2468"), OpenMode::OpenExisting);
            if (!database.ok())
                ::_exit(1);
            const RawKey newKey = RawKey::random();
            switch (crashPoint) {
            case CrashPoint::AfterStaging:
                ::_exit(vault.stagePendingKey(newKey).ok() ? crashedExit : 1);
            case CrashPoint::AfterDatabaseRekey:
                ::_exit(vault.stagePendingKey(newKey).ok() && database->rekey(newKey).ok() ? crashedExit : 1);
            case CrashPoint::AtWrite:
                g_writesBeforeCrash = writes;
                ::_exit(rekeyVaulted(*database, vault).ok() ? 0 : 1);
            case CrashPoint::Never:
                ::_exit(rekeyVaulted(*database, vault).ok() ? 0 : 1);
            }
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    QString freshCopy(const QString &name)
    {
        const QString store = m_dir.filePath(name);
        for (const char *suffix : {"", ".key"}) {
            QFile::remove(store + suffix);
            if (!QFile::copy(m_template + suffix, store + suffix))
                qFatal("cannot copy the template store");
        }
        QFile::remove(store + "-wal");
        QFile::remove(store + "-shm");
        return store;
    }

    // After recovery: the store opens, holds every row, passes its integrity check,
    // and the key file is settled on one key.
    void verifyRecovered(const QString &store)
    {
        KeyVault vault = vaultAt(store);
        Result<Database> database = openVaulted(store.toStdString(), vault, Pin("2468"), OpenMode::OpenExisting);
        QVERIFY2(database.ok(), database.ok() ? "" : database.error().message.c_str());
        Result<Statement> count = database->prepare("SELECT count(*), sum(length(body)) FROM note");
        QVERIFY(count.ok() && count->step().value());
        QCOMPARE(count->columnInt64(0), std::int64_t(rowCount));
        QCOMPARE(count->columnInt64(1), std::int64_t(rowCount) * 200);
        QCOMPARE(database->cipherIntegrityCheck().value(), std::string());
        Result<UnlockedKeys> keys = vaultAt(store).unlock(Pin("2468"));
        QVERIFY(keys.ok());
        QVERIFY(!keys->pending);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        installCrashVfs();
        m_template = m_dir.filePath("template.db");
        KeyVault vault = vaultAt(m_template);
        Result<Database> database = openVaulted(m_template.toStdString(), vault, Pin("2468"), OpenMode::CreateIfMissing);
        QVERIFY(database.ok());
        QVERIFY(database->exec("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
                               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
                               " INSERT INTO note (body) SELECT printf('%0200d', i) FROM n;")
                    .ok());
    }

    void crashBetweenProtocolSteps_data()
    {
        QTest::addColumn<int>("crashPoint");
        QTest::newRow("after staging the new key") << int(CrashPoint::AfterStaging);
        QTest::newRow("after the database rekey") << int(CrashPoint::AfterDatabaseRekey);
        QTest::newRow("no crash") << int(CrashPoint::Never);
    }

    void crashBetweenProtocolSteps()
    {
        QFETCH(int, crashPoint);
        const QString store = freshCopy(QStringLiteral("step-%1.db").arg(crashPoint));
        const int exitCode = rekeyInChild(store, CrashPoint(crashPoint), -1);
        QCOMPARE(exitCode, CrashPoint(crashPoint) == CrashPoint::Never ? 0 : crashedExit);
        verifyRecovered(store);
    }

    void crashBeforeEveryWrite()
    {
        int crashes = 0;
        for (int writes = 0;; ++writes) {
            const QString store = freshCopy(QStringLiteral("write-%1.db").arg(writes));
            const int exitCode = rekeyInChild(store, CrashPoint::AtWrite, writes);
            QVERIFY2(exitCode == 0 || exitCode == crashedExit, qPrintable(QString::number(exitCode)));
            verifyRecovered(store);
            if (QTest::currentTestFailed())
                qFatal("recovery failed after a crash at write %d", writes);
            for (const char *suffix : {"", ".key", "-wal", "-shm"})
                QFile::remove(store + suffix);
            if (exitCode == 0)
                break;
            ++crashes;
        }
        // A rekey of this store takes more than a handful of writes: the sweep covered
        // the WAL frames, the commit and the checkpoint.
        QVERIFY2(crashes > 20, qPrintable(QString::number(crashes)));
        qInfo("recovered from a crash before each of %d writes", crashes);
    }
};

QTEST_GUILESS_MAIN(TestRekeyCrash)
#include "tst_rekey_crash.moc"
