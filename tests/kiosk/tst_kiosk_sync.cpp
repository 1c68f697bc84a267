// The kiosk against the real sync server (backend/sync behind the Beast server, on an
// embedded store) through shared/sync_client's SyncClient and SyncDriver: check-ins made
// while the network is down reach the backend once it comes up and are acknowledged,
// after which their personal fields leave the kiosk's store; a visit without data sends
// nothing personal; two kiosks offline at once never issue the same number.
#include "check_in_service.h"
#include "check_in_store.h"
#include "kiosk_fixture.h"
#include "kiosk_session.h"
#include "sync_world.h"

#include "core/clock.h"
#include "storage/intake_repository.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <set>

using namespace sigess;
using namespace sigess::kiosk;
using namespace std::chrono_literals;
using sigess::sync::testing::SyncWorld;

namespace {

constexpr std::uint64_t kStartMs = 1'796'029'200'000; // 2026-11-30 10:00 in Rome
constexpr int kWaitMs = 20'000;

// One kiosk of P-M01-01 enrolled on the world, with its store in a folder of its own,
// its session, and a client that is not started: the kiosk begins offline.
struct EnrolledKiosk {
    EnrolledKiosk(SyncWorld &world, const core::Catalog &catalog, core::ManualClock &clock, const QString &prefix)
    {
        const sync::testing::EnrolledDevice enrolled = world.enroll(v1::DEVICE_KIND_KIOSK, "P-M01-01");
        config = kiosk::testing::kioskConfig(dir, QString::fromStdString(enrolled.id), prefix);
        config.syncUrl = QString::fromStdString(world.url());
        config.credentialPath = dir.filePath(QStringLiteral("credential"));
        QFile credential(config.credentialPath);
        if (!credential.open(QIODevice::WriteOnly) || credential.write(QByteArray::fromStdString(enrolled.credential)) < 0)
            qFatal("cannot write the credential");
        credential.close();
        Result<sync::SyncClientOptions> options = syncClientOptions(config);
        if (!options.ok())
            qFatal("%s", options.error().describe().c_str());
        options->backoff.initial = 20ms;
        options->backoff.maximum = 200ms;
        client = std::make_unique<sync::SyncClient>(std::move(options).value());
        service = std::make_unique<CheckInService>(config, clock, store::Argon2Cost::cheapestForTests(), client.get());
        session = std::make_unique<KioskSession>(catalog, clock, *service);
    }

    ~EnrolledKiosk() { stop(); }

    // Closes the kiosk, leaving its files: the driver goes before the client stops
    // (sync_driver.h).
    void stop()
    {
        session.reset();
        service.reset();
        client->stop();
    }

    // A visit from the welcome screen to the ticket; false if no ticket came.
    bool visit(const QString &givenName)
    {
        session->chooseLanguage(QStringLiteral("it"));
        if (givenName.isEmpty()) {
            session->continueWithoutData();
        } else {
            session->giveConsent();
            session->setGivenName(givenName);
            session->continueWithName();
        }
        session->toggleNeed(QStringLiteral("FOOD"));
        session->reviewNeeds();
        session->confirm();
        const bool issued = QTest::qWaitFor([&] { return session->step() != KioskSession::Step::Issuing; }, kWaitMs)
            && session->step() == KioskSession::Step::Ticket;
        session->clear();
        return issued;
    }

    QTemporaryDir dir;
    KioskConfig config;
    std::unique_ptr<sync::SyncClient> client;
    std::unique_ptr<CheckInService> service;
    std::unique_ptr<KioskSession> session;
};

} // namespace

class TestKioskSync : public QObject {
    Q_OBJECT

private:
    sigess::test::TestPostgresServer m_postgres;
    std::unique_ptr<SyncWorld> m_world;
    const core::Catalog m_catalog = kiosk::testing::deployCatalog();

private Q_SLOTS:
    void init()
    {
        std::string error;
        m_world = SyncWorld::open(test::StoreKind::Embedded, m_postgres, {}, net::testing::fastOptions(), error);
        QVERIFY2(m_world, error.c_str());
    }

    void cleanup() { m_world.reset(); }

    void syncOptionsComeFromTheConfig()
    {
        QTemporaryDir dir;
        KioskConfig config = kiosk::testing::kioskConfig(dir, QStringLiteral("01900000-0000-7000-8000-000000000001"),
                                                  QStringLiteral("A"));
        const Result<sync::SyncClientOptions> offline = syncClientOptions(config);
        QVERIFY(!offline.ok());
        QVERIFY(QString::fromStdString(offline.error().message).contains("sync_url"));
        config.syncUrl = QStringLiteral("wss://backend.example.it:8443/v1/sync");
        config.caFile = dir.filePath(QStringLiteral("ca.crt"));
        config.credentialPath = dir.filePath(QStringLiteral("credential"));
        const Result<sync::SyncClientOptions> noCredential = syncClientOptions(config);
        QVERIFY(!noCredential.ok());
        QVERIFY(QString::fromStdString(noCredential.error().message).contains("--enroll"));
        QFile credential(config.credentialPath);
        QVERIFY(credential.open(QIODevice::WriteOnly));
        credential.write("secret-credential\n");
        credential.close();
        const Result<sync::SyncClientOptions> options = syncClientOptions(config);
        QVERIFY(options.ok());
        QCOMPARE(options->url, config.syncUrl.toStdString());
        QCOMPARE(options->caFile, config.caFile.toStdString());
        QCOMPARE(options->hello.device_id(), config.deviceId.toStdString());
        QCOMPARE(options->hello.device_credential(), std::string("secret-credential"));
    }

