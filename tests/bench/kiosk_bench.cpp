// kiosk_bench: the kiosk's figures of DESIGN.md, offscreen, on a throwaway store:
//   kiosk.start_to_first_frame   engine, catalog models and Main.qml from nothing to the
//                                first rendered frame (ms; the store opens meanwhile
//                                on its own thread, with the real Argon2id cost)
//   kiosk.tap_to_ticket          confirm() to the ticket page rendered, offline (median ms)
//   kiosk.rss_after_checkins     resident memory after 1,000 check-ins (MiB), beside
//                                kiosk.rss_at_start
// One JSON line per figure.   kiosk_bench [--smoke]   (--smoke: a few check-ins, for CI)
#include "app_runner.h"
#include "catalog/builder.h"
#include "kiosk_app.h"

#include "core/clock.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <cstdio>
#include <vector>

Q_IMPORT_QML_PLUGIN(Sigess_UiPlugin)
Q_IMPORT_QML_PLUGIN(Sigess_KioskPlugin)

using namespace sigess;
using namespace sigess::kiosk;

namespace {

double residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return 0;
}

void print(const char *name, double value, const char *unit)
{
    std::printf("{\"name\":\"%s\",\"value\":%.2f,\"unit\":\"%s\"}\n", name, value, unit);
    std::fflush(stdout);
}

// Renders one frame and returns once it is on the (offscreen) screen.
void renderFrame(QQuickWindow &window)
{
    (void)window.grabWindow();
}

bool walkToConfirm(KioskSession &session)
{
    session.chooseLanguage(QStringLiteral("it"));
    session.giveConsent();
    session.setGivenName(QStringLiteral("Maria"));
    session.continueWithName();
    session.toggleNeed(QStringLiteral("HOUSING"));
    session.reviewNeeds();
    return session.step() == KioskSession::Step::Confirm;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication application(argc, argv);
    const bool smoke = QCoreApplication::arguments().contains(QStringLiteral("--smoke"));
    const int checkIns = smoke ? 10 : 1000;
    const int taps = smoke ? 3 : 30;

    catalog::BuildResult built = catalog::buildCatalog(std::filesystem::path(SIGESS_SOURCE_DIR) / "deploy" / "catalog");
    Result<core::Catalog> catalog = core::Catalog::fromRelease(std::move(built.release));
    if (!built.ok() || !catalog.ok()) {
        std::fprintf(stderr, "kiosk_bench: deploy/catalog does not build\n");
        return 1;
    }
    QTemporaryDir dir;
    KioskConfig config = developmentKioskConfig(QStringLiteral("01900000-0000-7000-8000-0000000000be"));
    config.storePath = dir.filePath(QStringLiteral("kiosk.db"));
    config.keyPath = dir.filePath(QStringLiteral("kiosk.key"));
    config.deviceSecretPath = dir.filePath(QStringLiteral("device-secret"));
    core::SystemClock clock;
    print("kiosk.rss_at_start", residentMiB(), "MiB");

    QElapsedTimer start;
    start.start();
    KioskApp app(config, std::move(catalog).value(), clock, store::Argon2Cost::moderate(), nullptr);
    QQmlApplicationEngine engine;
    ui::addStaticModuleImportPath(engine);
    app.attach(engine);
    engine.setInitialProperties({ { QStringLiteral("app"), QVariant::fromValue(&app) } });
    engine.load(QUrl(QStringLiteral("qrc:/Sigess/Kiosk/Main.qml")));
    auto *window = engine.rootObjects().isEmpty() ? nullptr : qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (!window) {
        std::fprintf(stderr, "kiosk_bench: Main.qml did not load\n");
        return 1;
    }
    renderFrame(*window);
    print("kiosk.start_to_first_frame", static_cast<double>(start.nsecsElapsed()) / 1e6, "ms");

    KioskSession &session = *app.session();
    if (!QTest::qWaitFor([&] { return app.service()->ready(); }, 60'000)) {
        std::fprintf(stderr, "kiosk_bench: the store did not open: %s\n", qPrintable(app.service()->errorMessage()));
        return 1;
    }
    std::vector<double> tapMs;
    for (int i = 0; i < checkIns; ++i) {
        session.clear();
        if (!walkToConfirm(session)) {
            std::fprintf(stderr, "kiosk_bench: the walk to the confirmation stopped\n");
            return 1;
        }
        const bool timed = i < taps;
        if (timed)
            renderFrame(*window);
        QElapsedTimer tap;
        tap.start();
        session.confirm();
        if (!QTest::qWaitFor([&] { return session.step() == KioskSession::Step::Ticket; }, 10'000)) {
            std::fprintf(stderr, "kiosk_bench: no ticket\n");
            return 1;
        }
        if (timed) {
            renderFrame(*window);
            tapMs.push_back(static_cast<double>(tap.nsecsElapsed()) / 1e6);
        }
    }
    session.clear();
    std::ranges::sort(tapMs);
    print("kiosk.tap_to_ticket", tapMs[tapMs.size() / 2], "ms");
    QCoreApplication::processEvents();
    print(smoke ? "kiosk.rss_after_checkins_smoke" : "kiosk.rss_after_checkins", residentMiB(), "MiB");
    return 0;
}
