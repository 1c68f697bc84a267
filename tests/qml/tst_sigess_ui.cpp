#include "app_runner.h"

#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Sigess_UiPlugin)

class Setup : public QObject {
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine) { sigess::ui::addStaticModuleImportPath(*engine); }
};

QUICK_TEST_MAIN_WITH_SETUP(sigess_ui, Setup)
#include "tst_sigess_ui.moc"