    void offlineCheckInsReachTheBackendAndArePurged()
    {
        core::ManualClock clock(kStartMs);
        EnrolledKiosk kiosk(*m_world, m_catalog, clock, QStringLiteral("A"));
        QVERIFY(QTest::qWaitFor([&] { return kiosk.service->ready(); }, kWaitMs));
        for (const char *name : { "Anna", "Bea", "Carla" }) {
            QVERIFY(kiosk.visit(QString::fromLatin1(name)));
            clock.advance(1'000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(kiosk.service->waitingToSync(), 6, kWaitMs);
        QVERIFY(!kiosk.service->online());
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(0));

        // The network returns.
        QVERIFY(kiosk.client->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(kiosk.service->online() && kiosk.service->waitingToSync() == 0, kWaitMs);
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(6)); // intakes and tickets, once
        QCOMPARE(m_world->count("SELECT COUNT(*) FROM intakes"), std::int64_t(3));
        QCOMPARE(kiosk.service->queue().size(), std::size_t(3));
        std::vector<std::string> intakeIds;
        for (const v1::Ticket &ticket : kiosk.service->queue())
            intakeIds.push_back(ticket.intake());
        kiosk.stop();

        // Acknowledged, so the kiosk forgot who came; the backend did not.
        Result<std::unique_ptr<CheckInStore>> reopened
            = CheckInStore::open(kiosk.config, clock, store::Argon2Cost::cheapestForTests());
        QVERIFY(reopened.ok());
        storage::IntakeRepository backendIntakes(m_world->database());
        for (const std::string &id : intakeIds) {
            Result<std::optional<v1::Intake>> kept = (*reopened)->intake(id);
            QVERIFY(kept.ok() && kept->has_value());
            QVERIFY((*kept)->given_name().empty());
            QCOMPARE((*kept)->needs_size(), 0); // what someone needs is personal too
            Result<v1::Intake> held = backendIntakes.byId(id);
            QVERIFY(held.ok());
            QVERIFY(!held->given_name().empty());
            QCOMPARE(held->needs(0), std::string("FOOD"));
        }
    }

    void withoutDataSendsNothingPersonal()
    {
        core::ManualClock clock(kStartMs);
        EnrolledKiosk kiosk(*m_world, m_catalog, clock, QStringLiteral("A"));
        QVERIFY(QTest::qWaitFor([&] { return kiosk.service->ready(); }, kWaitMs));
        QVERIFY(kiosk.client->start().ok());
        QVERIFY(kiosk.visit({}));
        QTRY_VERIFY_WITH_TIMEOUT(kiosk.service->online() && kiosk.service->waitingToSync() == 0, kWaitMs);
        Result<v1::Intake> sent = storage::IntakeRepository(m_world->database()).byId(kiosk.service->queue().front().intake());
        QVERIFY(sent.ok());
        QVERIFY(!sent->consent_given());
        QVERIFY(sent->given_name().empty() && sent->codice_fiscale().empty() && sent->phone().empty());
        QCOMPARE(sent->language(), std::string("it"));
        QCOMPARE(sent->needs(0), std::string("FOOD"));
    }

    void twoOfflineKiosksNeverIssueTheSameNumber()
    {
        core::ManualClock clock(kStartMs);
        EnrolledKiosk first(*m_world, m_catalog, clock, QStringLiteral("A"));
        EnrolledKiosk second(*m_world, m_catalog, clock, QStringLiteral("B"));
        QVERIFY(QTest::qWaitFor([&] { return first.service->ready() && second.service->ready(); }, kWaitMs));
        for (int i = 0; i < 10; ++i) {
            QVERIFY((i % 2 ? first : second).visit({}));
            clock.advance(1'000);
        }
        QVERIFY(first.client->start().ok());
        QVERIFY(second.client->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(first.service->waitingToSync() == 0 && second.service->waitingToSync() == 0, kWaitMs);
        // The backend took every ticket (it refuses a number issued twice in a day), and
        // each kiosk pulls the other's into the queue it shows.
        QCOMPARE(m_world->count("SELECT COUNT(DISTINCT number) FROM tickets"), std::int64_t(10));
        QTRY_COMPARE_WITH_TIMEOUT(first.service->queue().size(), std::size_t(10), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(second.service->queue().size(), std::size_t(10), kWaitMs);
        std::set<std::string> numbers;
        const QRegularExpression form(QStringLiteral("^[AB]-\\d{3}$")); // each kiosk's letter once
        for (const v1::Ticket &ticket : first.service->queue()) {
            QVERIFY2(form.match(QString::fromStdString(ticket.number())).hasMatch(), ticket.number().c_str());
            numbers.insert(ticket.number());
        }
        QCOMPARE(numbers.size(), std::size_t(10));
    }
};

QTEST_GUILESS_MAIN(TestKioskSync)
#include "tst_kiosk_sync.moc"
