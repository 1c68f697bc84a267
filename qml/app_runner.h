// Start-up shared by the Qt programs: loads a QML module's main file and, in self-test
// mode, exits at once with a non-zero status if any QML error or warning was emitted,
// so `sigess-kiosk --self-test` proves every page loads; `--screenshot FILE` saves the
// rendered window (the README's screenshots come from there). GUI thread only.
#pragma once

#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

#include <functional>

class QQmlApplicationEngine;
class QQmlEngine;

namespace sigess::ui {

enum class RunMode { Interactive, SelfTest };

class AppRunner : public QObject {
    Q_OBJECT
public:
    AppRunner(QQmlApplicationEngine &engine, RunMode mode, QString screenshotPath = {});

    // Loads `mainUrl`, setting the root's required properties from `initialProperties`
    // (how an app hands its C++ services to its window); returns false when it did not
    // produce a root object.
    bool load(const QUrl &mainUrl, const QVariantMap &initialProperties = {});
    // In self-test mode, runs before the scene is checked: an app walks through its
    // pages here so that every one of them is loaded.
    void setSelfTestWalk(std::function<void()> walk) { m_walk = std::move(walk); }
    // Runs the event loop (interactive) or checks the scene (self-test).
    int exec();

    const QStringList &problems() const { return m_problems; }

private:
    QQmlApplicationEngine &m_engine;
    RunMode m_mode;
    QString m_screenshotPath;
    QStringList m_problems;
    std::function<void()> m_walk;
};

RunMode runModeFromArguments(const QStringList &arguments);
QString screenshotPathFromArguments(const QStringList &arguments);

// Our QML modules are static libraries whose qmldir files live in the resources
// under their URI path; the engine finds them there.
void addStaticModuleImportPath(QQmlEngine &engine);

// The whole life of a Qt program's GUI: engine, load, event loop or self-test.
int runApplication(const QUrl &mainUrl);

} // namespace sigess::ui
