// sigessctl backup and restore on both stores. A writer commits a citizen and its audit
// event in one transaction, again and again, while the backup runs; the restored store
// must hold a prefix of that history that is whole (as many writer citizens as audit
// events: no transaction cut in half), started after the writer did and ended before it
// stopped (so the backup really ran online), byte for byte what the store held, with an
// intact audit chain. Restore refuses a store that holds a city unless --force, and a
// backup that fails verification leaves the store as it was.
#include "backend/ctl/admin_fixture.h"
#include "storage/citizen_repository.h"

#include <QFile>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

using namespace sigess;
using sigess::test::AdminFixture;
using sigess::test::Outcome;

namespace {

constexpr int kBeforeBackup = 20; // writes committed before the backup starts
constexpr int kAfterBackup = 20; // and after it has finished
constexpr char kWriterPrefix[] = "01900000-0000-7000-9000-";

std::string writerCitizenId(int n)
{
    char text[40];
    std::snprintf(text, sizeof text, "%s%012x", kWriterPrefix, n);
    return text;
}

v1::Citizen citizen(const std::string &id, const std::string &familyName)
{
    v1::Citizen person;
    person.mutable_meta()->set_id(id);
    person.mutable_meta()->set_presidio("P-M01-01");
    person.set_family_name(familyName);
    person.set_given_name("Writer");
    return person;
}

// Commits citizen n with its audit event in one transaction, for as long as it runs.
class Writer {
public:
    explicit Writer(storage::SqlDatabase &database)
        : m_database(database)
        , m_thread([this] { run(); })
    {
    }
    ~Writer() { stop(); }

    int written() const { return m_written.load(); }
    bool failed() const { return m_failed.load(); }
    const Error &failure() const { return m_failure; } // after stop()

    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }

    // Waits until at least `count` writes have committed, or the writer failed.
    void waitFor(int count) const
    {
        while (m_written.load() < count && !m_failed.load())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }

private:
    void run()
    {
        for (int n = 1; !m_stop.load(); ++n) {
            Status written = m_database.transaction([&](storage::SqlExecutor &sql) -> Status {
                const std::string id = writerCitizenId(n);
                SIGESS_TRY(
                    storage::CitizenRepository(sql).create(citizen(id, "Number " + std::to_string(n))));
                v1::AuditEvent event;
                event.mutable_meta()->set_id(id);
                event.set_actor("writer");
                event.set_role(v1::ROLE_OPERATOR);
                event.set_record_type(v1::ENTITY_TYPE_CITIZEN);
                event.set_record_id(id);
                event.set_citizen(id);
                event.set_action("create");
                event.set_at_ms(1'767'225'600'000 + static_cast<std::uint64_t>(n));
                return test::appendAuditEvent(sql, event);
            });
            if (!written.ok()) {
                m_failure = written.error();
                m_failed = true;
                return;
            }
            ++m_written;
        }
    }

    storage::SqlDatabase &m_database;
    std::atomic<bool> m_stop = false;
    std::atomic<int> m_written = 0;
    std::atomic<bool> m_failed = false;
    Error m_failure;
    std::thread m_thread;
};

// What a store holds: citizens by id and audit events by sequence, as stored bytes.
struct Contents {
    std::map<std::string, std::string> citizens;
    std::map<std::int64_t, std::string> auditEvents;
};

// The sync log's epoch; empty when it cannot be read.
std::string logEpoch(storage::SqlDatabase &database)
{
    std::string epoch;
    static_cast<void>(database.query("SELECT epoch FROM sync_head WHERE id = 1", {}, [&](const storage::SqlRow &row) {
        epoch = row.text(0);
        return Status {};
    }));
    return epoch;
}

