// The kiosk against the whole backend (kiosk_backend.h: sigess-backend's services behind
// its network server on loopback), enrolled with --enroll's code path:
//  - a waiting-room display (the objects `sigess-kiosk --display` builds, offscreen)
//    shows the ticket a desk calls through the desk API, at that desk, and announces
//    it; the desk's recall announces it again;
//  - an administrator revokes the kiosk through the API: the kiosk receives Wipe, its
//    store, key and credential are gone, the screens say it is out of service, and no
//    check-in is possible any more; started again from its config (as systemd restarts
//    it) it shows the out-of-service screen with the --enroll command for staff, as a
//    kiosk configured to sync but never enrolled does;
//  - ticket numbers read like "A-001": the letter enrolment gave the kiosk, once.
// The display and out-of-service screens are saved into docs/screenshots/kiosk/.
#include "kiosk_app.h"
#include "kiosk_backend.h"
#include "kiosk_enrollment.h"
#include "kiosk_windows.h"

#include "core/clock.h"

#include <QQuickItem>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Sigess_UiPlugin)
Q_IMPORT_QML_PLUGIN(Sigess_KioskPlugin)

using namespace sigess;
using namespace sigess::kiosk;
using namespace sigess::kiosk::testing;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t kStartMs = 1'796'029'200'000; // 2026-11-30 10:00 in Rome
constexpr int kWaitMs = 20'000;
constexpr char kPresidio[] = "P-M01-01";

} // namespace

class TestKioskBackend : public QObject {
    Q_OBJECT

private:
    core::ManualClock m_clock { kStartMs };
    std::unique_ptr<KioskBackend> m_backend;
    std::string m_admin;
    std::unique_ptr<QTemporaryDir> m_dir;
    KioskConfig m_config;
    std::unique_ptr<sync::SyncClient> m_client;
    std::unique_ptr<KioskApp> m_app; // its sync driver goes before the client stops
    std::unique_ptr<KioskWindows> m_windows;

    // A kiosk configured as deploy/kiosk/kiosk.conf.example says, enrolled with a code
    // the admin issued, then started as sigess-kiosk starts it: the client once ready.
    void startKiosk()
    {
        const QString path = m_dir->filePath(QStringLiteral("kiosk.conf"));
        {
            QSettings file(path, QSettings::IniFormat);
            file.setValue(QStringLiteral("sync_url"), QString::fromStdString(m_backend->syncUrl()));
            file.setValue(QStringLiteral("credential_file"), QStringLiteral("credential"));
            file.setValue(QStringLiteral("store"), QStringLiteral("kiosk.db"));
            file.setValue(QStringLiteral("key_file"), QStringLiteral("kiosk.key"));
            file.setValue(QStringLiteral("device_secret"), QStringLiteral("device-secret"));
        }
        const std::string code = m_backend->kioskEnrollmentCode(m_admin, kPresidio);
        QVERIFY(!code.empty());
        const Result<QString> enrolled = enrollKiosk(path, QString::fromStdString(code));
        QVERIFY2(enrolled.ok(), enrolled.ok() ? "" : enrolled.error().describe().c_str());
        Result<KioskConfig> config = loadKioskConfig(path);
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().describe().c_str());
        m_config = *config;

