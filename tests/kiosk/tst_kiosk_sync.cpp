// The kiosk against the real sync server (backend/sync behind the Beast server, on an
// embedded store) over its WebSocket link: a check-in made while the link is down
// reaches the backend once it comes up, is acknowledged, and its personal fields leave
// the kiosk's store.
#include "check_in_service.h"
#include "check_in_store.h"
#include "kiosk_fixture.h"
#include "kiosk_session.h"
#include "sync_world.h"
#include "websocket_sync_link.h"

#include "core/clock.h"

#include <QFile>
#include <QTest>

using namespace sigess;
using namespace sigess::kiosk;
using namespace std::chrono_literals;
using sigess::sync::testing::SyncWorld;

namespace {

constexpr std::uint64_t kStartMs = 1'796'029'200'000; // 2026-11-30 10:00 in Rome

} // namespace

class TestKioskSync : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void linkOptionsComeFromTheConfig()
    {
        QTemporaryDir dir;
        KioskConfig config = kiosk::testing::kioskConfig(dir, QStringLiteral("01900000-0000-7000-8000-000000000001"),
                                                  QStringLiteral("1"));
        const Result<sync::SyncClientOptions> offline = WebSocketSyncLink::optionsFor(config);
        QVERIFY(!offline.ok());
        QVERIFY(QString::fromStdString(offline.error().message).contains("sync_url"));
        config.syncUrl = QStringLiteral("wss://backend.example.it:8443/v1/sync");
        config.caFile = dir.filePath(QStringLiteral("ca.crt"));
        config.credentialPath = dir.filePath(QStringLiteral("credential"));
        const Result<sync::SyncClientOptions> noCredential = WebSocketSyncLink::optionsFor(config);
        QVERIFY(!noCredential.ok());
        QVERIFY(QString::fromStdString(noCredential.error().message).contains("--enroll"));
        QFile credential(config.credentialPath);
        QVERIFY(credential.open(QIODevice::WriteOnly));
        credential.write("secret-credential\n");
        credential.close();
        const Result<sync::SyncClientOptions> options = WebSocketSyncLink::optionsFor(config);
        QVERIFY(options.ok());
        QCOMPARE(options->url, config.syncUrl.toStdString());
        QCOMPARE(options->caFile, config.caFile.toStdString());
        QCOMPARE(options->hello.device_id(), config.deviceId.toStdString());
        QCOMPARE(options->hello.device_credential(), std::string("secret-credential"));
    }

    void offlineCheckInReachesTheBackend()
    {
        test::TestPostgresServer postgres;
        std::string error;
        std::unique_ptr<SyncWorld> world = SyncWorld::open(test::StoreKind::Embedded, postgres, {},
                                                           net::testing::fastOptions(), error);
        QVERIFY2(world, error.c_str());
        const sync::testing::EnrolledDevice enrolled = world->enroll(v1::DEVICE_KIND_KIOSK, "P-M01-01");

        QTemporaryDir dir;
        KioskConfig config = kiosk::testing::kioskConfig(dir, QString::fromStdString(enrolled.id), QStringLiteral("1"));
        config.syncUrl = QString::fromStdString(world->url());
        config.credentialPath = dir.filePath(QStringLiteral("credential"));
        QFile credential(config.credentialPath);
        QVERIFY(credential.open(QIODevice::WriteOnly));
        credential.write(QByteArray::fromStdString(enrolled.credential));
        credential.close();
        Result<sync::SyncClientOptions> options = WebSocketSyncLink::optionsFor(config);
        QVERIFY(options.ok());
        options->backoff.initial = 20ms;
        options->backoff.maximum = 200ms;
        WebSocketSyncLink link(std::move(options).value());

        core::ManualClock clock(kStartMs);
        const core::Catalog catalog = kiosk::testing::deployCatalog();
        std::string intakeId;
        {
            CheckInService service(config, clock, store::Argon2Cost::cheapestForTests(), &link);
            KioskSession session(catalog, clock, service);
            QVERIFY(QTest::qWaitFor([&] { return service.ready(); }, 20'000));
            session.chooseLanguage(QStringLiteral("it"));
            session.giveConsent();
            session.setGivenName(QStringLiteral("Fatima"));
            session.continueWithName();
            session.toggleNeed(QStringLiteral("FOOD"));
            session.reviewNeeds();
            session.confirm();
            QVERIFY(QTest::qWaitFor([&] { return session.step() == KioskSession::Step::Ticket; }, 20'000));
            QTRY_VERIFY_WITH_TIMEOUT(service.waitingToSync() > 0, 20'000);
            QVERIFY(!service.online());
            QCOMPARE(world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(0));

            // The network returns.
            QVERIFY(link.start().ok());
            QTRY_VERIFY_WITH_TIMEOUT(service.online() && service.waitingToSync() == 0, 20'000);
            QCOMPARE(world->count("SELECT COUNT(*) FROM sync_ops"), std::int64_t(2));  // intake and ticket
            QCOMPARE(service.queue().size(), std::size_t(1));
            intakeId = service.queue().front().intake();
            link.stop();
        }
        // Acknowledged, so the kiosk forgot who it was.
        Result<std::unique_ptr<CheckInStore>> reopened
            = CheckInStore::open(config, clock, store::Argon2Cost::cheapestForTests());
        QVERIFY(reopened.ok());
        Result<std::optional<v1::Intake>> kept = (*reopened)->intake(intakeId);
        QVERIFY(kept.ok() && kept->has_value());
        QVERIFY((*kept)->given_name().empty());
        QCOMPARE((*kept)->needs_size(), 0);  // what someone needs is personal too
    }
};

QTEST_GUILESS_MAIN(TestKioskSync)
#include "tst_kiosk_sync.moc"