Result<Contents> contentsOf(storage::SqlDatabase &database)
{
    Contents contents;
    Status citizens = database.query("SELECT id, data FROM citizens", {}, [&](const storage::SqlRow &row) {
        contents.citizens.emplace(row.text(0), row.bytes(1));
        return Status {};
    });
    if (!citizens.ok())
        return citizens.takeError();
    Status events
        = database.query("SELECT sequence, data FROM audit_events", {}, [&](const storage::SqlRow &row) {
              contents.auditEvents.emplace(row.int64(0), row.bytes(1));
              return Status {};
          });
    if (!events.ok())
        return events.takeError();
    return contents;
}

} // namespace

class TestCtlBackup : public QObject {
    Q_OBJECT

private:
    test::TestPostgresServer m_postgres;
    std::unique_ptr<AdminFixture> m_fixture;
    std::string m_backup;

    std::unique_ptr<AdminFixture> openFixture()
    {
        auto opened = AdminFixture::open(test::currentStoreKind(), m_postgres, "unused-catalog.pb");
        if (!opened.ok())
            qFatal("cannot open a store: %s", opened.error().describe().c_str());
        return std::move(opened).value();
    }

    // For what only the embedded store does (its backup is encrypted under the store's key).
    static void addEmbeddedRow()
    {
        QTest::addColumn<QString>("store");
        QTest::newRow("embedded") << "embedded";
    }

