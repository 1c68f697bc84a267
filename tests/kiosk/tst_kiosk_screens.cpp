// The kiosk's screens as Qt Quick renders them offscreen, portrait 1080x1920 and
// landscape 1920x1080, in Italian and in Arabic: every page loads without a QML
// warning, Arabic mirrors the layout, the privacy timeout leaves no text in any item,
// and the waiting-room display shows a desk's call. Each screen is saved into
// docs/screenshots/kiosk/ for the README.
#include "kiosk_app.h"
#include "kiosk_fixture.h"
#include "kiosk_walk.h"

#include "app_runner.h"
#include "core/clock.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlError>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Sigess_UiPlugin)
Q_IMPORT_QML_PLUGIN(Sigess_KioskPlugin)

using namespace sigess;
using namespace sigess::kiosk;
using namespace sigess::kiosk::testing;

namespace {

constexpr std::uint64_t kStartMs = 1'796'029'200'000; // 2026-11-30 10:00 in Rome
const char *kDeviceId = "01900000-0000-7000-8000-000000000001";

QString screenshotDir()
{
    const QString dir = QStringLiteral(SIGESS_SOURCE_DIR "/docs/screenshots/kiosk");
    QDir().mkpath(dir);
    return dir;
}

void collect(QQuickItem *item, const char *className, QList<QQuickItem *> &into)
{
    if (item->inherits(className) && item->isVisible())
        into << item;
    for (QQuickItem *child : item->childItems())
        collect(child, className, into);
}

QStringList textsIn(QQuickWindow &window)
{
    QList<QQuickItem *> inputs;
    collect(window.contentItem(), "QQuickTextInput", inputs);
    QStringList texts;
    for (QQuickItem *input : inputs)
        texts << input->property("text").toString();
    return texts;
}

} // namespace

