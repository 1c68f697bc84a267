#include "kiosk_main.h"

#include "app_runner.h"
#include "kiosk_app.h"
#include "kiosk_config.h"
#include "kiosk_enrollment.h"
#include "kiosk_log.h"
#include "kiosk_walk.h"

#include "core/uuid.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <memory>

namespace sigess::kiosk {

namespace {

constexpr int kInactivityPollMs = 250;

QString optionValue(const QStringList &arguments, const QString &name)
{
    const auto at = arguments.indexOf(name);
    return at >= 0 && at + 1 < arguments.size() ? arguments.at(at + 1) : QString();
}

// A development kiosk keeps the device id it made on its first run beside its store.
Result<QString> developmentDeviceId(const core::Clock &clock)
{
    const QString path = QStringLiteral("var/kiosk/device-id");
    QFile file(path);
    if (file.open(QIODevice::ReadOnly))
        return QString::fromLatin1(file.readAll()).trimmed();
    QDir().mkpath(QStringLiteral("var/kiosk"));
    const QString id = QString::fromStdString(core::UuidV7Generator(clock).next().toString());
    if (!file.open(QIODevice::WriteOnly) || file.write(id.toLatin1()) != id.size())
        return makeError(ErrorCode::Unavailable, "cannot write " + path.toStdString());
    return id;
}

KioskConfig throwawayConfig(const QTemporaryDir &dir, const core::Clock &clock)
{
    KioskConfig config = developmentKioskConfig(QString::fromStdString(core::UuidV7Generator(clock).next().toString()));
    config.storePath = dir.filePath(QStringLiteral("kiosk.db"));
    config.keyPath = dir.filePath(QStringLiteral("kiosk.key"));
    config.deviceSecretPath = dir.filePath(QStringLiteral("device-secret"));
    config.catalogPath = QString::fromStdString(core::defaultReleasePath().string());
    return config;
}

int fail(const std::string &message)
{
    QTextStream(stderr) << "sigess-kiosk: " << QString::fromStdString(message) << '\n';
    return 2;
}

} // namespace

bool wantsCheckInScreens(const QStringList &arguments)
{
    return !arguments.contains(QStringLiteral("--display"));
}

int runKiosk(const QStringList &arguments)
{
    const ui::RunMode mode = ui::runModeFromArguments(arguments);
    const bool selfTest = mode == ui::RunMode::SelfTest;
    core::SystemClock clock;
    QTemporaryDir throwaway;

    if (const QString code = optionValue(arguments, QStringLiteral("--enroll")); !code.isEmpty()) {
        const QString path = optionValue(arguments, QStringLiteral("--config"));
        if (path.isEmpty())
            return fail("--enroll needs --config FILE: the configuration to record the enrollment in");
        Result<QString> enrolled = enrollKiosk(path, code);
        if (!enrolled.ok())
            return fail(enrolled.error().describe());
        QTextStream(stdout) << "enrolled as device " << *enrolled << '\n';
        return 0;
    }

    KioskConfig config;
    if (selfTest) {
        config = throwawayConfig(throwaway, clock);
    } else if (const QString path = optionValue(arguments, QStringLiteral("--config")); !path.isEmpty()) {
        Result<KioskConfig> loaded = loadKioskConfig(path);
        if (!loaded.ok())
            return fail(loaded.error().describe());
        config = *loaded;
    } else {
        Result<QString> id = developmentDeviceId(clock);
        if (!id.ok())
            return fail(id.error().describe());
        config = developmentKioskConfig(*id);
    }
    Result<core::Catalog> catalog = core::Catalog::fromFile(config.catalogPath.toStdString());
    if (!catalog.ok())
        return fail("cannot load the catalog " + config.catalogPath.toStdString() + ": " + catalog.error().describe());

    std::unique_ptr<sync::SyncClient> client;
    // A kiosk awaiting enrollment runs without a client: it shows that it is out of
    // service rather than exit, which under systemd would restart it in a loop.
    if (!selfTest && !config.syncUrl.isEmpty() && !awaitsEnrollment(config)) {
        Result<sync::SyncClientOptions> options = syncClientOptions(config);
        if (!options.ok())
            return fail(options.error().describe());
        client = std::make_unique<sync::SyncClient>(std::move(options).value());
    }
    KioskApp app(config, std::move(catalog).value(), clock,
        selfTest ? store::Argon2Cost::cheapestForTests() : store::Argon2Cost::moderate(), client.get());
    // Started only once the store is open and its sync driver listens to the client, so
    // the first Welcome starts a round.
    if (client) {
        QObject::connect(app.service(), &CheckInService::readyChanged, app.service(), [&client] {
            if (Status started = client->start(); !started.ok())
                qCWarning(kioskLog, "sync stays off: %s", started.error().describe().c_str());
        });
    }

    QQmlApplicationEngine engine;
    ui::addStaticModuleImportPath(engine);
    app.attach(engine);
    ui::AppRunner runner(engine, mode, ui::screenshotPathFromArguments(arguments));
    const bool display = !wantsCheckInScreens(arguments);
    const QUrl page(display ? QStringLiteral("qrc:/Sigess/Kiosk/DisplayWindow.qml")
                            : QStringLiteral("qrc:/Sigess/Kiosk/Main.qml"));
    if (!runner.load(page, { { QStringLiteral("app"), QVariant::fromValue(&app) } }))
        return runner.exec();

    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (window) {
        window->installEventFilter(&app);
        if (!selfTest && !arguments.contains(QStringLiteral("--windowed")))
            window->showFullScreen();
    }
    QTimer inactivity;
    QObject::connect(&inactivity, &QTimer::timeout, app.session()->inactivity(), &InactivityGuard::poll);
    inactivity.start(kInactivityPollMs);

    if (!display) {
        runner.setSelfTestWalk([&app] {
            for (const QString &lang : { QStringLiteral("it"), QStringLiteral("ar") }) {
                if (!walkEveryStep(*app.session(), lang, [](const QString &) { QCoreApplication::processEvents(); }))
                    qWarning("self-test: the walk through the screens stopped early in %s", qPrintable(lang));
            }
            app.session()->clear();
        });
    }
    return runner.exec();
}

} // namespace sigess::kiosk
