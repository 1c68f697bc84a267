// sigess-kiosk. Options: --self-test loads every page offscreen and exits non-zero on
// any QML error or warning.
#include "app_runner.h"

#include <QGuiApplication>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Sigess_UiPlugin)
Q_IMPORT_QML_PLUGIN(Sigess_KioskPlugin)

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("sigess-kiosk"));
    QGuiApplication::setOrganizationName(QStringLiteral("SIgeSS"));
    return sigess::ui::runApplication(QUrl(QStringLiteral("qrc:/Sigess/Kiosk/Main.qml")));
}