class TestKioskScreens : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    core::ManualClock m_clock { kStartMs };
    FakeSyncServer m_server;
    FakeSyncLink m_link { m_server };
    std::unique_ptr<KioskApp> m_app;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QStringList m_warnings;

    QQuickWindow *load(const char *file)
    {
        m_engine = std::make_unique<QQmlApplicationEngine>();
        ui::addStaticModuleImportPath(*m_engine);
        m_app->attach(*m_engine);
        connect(m_engine.get(), &QQmlEngine::warnings, this, [this](const QList<QQmlError> &warnings) {
            for (const QQmlError &warning : warnings)
                m_warnings << warning.toString();
        });
        m_engine->setInitialProperties({ { QStringLiteral("app"), QVariant::fromValue(m_app.get()) } });
        m_engine->load(QUrl(QStringLiteral("qrc:/Sigess/Kiosk/") + QLatin1String(file)));
        if (m_engine->rootObjects().isEmpty())
            return nullptr;
        return qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    }

    void shoot(QQuickWindow &window, const QString &name)
    {
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCoreApplication::processEvents();
        const QImage frame = window.grabWindow();
        QVERIFY(!frame.isNull());
        QVERIFY(frame.save(screenshotDir() + QLatin1Char('/') + name + QStringLiteral(".png")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_app = std::make_unique<KioskApp>(kioskConfig(m_dir, QString::fromLatin1(kDeviceId), QStringLiteral("1")),
            deployCatalog(), m_clock, store::Argon2Cost::cheapestForTests(), &m_link);
        QVERIFY(QTest::qWaitFor([this] { return m_app->service()->ready(); }, 20'000));
    }

    void everyScreen_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QSize>("size");
        QTest::newRow("it portrait") << "it" << QSize(1080, 1920);
        QTest::newRow("ar portrait") << "ar" << QSize(1080, 1920);
        QTest::newRow("it landscape") << "it" << QSize(1920, 1080);
        QTest::newRow("ar landscape") << "ar" << QSize(1920, 1080);
    }
    void everyScreen()
    {
        QFETCH(QString, lang);
        QFETCH(QSize, size);
        QQuickWindow *window = load("Main.qml");
        QVERIFY(window);
        window->resize(size);
        window->installEventFilter(m_app.get());
        const QString orientation = size.width() > size.height() ? QStringLiteral("landscape") : QStringLiteral("portrait");
        QStringList seen;
        const bool walked = walkEveryStep(*m_app->session(), lang, [&](const QString &step) {
            seen << step;
            shoot(*window, QStringLiteral("%1-%2-%3").arg(orientation, lang, step));
            // Arabic mirrors the layout: "back" moves to the right-hand side.
            if (auto *back = window->contentItem()->findChild<QQuickItem *>(QStringLiteral("backButton"));
                back && back->isVisible()) {
                const qreal centre = back->mapToScene(QPointF(back->width() / 2, 0)).x();
                QCOMPARE(centre > size.width() / 2.0, lang == QStringLiteral("ar"));
            }
        });
        QVERIFY(walked);
        QCOMPARE(seen, (QStringList { "welcome", "privacy", "identify", "needs", "confirm", "ticket" }));

        // The privacy countdown over a half-filled page, then nothing left anywhere.
        KioskSession &session = *m_app->session();
        session.clear();
        session.chooseLanguage(lang);
        session.giveConsent();
        session.setGivenName(QStringLiteral("Fatima"));
        QCoreApplication::processEvents();
        QVERIFY(textsIn(*window).contains(QStringLiteral("Fatima")));
        m_clock.advance(static_cast<std::uint64_t>(m_app->service()->config().idleSeconds) * 1000 + 3000);
        session.inactivity()->poll();
        QVERIFY(session.inactivity()->countdownVisible());
        shoot(*window, QStringLiteral("%1-%2-countdown").arg(orientation, lang));
        m_clock.advance(static_cast<std::uint64_t>(m_app->service()->config().countdownSeconds) * 1000);
        session.inactivity()->poll();
        QCOMPARE(session.step(), KioskSession::Step::Welcome);
        session.chooseLanguage(lang);
        session.giveConsent();
        QCoreApplication::processEvents();
        for (const QString &text : textsIn(*window))
            QVERIFY2(text.isEmpty(), qPrintable(text));
        session.clear();

        QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings.join(QLatin1Char('\n'))));
    }

    void displayShowsADesksCall()
    {
        QSignalSpy synced(m_app->service(), &CheckInService::syncFinished);
        m_link.setOnline(true);
        QVERIFY(QTest::qWaitFor([this] { return m_app->service()->waitingToSync() == 0; }, 20'000));
        QVERIFY(!m_app->service()->queue().empty());
        QQuickWindow *window = load("DisplayWindow.qml");
        QVERIFY(window);
        QSignalSpy called(m_app->queue(), &QueueModel::called);

        const v1::Ticket waiting = m_app->service()->queue().front();
        v1::Ticket call;
        call.set_state(v1::TICKET_STATE_CALLED);
        call.set_desk("Sportello 2");
        *call.mutable_called() = v1::Hlc();
        call.mutable_called()->set_wall_ms(kStartMs + 600'000);
        v1::Operation operation;
        operation.set_op_id("01900000-0000-7000-8000-0000000000aa");
        operation.mutable_hlc()->set_wall_ms(kStartMs + 600'000);
        operation.set_device("01900000-0000-7000-8000-0000000000dd");
        operation.set_entity_type(v1::ENTITY_TYPE_TICKET);
        operation.set_entity_id(waiting.meta().id());
        operation.set_kind(v1::OP_KIND_UPDATE);
        for (int field : { v1::Ticket::kStateFieldNumber, v1::Ticket::kDeskFieldNumber, v1::Ticket::kCalledFieldNumber })
            operation.add_fields(field);
        operation.set_patch(call.SerializeAsString());
        m_server.record(operation);
        m_link.notifyChanges();

        QVERIFY(called.wait(20'000));
        QCOMPARE(called.at(0).at(0).toString(), QString::fromStdString(waiting.number()));
        QCOMPARE(called.at(0).at(1).toString(), QStringLiteral("Sportello 2"));
        // The display chimed and announced it, in Italian, by number and desk.
        QCOMPARE(m_app->announcer()->announcements(), 1);
        QCOMPARE(m_app->announcer()->lastAnnouncement(),
                 QStringLiteral("Numero %1, Sportello 2").arg(QString::fromStdString(waiting.number())));
        QCOMPARE(m_app->queue()->rowCount(), 1);
        shoot(*window, QStringLiteral("display"));
        QVERIFY2(m_warnings.isEmpty(), qPrintable(m_warnings.join(QLatin1Char('\n'))));
    }

    void cleanupTestCase()
    {
        m_engine.reset();
        m_app.reset();
    }
};

QTEST_MAIN(TestKioskScreens)
#include "tst_kiosk_screens.moc"