    Status addCitizens(storage::SqlDatabase &database, int count)
    {
        for (int n = 1; n <= count; ++n) {
            char id[40];
            std::snprintf(id, sizeof id, "01900000-0000-7000-8000-%012x", n);
            SIGESS_TRY(
                storage::CitizenRepository(database).create(citizen(id, "Before " + std::to_string(n))));
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        if (QByteArray(QTest::currentDataTag()).isEmpty())
            return;
        m_fixture = openFixture();
        SIGESS_VERIFY_OK(addCitizens(m_fixture->database(), 10));
        m_backup = QDir(m_fixture->dir()).filePath("backup.sigess").toStdString();
    }

    void cleanup() { m_fixture.reset(); }

    void backupWhileWritingThenRestore_data() { test::addStoreRows(); }
    void backupWhileWritingThenRestore()
    {
        Writer writer(m_fixture->database());
        writer.waitFor(kBeforeBackup);
        const Outcome backedUp = m_fixture->run(ctl::runBackup, { m_backup });
        QVERIFY2(backedUp.status == 0, backedUp.said().c_str());
        QVERIFY(backedUp.out.find("backup written to " + m_backup) != std::string::npos);
        writer.waitFor(writer.written() + kAfterBackup);
        writer.stop();
        QVERIFY2(!writer.failed(), writer.failure().describe().c_str());
        const int totalWrites = writer.written();

        auto before = contentsOf(m_fixture->database());
        SIGESS_VERIFY_OK(before);
        QCOMPARE(static_cast<int>(before->auditEvents.size()), totalWrites);
        const std::string epochBefore = logEpoch(m_fixture->database());
        QCOMPARE(epochBefore.size(), std::size_t(32));

        const Outcome refused = m_fixture->run(ctl::runRestore, { m_backup });
        QCOMPARE(refused.status, 1);
        QVERIFY2(refused.err.find("the store is not empty") != std::string::npos, refused.said().c_str());
        QVERIFY(refused.err.find("--force") != std::string::npos);

        m_fixture->closeDatabase();
        const Outcome restored = m_fixture->run(ctl::runRestore, { m_backup, "--force" });
        QVERIFY2(restored.status == 0, restored.said().c_str());
        QVERIFY(restored.out.find("schema version: " + std::to_string(storage::latestSchemaVersion()) + "\n")
            != std::string::npos);
        QVERIFY2(restored.out.find("audit chain: intact, ") != std::string::npos, restored.said().c_str());

        SIGESS_VERIFY_OK(m_fixture->reopenDatabase());
        auto after = contentsOf(m_fixture->reopened());
        SIGESS_VERIFY_OK(after);
        // The backup carries the store's epoch; the restored log has a new one.
        const std::string epochAfter = logEpoch(m_fixture->reopened());
        QCOMPARE(epochAfter.size(), std::size_t(32));
        QVERIFY(epochAfter != epochBefore);
        const int kept = static_cast<int>(after->auditEvents.size());
        QVERIFY2(kept >= kBeforeBackup, std::to_string(kept).c_str());
        QVERIFY2(kept <= totalWrites - kAfterBackup, std::to_string(kept).c_str());
        for (std::int64_t sequence = 1; sequence <= kept; ++sequence)
            QVERIFY(after->auditEvents.at(sequence) == before->auditEvents.at(sequence));
        int writerCitizens = 0;
        for (const auto &[id, data] : after->citizens) {
            QVERIFY(before->citizens.at(id) == data);
            writerCitizens += id.starts_with(kWriterPrefix) ? 1 : 0;
        }
        QCOMPARE(writerCitizens, kept);
        QCOMPARE(static_cast<int>(after->citizens.size()), 10 + kept);

        const Outcome verified = m_fixture->run(ctl::runAudit, { "verify" });
        QVERIFY2(verified.status == 0, verified.said().c_str());
        QVERIFY(verified.out.starts_with("audit chain intact: " + std::to_string(kept) + " events"));
    }

    void restoreIntoAnEmptyStore_data() { test::addStoreRows(); }
    void restoreIntoAnEmptyStore()
    {
        QVERIFY(m_fixture->run(ctl::runBackup, { m_backup }).status == 0);
        auto original = contentsOf(m_fixture->database());
        SIGESS_VERIFY_OK(original);
        SIGESS_VERIFY_OK(m_fixture->database().execute("DELETE FROM citizens", {}));
        m_fixture->closeDatabase();

        const Outcome restored = m_fixture->run(ctl::runRestore, { m_backup });
        QVERIFY2(restored.status == 0, restored.said().c_str());
        SIGESS_VERIFY_OK(m_fixture->reopenDatabase());
        auto after = contentsOf(m_fixture->reopened());
        SIGESS_VERIFY_OK(after);
        QVERIFY(after->citizens == original->citizens);
        QCOMPARE(after->citizens.size(), std::size_t { 10 });
    }

    void badBackupLeavesTheStoreAlone_data() { test::addStoreRows(); }
    void badBackupLeavesTheStoreAlone()
    {
        QVERIFY(test::writeFile(QString::fromStdString(m_backup), std::string(8192, '\x5a')));
        m_fixture->closeDatabase();
        const Outcome restored = m_fixture->run(ctl::runRestore, { m_backup, "--force" });
        QCOMPARE(restored.status, 1);
        QVERIFY2(restored.err.find("sigessctl restore: ") != std::string::npos, restored.said().c_str());
        SIGESS_VERIFY_OK(m_fixture->reopenDatabase());
        auto after = contentsOf(m_fixture->reopened());
        SIGESS_VERIFY_OK(after);
        QCOMPARE(after->citizens.size(), std::size_t { 10 });
    }

    void refusals_data() { test::addStoreRows(); }
    void refusals()
    {
        QVERIFY(test::writeFile(QString::fromStdString(m_backup), "already here"));
        const Outcome exists = m_fixture->run(ctl::runBackup, { m_backup });
        QCOMPARE(exists.status, 1);
        QVERIFY2(exists.err.find("a backup never overwrites") != std::string::npos, exists.said().c_str());
        QFile file(QString::fromStdString(m_backup));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("already here"));

        const Outcome missing = m_fixture->run(ctl::runRestore, { m_backup + ".missing" });
        QCOMPARE(missing.status, 1);
        QVERIFY2(missing.err.find("no such backup file") != std::string::npos, missing.said().c_str());

        for (const ctl::Args &args : { ctl::Args {}, ctl::Args { "a", "b" }, ctl::Args { "a", "--force" } }) {
            const Outcome usage = AdminFixture::runWithoutConfig(ctl::runBackup, args);
            QVERIFY2(usage.status == 2, usage.said().c_str());
        }
        const Outcome usage = AdminFixture::runWithoutConfig(ctl::runRestore, {});
        QVERIFY2(usage.status == 2, usage.said().c_str());
    }