        Result<sync::SyncClientOptions> options = syncClientOptions(m_config);
        QVERIFY(options.ok());
        options->backoff.initial = 20ms;
        options->backoff.maximum = 200ms;
        m_client = std::make_unique<sync::SyncClient>(std::move(options).value());
        m_app = std::make_unique<KioskApp>(m_config, deployCatalog(), m_clock, store::Argon2Cost::cheapestForTests(),
                                           m_client.get());
        QVERIFY(QTest::qWaitFor([this] { return m_app->service()->ready(); }, kWaitMs));
        QVERIFY(m_client->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->service()->online(), kWaitMs);
    }

    // The kiosk as sigess-kiosk starts it from the config file at `path` when it holds no
    // credential: without a sync client, out of service at once, the command that enrolls it
    // again shown to staff, no check-in taken and no store made.
    void expectOutOfServiceOnStart(const QString &path)
    {
        Result<KioskConfig> config = loadKioskConfig(path);
        QVERIFY2(config.ok(), config.ok() ? "" : config.error().describe().c_str());
        QVERIFY(awaitsEnrollment(*config));
        m_app = std::make_unique<KioskApp>(*config, deployCatalog(), m_clock, store::Argon2Cost::cheapestForTests(),
                                           nullptr);
        QVERIFY(m_app->service()->outOfService());
        QQuickWindow *window = m_windows->load(*m_app, "Main.qml");
        QVERIFY(window);
        auto *overlay = window->findChild<QQuickItem *>(QStringLiteral("outOfService"));
        QVERIFY(overlay);
        QVERIFY(overlay->isVisible());
        auto *hint = overlay->findChild<QQuickItem *>(QStringLiteral("staffHint"));
        QVERIFY(hint);
        QCOMPARE(hint->property("text").toString(),
                 QStringLiteral("Per il personale: il chiosco va registrato di nuovo con "
                                "sigess-kiosk --config FILE --enroll CODE"));

        QSignalSpy failed(m_app->service(), &CheckInService::checkInFailed);
        QVERIFY(checkIn().empty());
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m_app->session()->step(), KioskSession::Step::Welcome);
        QVERIFY(!m_app->service()->ready());
        QVERIFY(!QFile::exists(config->storePath));
        QVERIFY(!QFile::exists(config->keyPath));
        QVERIFY(KioskWindows::shoot(*window, QStringLiteral("out-of-service")));
        QVERIFY2(m_windows->warnings().isEmpty(), qPrintable(m_windows->warnings()));
    }

    // A citizen's visit without data, from the welcome screen to the ticket.
    std::string checkIn()
    {
        KioskSession &session = *m_app->session();
        session.chooseLanguage(QStringLiteral("it"));
        session.continueWithoutData();
        session.toggleNeed(QStringLiteral("FOOD"));
        session.reviewNeeds();
        session.confirm();
        if (!QTest::qWaitFor([&] { return session.step() != KioskSession::Step::Issuing; }, kWaitMs))
            return {};
        const std::string number = session.ticketNumber().toStdString();
        session.clear();
        return number;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        std::string error;
        m_backend = KioskBackend::open(m_clock, error);
        QVERIFY2(m_backend, error.c_str());
        m_admin = m_backend->signIn("admin", v1::ROLE_ADMIN, "");
        QVERIFY(!m_admin.empty());
        m_windows = std::make_unique<KioskWindows>();
    }

    void cleanup()
    {
        m_windows.reset();
        m_app.reset();
        if (m_client)
            m_client->stop();
        m_client.reset();
        m_backend.reset();
    }

    void displayShowsTheDesksCallAndItsRecall()
    {
        startKiosk();
        QQuickWindow *window = m_windows->load(*m_app, "DisplayWindow.qml");
        QVERIFY(window);
        const std::string first = checkIn();
        m_clock.advance(60'000);
        const std::string second = checkIn();
        // The backend gave this first kiosk of the presidio the letter A.
        QCOMPARE(first, "A-001");
        QCOMPARE(second, "A-002");
        QTRY_COMPARE_WITH_TIMEOUT(m_app->service()->waitingToSync(), 0, kWaitMs);
        QCOMPARE(m_app->queue()->rowCount(), 0);
        QCOMPARE(m_app->queue()->waitingCount(), 2);

        const std::string desk = m_backend->signIn("desk.operator", v1::ROLE_OPERATOR, kPresidio);
        QVERIFY(!desk.empty());
        m_clock.advance(60'000);
        const KioskBackend::Reply called
            = m_backend->post("/api/v1/presidi/" + std::string(kPresidio) + "/desks/3/call-next", desk);
        QVERIFY2(called.status == 200, called.body.c_str());
        QCOMPARE(called.json[QStringLiteral("number")].toString().toStdString(), first); // by arrival

        QueueModel &queue = *m_app->queue();
        QTRY_COMPARE_WITH_TIMEOUT(queue.rowCount(), 1, kWaitMs);
        QCOMPARE(queue.data(queue.index(0), QueueModel::NumberRole).toString().toStdString(), first);
        QCOMPARE(queue.data(queue.index(0), QueueModel::DeskRole).toString(), QStringLiteral("3"));
        QCOMPARE(queue.waitingCount(), 1);
        CallAnnouncer &announcer = *m_app->announcer();
        QTRY_COMPARE_WITH_TIMEOUT(announcer.announcements(), 1, kWaitMs);
        QCOMPARE(announcer.lastAnnouncement(), QStringLiteral("Numero %1, 3").arg(QString::fromStdString(first)));
        QVERIFY(KioskWindows::shoot(*window, QStringLiteral("display")));

        // The desk calls the same citizen again: the display announces it again.
        m_clock.advance(30'000);
        const std::string ticketId
            = called.json[QStringLiteral("meta")].toObject()[QStringLiteral("id")].toString().toStdString();
        const KioskBackend::Reply recalled = m_backend->post("/api/v1/tickets/" + ticketId + "/recall", desk);
        QVERIFY2(recalled.status == 200, recalled.body.c_str());
        QTRY_COMPARE_WITH_TIMEOUT(announcer.announcements(), 2, kWaitMs);
        QCOMPARE(announcer.lastAnnouncement(), QStringLiteral("Numero %1, 3").arg(QString::fromStdString(first)));
        QCOMPARE(queue.rowCount(), 1);
        QVERIFY2(m_windows->warnings().isEmpty(), qPrintable(m_windows->warnings()));
    }

    void revokedKioskIsWipedAndOutOfService()
    {
        startKiosk();
        QQuickWindow *window = m_windows->load(*m_app, "Main.qml");
        QVERIFY(window);
        QVERIFY(!checkIn().empty());
        QTRY_COMPARE_WITH_TIMEOUT(m_app->service()->waitingToSync(), 0, kWaitMs);
        QVERIFY(QFile::exists(m_config.storePath) && QFile::exists(m_config.keyPath)
                && QFile::exists(m_config.credentialPath));
        auto *overlay = window->findChild<QQuickItem *>(QStringLiteral("outOfService"));
        QVERIFY(overlay);
        QVERIFY(!overlay->isVisible());

        const KioskBackend::Reply revoked
            = m_backend->post("/api/v1/devices/" + m_config.deviceId.toStdString() + "/revoke", m_admin);
        QVERIFY2(revoked.status == 200, revoked.body.c_str());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->service()->outOfService(), kWaitMs);
        for (const QString &path : { m_config.storePath, m_config.storePath + QStringLiteral("-wal"),
                 m_config.storePath + QStringLiteral("-shm"), m_config.keyPath, m_config.credentialPath })
            QVERIFY2(!QFile::exists(path), qPrintable(path));
        QVERIFY(!m_app->service()->online());
        QVERIFY(m_app->service()->queue().empty());
        QVERIFY(overlay->isVisible());

        // Nothing more is taken, and nothing is written again.
        QSignalSpy failed(m_app->service(), &CheckInService::checkInFailed);
        QVERIFY(checkIn().empty());
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m_app->session()->step(), KioskSession::Step::Welcome);
        QVERIFY(!QFile::exists(m_config.storePath));
        QVERIFY2(m_windows->warnings().isEmpty(), qPrintable(m_windows->warnings()));

        // Restarted (systemd's Restart=always), it stays calmly out of service.
        m_windows->close();
        m_app.reset();
        m_client->stop();
        m_client.reset();
        expectOutOfServiceOnStart(m_dir->filePath(QStringLiteral("kiosk.conf")));
    }

    void neverEnrolledKioskStartsOutOfService()
    {
        const QString path = m_dir->filePath(QStringLiteral("kiosk.conf"));
        {
            QSettings file(path, QSettings::IniFormat);
            file.setValue(QStringLiteral("device_id"), QStringLiteral("01900000-0000-7000-8000-000000000001"));
            file.setValue(QStringLiteral("sync_url"), QString::fromStdString(m_backend->syncUrl()));
            file.setValue(QStringLiteral("credential_file"), QStringLiteral("credential"));
            file.setValue(QStringLiteral("store"), QStringLiteral("kiosk.db"));
            file.setValue(QStringLiteral("key_file"), QStringLiteral("kiosk.key"));
            file.setValue(QStringLiteral("device_secret"), QStringLiteral("device-secret"));
        }
        expectOutOfServiceOnStart(path);
    }
};

QTEST_MAIN(TestKioskBackend)
#include "tst_kiosk_backend.moc"
