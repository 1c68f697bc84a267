// Key wrapping: PINs, the device secret, the wrong-PIN limit and PIN changes, with the
// real libsodium and real files in a temporary directory.
#include "store/device_secret.h"
#include "store/key_vault.h"
#include "store/vaulted_database.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace sigess;
using namespace sigess::store;

namespace {

// A fixed device secret, standing in for the TPM-sealed one.
class FixedDeviceSecret final : public DeviceSecretSource {
public:
    explicit FixedDeviceSecret(DeviceSecret secret) : m_secret(std::move(secret)) {}
    Result<DeviceSecret> secret() override { return m_secret; }

private:
    DeviceSecret m_secret;
};

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

} // namespace

class TestKeyVault : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FixedDeviceSecret m_device{DeviceSecret::random()};

    std::string path(const QString &name) const { return m_dir.filePath(name).toStdString(); }
    KeyVault vaultAt(const std::string &file) { return KeyVault(file, m_device, Argon2Cost::cheapestForTests()); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void unlockGivesTheCreatedKey_data()
    {
        QTest::addColumn<bool>("withPin");
        QTest::newRow("PIN and device secret") << true;
        QTest::newRow("device secret alone") << false;
    }

    void unlockGivesTheCreatedKey()
    {
        QFETCH(bool, withPin);
        const std::string file = path(QStringLiteral("create-%1.key").arg(withPin));
        const Pin pin = withPin ? Pin("482913") : std::nullopt;
        RawKey created;
        {
            KeyVault vault = vaultAt(file);
            QVERIFY(!vault.exists());
            Result<RawKey> key = vault.create(pin);
            QVERIFY2(key.ok(), key.ok() ? "" : key.error().message.c_str());
            created = *key;
        }
        KeyVault vault = vaultAt(file);
        Result<UnlockedKeys> keys = vault.unlock(pin);
        QVERIFY2(keys.ok(), keys.ok() ? "" : keys.error().message.c_str());
        QVERIFY(keys->current == created);
        QVERIFY(!keys->pending);

        QFileInfo info(QString::fromStdString(file));
        QCOMPARE(info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());
        // A second create() must not replace the key that protects existing data.
        QCOMPARE(vault.create(pin).error().code, ErrorCode::Conflict);
    }

    void otherDeviceCannotUnwrap()
    {
        const std::string file = path("other-device.key");
        QVERIFY(vaultAt(file).create(Pin("1234")).ok());
        FixedDeviceSecret otherDevice{DeviceSecret::random()};
        KeyVault stolen(file, otherDevice, Argon2Cost::cheapestForTests());
        Result<UnlockedKeys> keys = stolen.unlock(Pin("1234"));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().code, ErrorCode::Unauthorized);
    }

    void pinPresenceMustMatch()
    {
        const std::string file = path("pin-presence.key");
        QVERIFY(vaultAt(file).create(Pin("1234")).ok());
        Result<UnlockedKeys> keys = vaultAt(file).unlock(std::nullopt);
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().code, ErrorCode::Invalid);
        QVERIFY(vaultAt(file).unlock(Pin("1234")).ok());
        QCOMPARE(vaultAt(path("empty-pin.key")).create(Pin("")).error().code, ErrorCode::Invalid);
    }

    void wrongPinIsCountedAndResetByTheRightOne()
    {
        const std::string file = path("wrong-pin.key");
        QVERIFY(vaultAt(file).create(Pin("1234")).ok());
        KeyVault vault = vaultAt(file);
        for (int left = 4; left >= 3; --left) {
            Result<UnlockedKeys> keys = vault.unlock(Pin("0000"));
            QVERIFY(!keys.ok());
            QCOMPARE(keys.error().code, ErrorCode::Unauthorized);
            QVERIFY2(keys.error().message.find("wrong PIN; " + std::to_string(left) + " attempts left") != std::string::npos,
                     keys.error().message.c_str());
        }
        QVERIFY(vault.unlock(Pin("1234")).ok());
        // The count restarts: four more wrong PINs still leave the key in place.
        for (int i = 0; i < 4; ++i)
            QVERIFY(!vaultAt(file).unlock(Pin("9999")).ok());
        QVERIFY(vaultAt(file).unlock(Pin("1234")).ok());
    }

    void fiveWrongPinsDestroyTheKey()
    {
        const std::string file = path("destroyed.key");
        QVERIFY(vaultAt(file).create(Pin("1234")).ok());
        for (int i = 1; i <= KeyVault::maxWrongAttempts; ++i) {
            // A fresh vault each time: the count lives in the file, not in memory.
            Result<UnlockedKeys> keys = vaultAt(file).unlock(Pin("0000"));
            QVERIFY(!keys.ok());
            if (i == KeyVault::maxWrongAttempts)
                QVERIFY2(keys.error().message.find("has been destroyed") != std::string::npos,
                         keys.error().message.c_str());
        }
        Result<UnlockedKeys> keys = vaultAt(file).unlock(Pin("1234"));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().code, ErrorCode::Unauthorized);
        QVERIFY2(keys.error().message.find("destroyed") != std::string::npos, keys.error().message.c_str());
        // Nothing of the wrapped key is left in the file: only its 44-byte header.
        QCOMPARE(QFileInfo(QString::fromStdString(file)).size(), qint64(44));
        QVERIFY(!QFile::exists(QString::fromStdString(file + ".tmp")));
    }

    void pinChangeRewrapsWithoutReencrypting()
    {
        const std::string store = path("pin-change.db");
        const std::string keyFile = store + ".key";
        {
            KeyVault vault = vaultAt(keyFile);
            Result<Database> database = openVaulted(store, vault, Pin("1234"), OpenMode::CreateIfMissing);
            QVERIFY2(database.ok(), database.ok() ? "" : database.error().message.c_str());
            QVERIFY(database->exec("CREATE TABLE note (body TEXT); INSERT INTO note VALUES ('visita domiciliare')").ok());
        }
        const QString storeFile = QString::fromStdString(store);
        const QByteArray storeBefore = fileHash(storeFile);
        const QByteArray keyBefore = fileHash(QString::fromStdString(keyFile));

        KeyVault vault = vaultAt(keyFile);
        QCOMPARE(vault.changePin(Pin("0000"), Pin("5678")).error().code, ErrorCode::Unauthorized);
        QVERIFY(vault.changePin(Pin("1234"), Pin("5678")).ok());
        QCOMPARE(fileHash(storeFile), storeBefore);
        QVERIFY(fileHash(QString::fromStdString(keyFile)) != keyBefore);

        QCOMPARE(vaultAt(keyFile).unlock(Pin("1234")).error().code, ErrorCode::Unauthorized);
        KeyVault reopened = vaultAt(keyFile);
        Result<Database> database = openVaulted(store, reopened, Pin("5678"), OpenMode::OpenExisting);
        QVERIFY(database.ok());
        Result<Statement> query = database->prepare("SELECT body FROM note");
        QVERIFY(query.ok() && query->step().value());
        QCOMPARE(query->columnText(0), std::string_view("visita domiciliare"));
    }

    void damagedKeyFileIsCorrupt_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not a key file") << QByteArray("SQLite format 3").leftJustified(116, '\0');
        QTest::newRow("truncated") << QByteArray("SGSKEY\r\n\x01\x02\x00\x01", 12).leftJustified(60, '\0');
    }

    void damagedKeyFileIsCorrupt()
    {
        QFETCH(QByteArray, bytes);
        const std::string file = path(QStringLiteral("damaged-%1.key").arg(QTest::currentDataTag()));
        QFile out(QString::fromStdString(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        Result<UnlockedKeys> keys = vaultAt(file).unlock(Pin("1234"));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().code, ErrorCode::Corrupt);
    }

    void missingKeyFileIsNotFound()
    {
        Result<UnlockedKeys> keys = vaultAt(path("absent.key")).unlock(Pin("1234"));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.error().code, ErrorCode::NotFound);
    }

    void deviceSecretFileIsCreatedPrivateAndStable()
    {
        const std::string file = path("device.secret");
        FileDeviceSecret source(file);
        Result<DeviceSecret> first = source.secret();
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        struct stat info {};
        QCOMPARE(::stat(file.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        QCOMPARE(info.st_size, off_t(32));
        Result<DeviceSecret> second = FileDeviceSecret(file).secret();
        QVERIFY(second.ok());
        QVERIFY(*first == *second);
    }

    void deviceSecretReadableByOthersIsRefused()
    {
        const std::string file = path("shared.secret");
        QVERIFY(FileDeviceSecret(file).secret().ok());
        QCOMPARE(::chmod(file.c_str(), 0644), 0);
        Result<DeviceSecret> secret = FileDeviceSecret(file).secret();
        QVERIFY(!secret.ok());
        QCOMPARE(secret.error().code, ErrorCode::Forbidden);
        QVERIFY2(secret.error().message.find("0644") != std::string::npos, secret.error().message.c_str());
    }

    void deviceSecretOfTheWrongSizeIsCorrupt()
    {
        const std::string file = path("short.secret");
        QFile out(QString::fromStdString(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("too short");
        out.close();
        QVERIFY(out.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        QCOMPARE(FileDeviceSecret(file).secret().error().code, ErrorCode::Corrupt);
    }
};

QTEST_GUILESS_MAIN(TestKeyVault)
#include "tst_key_vault.moc"
