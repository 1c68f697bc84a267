#include "app_runner.h"

#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQmlError>
#include <QQuickWindow>
#include <QTextStream>

namespace sigess::ui {

AppRunner::AppRunner(QQmlApplicationEngine &engine, RunMode mode) : m_engine(engine), m_mode(mode)
{
    QObject::connect(&m_engine, &QQmlEngine::warnings, this, [this](const QList<QQmlError> &warnings) {
        for (const auto &warning : warnings)
            m_problems << warning.toString();
    });
}

bool AppRunner::load(const QUrl &mainUrl)
{
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

    // Self-test: let the scene render once, so bindings that only run on show have run.
    for (auto *object : m_engine.rootObjects()) {
        if (auto *window = qobject_cast<QQuickWindow *>(object))
            window->grabWindow();
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

void addStaticModuleImportPath(QQmlEngine &engine)
{
    engine.addImportPath(QStringLiteral("qrc:/"));
}

int runApplication(const QUrl &mainUrl)
{
    QQmlApplicationEngine engine;
    addStaticModuleImportPath(engine);
    AppRunner runner(engine, runModeFromArguments(QCoreApplication::arguments()));
    runner.load(mainUrl);
    return runner.exec();
}

} // namespace sigess::ui
