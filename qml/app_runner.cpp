#include "app_runner.h"

#include <QGuiApplication>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQmlError>
#include <QQuickWindow>
#include <QTextStream>

namespace sigess::ui {

AppRunner::AppRunner(QQmlApplicationEngine &engine, RunMode mode, QString screenshotPath)
    : m_engine(engine), m_mode(mode), m_screenshotPath(std::move(screenshotPath))
{
    QObject::connect(&m_engine, &QQmlEngine::warnings, this, [this](const QList<QQmlError> &warnings) {
        for (const auto &warning : warnings)
            m_problems << warning.toString();
    });
}

bool AppRunner::load(const QUrl &mainUrl, const QVariantMap &initialProperties)
{
    if (!initialProperties.isEmpty())
        m_engine.setInitialProperties(initialProperties);
    m_engine.load(mainUrl);
    if (m_engine.rootObjects().isEmpty()) {
        m_problems << QStringLiteral("%1 did not load").arg(mainUrl.toString());
        return false;
    }
    return true;
}

int AppRunner::exec()
{
    if (m_mode == RunMode::Interactive)
        return m_engine.rootObjects().isEmpty() ? 1 : QGuiApplication::exec();

    if (m_walk)
        m_walk();
    // Self-test: let the scene render once, so bindings that only run on show have run;
    // the rendered frame is the screenshot the README shows.
    for (auto *object : m_engine.rootObjects()) {
        auto *window = qobject_cast<QQuickWindow *>(object);
        if (!window)
            continue;
        const QImage frame = window->grabWindow();
        if (!m_screenshotPath.isEmpty() && !frame.save(m_screenshotPath))
            m_problems << QStringLiteral("cannot write the screenshot %1").arg(m_screenshotPath);
    }
    QCoreApplication::processEvents();
    QTextStream err(stderr);
    for (const auto &problem : m_problems)
        err << "self-test: " << problem << '\n';
    err << "self-test: " << (m_problems.isEmpty() ? "ok" : "FAILED") << '\n';
    return m_problems.isEmpty() ? 0 : 1;
}

RunMode runModeFromArguments(const QStringList &arguments)
{
    return arguments.contains(QStringLiteral("--self-test")) ? RunMode::SelfTest : RunMode::Interactive;
}

QString screenshotPathFromArguments(const QStringList &arguments)
{
    const auto at = arguments.indexOf(QStringLiteral("--screenshot"));
    return at >= 0 && at + 1 < arguments.size() ? arguments.at(at + 1) : QString();
}

void addStaticModuleImportPath(QQmlEngine &engine)
{
    engine.addImportPath(QStringLiteral("qrc:/"));
}

int runApplication(const QUrl &mainUrl)
{
    QQmlApplicationEngine engine;
    addStaticModuleImportPath(engine);
    const auto arguments = QCoreApplication::arguments();
    AppRunner runner(engine, runModeFromArguments(arguments), screenshotPathFromArguments(arguments));
    runner.load(mainUrl);
    return runner.exec();
}

} // namespace sigess::ui