    void embeddedBackupOnANewMachine_data() { addEmbeddedRow(); }
    void embeddedBackupOnANewMachine()
    {
        QVERIFY(m_fixture->run(ctl::runBackup, { m_backup }).status == 0);
        QFile backup(QString::fromStdString(m_backup));
        QVERIFY(backup.open(QIODevice::ReadOnly));
        QVERIFY(!backup.read(16).startsWith("SQLite format 3"));
        auto original = contentsOf(m_fixture->database());
        SIGESS_VERIFY_OK(original);

        QTemporaryDir machine;
        const QString keyFile = machine.filePath("backend.key");
        const QString storeFile = machine.filePath("backend.db");
        const QString configFile = machine.filePath("backend.conf");
        const std::string storage = "kind = embedded\npath = " + storeFile.toStdString()
            + "\nkey_file = " + keyFile.toStdString() + "\n";
        QVERIFY(test::writeFile(configFile, test::configText(storage, "unused-catalog.pb")));

        QVERIFY(test::writeFile(keyFile, store::RawKey::random().toHex() + "\n"));
        const Outcome wrongKey = AdminFixture::runWithoutConfig(
            ctl::runRestore, { m_backup, "--config", configFile.toStdString() });
        QCOMPARE(wrongKey.status, 1);
        QVERIFY2(
            wrongKey.err.find("does not open with the key in " + keyFile.toStdString()) != std::string::npos,
            wrongKey.said().c_str());
        QVERIFY(!QFile::exists(storeFile));

        QVERIFY(test::writeFile(keyFile, m_fixture->store().key().toHex() + "\n"));
        const Outcome restored = AdminFixture::runWithoutConfig(
            ctl::runRestore, { m_backup, "--config", configFile.toStdString() });
        QVERIFY2(restored.status == 0, restored.said().c_str());
        storage::EmbeddedStoreConfig config;
        config.path = storeFile.toStdString();
        config.keyFile = keyFile.toStdString();
        auto database = storage::openEmbeddedDatabase(config);
        SIGESS_VERIFY_OK(database);
        auto after = contentsOf(**database);
        SIGESS_VERIFY_OK(after);
        QVERIFY(after->citizens == original->citizens);
    }

    void embeddedStoreInUseIsRefused_data() { addEmbeddedRow(); }
    void embeddedStoreInUseIsRefused()
    {
        QVERIFY(m_fixture->run(ctl::runBackup, { m_backup }).status == 0);
        // The fixture's own connections stay open, as a running server's would.
        const Outcome restored = m_fixture->run(ctl::runRestore, { m_backup, "--force" });
        QCOMPARE(restored.status, 1);
        QVERIFY2(
            restored.err.find("stop sigess-backend first") != std::string::npos, restored.said().c_str());
    }

    // PostgreSQL only: a dump restores into the schema it was taken from, nowhere else.
    void postgresDumpOfAnotherSchemaIsRefused_data()
    {
        QTest::addColumn<QString>("store");
        QTest::newRow("postgres") << "postgres";
    }
    void postgresDumpOfAnotherSchemaIsRefused()
    {
        QVERIFY(m_fixture->run(ctl::runBackup, { m_backup }).status == 0);
        auto other = openFixture();
        const Outcome restored = other->run(ctl::runRestore, { m_backup });
        QCOMPARE(restored.status, 1);
        QVERIFY2(
            restored.err.find("the backup holds schema test_") != std::string::npos, restored.said().c_str());
        QVERIFY(restored.err.find("but the configured store is schema test_") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCtlBackup)
#include "tst_ctl_backup.moc"
