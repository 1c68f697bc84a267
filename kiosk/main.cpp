// sigess-kiosk: the citizen check-in kiosk and the waiting-room display. Everything
// but the application object lives in sigess_kiosk_lib (kiosk_main.h lists the options).
#include "kiosk_main.h"

#include <QGuiApplication>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Sigess_UiPlugin)
Q_IMPORT_QML_PLUGIN(Sigess_KioskPlugin)

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    // The on-screen keyboard: the kiosk has no other.
    if (sigess::kiosk::wantsCheckInScreens(arguments) && qEnvironmentVariableIsEmpty("QT_IM_MODULE"))
        qputenv("QT_IM_MODULE", "qtvirtualkeyboard");
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("sigess-kiosk"));
    QGuiApplication::setOrganizationName(QStringLiteral("SIgeSS"));
    return sigess::kiosk::runKiosk(QGuiApplication::arguments());
}
