// The kiosk's screens as Qt Quick renders them offscreen, portrait 1080x1920 and
// landscape 1920x1080, in Italian and in Arabic: every page loads without a QML
// warning, Arabic mirrors the layout, and the privacy timeout leaves no text in any
// item. Each screen is saved into docs/screenshots/kiosk/ for the README (the
// waiting-room display and the out-of-service screen: tst_kiosk_backend).
#include "kiosk_app.h"
#include "kiosk_fixture.h"
#include "kiosk_walk.h"
#include "kiosk_windows.h"

#include "core/clock.h"

#include <QQuickItem>
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
    std::unique_ptr<KioskApp> m_app;
    KioskWindows m_windows;

    void shoot(QQuickWindow &window, const QString &name) { QVERIFY(KioskWindows::shoot(window, name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_app = std::make_unique<KioskApp>(kioskConfig(m_dir, QString::fromLatin1(kDeviceId), QStringLiteral("A")),
            deployCatalog(), m_clock, store::Argon2Cost::cheapestForTests(), nullptr);
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
        QQuickWindow *window = m_windows.load(*m_app, "Main.qml");
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

        QVERIFY2(m_windows.warnings().isEmpty(), qPrintable(m_windows.warnings()));
    }

    void cleanupTestCase()
    {
        m_windows.close();
        m_app.reset();
    }
};

QTEST_MAIN(TestKioskScreens)
#include "tst_kiosk_screens.moc"
