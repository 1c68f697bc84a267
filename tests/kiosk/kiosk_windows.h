// Test fixture: the kiosk's windows as sigess-kiosk loads them (Main.qml or
// DisplayWindow.qml from the Sigess.Kiosk module, with the app as required property),
// each in a fresh engine, offscreen; every QML warning is collected, and a window can
// be saved as a screenshot into docs/screenshots/kiosk/ for the README.
// Thread safety: the GUI thread only.
#pragma once

#include "kiosk_app.h"

#include "app_runner.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlError>
#include <QQuickWindow>
#include <QTest>

#include <memory>

namespace sigess::kiosk::testing {

class KioskWindows {
public:
    // The window of `file`, or null when it does not load; the last one loaded stays
    // open until the next load or the fixture goes. The app must outlive the window.
    QQuickWindow *load(KioskApp &app, const char *file)
    {
        m_engine = std::make_unique<QQmlApplicationEngine>();
        ui::addStaticModuleImportPath(*m_engine);
        app.attach(*m_engine);
        QObject::connect(m_engine.get(), &QQmlEngine::warnings, m_engine.get(), [this](const QList<QQmlError> &warnings) {
            for (const QQmlError &warning : warnings)
                m_warnings << warning.toString();
        });
        m_engine->setInitialProperties({ { QStringLiteral("app"), QVariant::fromValue(&app) } });
        m_engine->load(QUrl(QStringLiteral("qrc:/Sigess/Kiosk/") + QLatin1String(file)));
        if (m_engine->rootObjects().isEmpty())
            return nullptr;
        return qobject_cast<QQuickWindow *>(m_engine->rootObjects().constFirst());
    }

    // Every QML warning since the fixture was made, one per line.
    QString warnings() const { return m_warnings.join(QLatin1Char('\n')); }

    // Saves the window's current frame as docs/screenshots/kiosk/NAME.png; false if the
    // window never showed or the file cannot be written.
    static bool shoot(QQuickWindow &window, const QString &name)
    {
        const QString dir = QStringLiteral(SIGESS_SOURCE_DIR "/docs/screenshots/kiosk");
        QDir().mkpath(dir);
        if (!QTest::qWaitForWindowExposed(&window))
            return false;
        QCoreApplication::processEvents();
        const QImage frame = window.grabWindow();
        return !frame.isNull() && frame.save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
    }

    void close() { m_engine.reset(); }

private:
    std::unique_ptr<QQmlApplicationEngine> m_engine;
    QStringList m_warnings;
};

} // namespace sigess::kiosk::testing
